x = [U"""a
b
c
