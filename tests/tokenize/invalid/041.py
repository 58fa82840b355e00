x = rb'''abc

