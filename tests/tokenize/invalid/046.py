x = br'abc
