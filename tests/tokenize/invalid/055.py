x = fr"""abc

