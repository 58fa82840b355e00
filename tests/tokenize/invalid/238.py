x = 1ee1
