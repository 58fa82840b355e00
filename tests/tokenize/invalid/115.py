x = Rb'''abc

