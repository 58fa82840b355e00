x = fR"abc
