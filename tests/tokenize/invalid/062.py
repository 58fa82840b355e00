y = 1
x = br'abc\
