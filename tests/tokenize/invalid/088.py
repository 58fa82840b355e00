x = Rb'abc
