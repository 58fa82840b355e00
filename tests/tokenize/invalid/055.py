x = [rb"""a
b
c
