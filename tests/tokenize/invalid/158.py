y = 1
x = FR'abc\
