x = fR'abc
