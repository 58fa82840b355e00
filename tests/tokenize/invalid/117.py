x = Rb"""abc

