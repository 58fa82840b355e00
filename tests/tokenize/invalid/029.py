x = u'''abc

