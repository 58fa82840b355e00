x = [Rb"""a
b
c
