x = fr'abc
