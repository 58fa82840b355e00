x = bR'abc
