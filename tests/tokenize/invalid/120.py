x = FR"abc
