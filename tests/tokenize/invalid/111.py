x = [F"""a
b
c
