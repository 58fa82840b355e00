y = 1
x = B'abc\
