y = 1
x = R'abc\
