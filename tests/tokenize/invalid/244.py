x = 1or2
