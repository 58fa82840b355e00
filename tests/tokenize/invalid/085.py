x = F"""abc

