x = U"abc
