x = [fR"""a
b
c
