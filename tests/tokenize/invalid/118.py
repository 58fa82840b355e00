x = FR'abc
