x = U'abc
