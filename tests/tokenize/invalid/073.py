x = R"""abc

