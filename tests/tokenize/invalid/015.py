x = ["""a
b
c
