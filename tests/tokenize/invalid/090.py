x = R'abc
