x = [u"""a
b
c
