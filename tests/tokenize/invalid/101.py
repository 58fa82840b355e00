x = U"""abc

