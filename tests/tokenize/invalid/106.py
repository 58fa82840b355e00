x = F'abc
