x = rf"abc
