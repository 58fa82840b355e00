x = a​b
