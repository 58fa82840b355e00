x = B"abc
