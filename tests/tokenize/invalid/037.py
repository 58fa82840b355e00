x = u"""abc

