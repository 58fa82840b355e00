x = [rf"""a
b
c
