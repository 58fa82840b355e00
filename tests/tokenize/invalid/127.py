x = [bR"""a
b
c
