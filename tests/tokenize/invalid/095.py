x = bR'''abc

