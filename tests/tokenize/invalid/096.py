x = bR"abc
