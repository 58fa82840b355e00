x = B'''abc

