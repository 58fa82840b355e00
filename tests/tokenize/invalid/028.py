x = u'abc
