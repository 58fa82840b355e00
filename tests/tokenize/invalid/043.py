x = rb"""abc

