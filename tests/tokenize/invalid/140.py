x = Rf"abc
