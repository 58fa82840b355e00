y = 1
x = F'abc\
