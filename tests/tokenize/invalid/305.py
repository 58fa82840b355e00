x = a«b
