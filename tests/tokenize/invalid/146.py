x = RB'abc
