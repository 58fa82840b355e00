x = R'''abc

