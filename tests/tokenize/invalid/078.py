y = 1
x = rf'abc\
