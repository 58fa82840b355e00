y = 1
x = u'abc\
