x = r"abc
