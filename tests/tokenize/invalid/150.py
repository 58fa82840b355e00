y = 1
x = RB'abc\
