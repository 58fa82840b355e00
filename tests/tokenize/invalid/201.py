x = 12L
