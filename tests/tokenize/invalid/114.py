x = RB"abc
