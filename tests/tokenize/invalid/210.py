x = 1fork
