x = b"""abc

