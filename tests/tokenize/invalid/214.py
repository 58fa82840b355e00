x = 1.e5x
