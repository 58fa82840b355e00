x = [FR"""a
b
c
