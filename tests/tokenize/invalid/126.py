y = 1
x = bR'abc\
