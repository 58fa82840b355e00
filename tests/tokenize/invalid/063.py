x = [br"""a
b
c
