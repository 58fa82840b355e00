x = b'''abc

