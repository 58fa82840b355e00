x = Rf"""abc

