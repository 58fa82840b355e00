y = 1
x = Rf'abc\
