x = FR"""abc

