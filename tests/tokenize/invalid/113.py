x = RB'''abc

