y = 1
x = r'abc\
