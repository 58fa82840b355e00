x = br"""abc

