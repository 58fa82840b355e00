x = Rf'''abc

