x = F"abc
