x = FR'''abc

