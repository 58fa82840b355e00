y = 1
x = U'abc\
