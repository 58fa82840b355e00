x = B'abc
