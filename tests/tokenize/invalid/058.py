x = rf'abc
