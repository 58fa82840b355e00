x = fr'''abc

