x = br"abc
