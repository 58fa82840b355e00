x = u"abc
