y = 1
x = fr'abc\
