x = RB"""abc

