x = rf'''abc

