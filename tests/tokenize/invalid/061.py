x = rf"""abc

