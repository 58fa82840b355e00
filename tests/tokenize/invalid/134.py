y = 1
x = fR'abc\
