y = 1
x = f'abc\
