x = r'abc
