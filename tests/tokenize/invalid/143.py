x = [Rf"""a
b
c
