x = fr"abc
