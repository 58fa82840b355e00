x = Rf'abc
