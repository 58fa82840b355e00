y = 1
x = Rb'abc\
