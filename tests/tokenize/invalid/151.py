x = [RB"""a
b
c
