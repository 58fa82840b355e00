x = B"""abc

