x = r'''abc

