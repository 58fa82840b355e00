x = 0e
