y = 1
x = b'abc\
