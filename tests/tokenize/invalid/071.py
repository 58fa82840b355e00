x = [fr"""a
b
c
