x = Rb"abc
