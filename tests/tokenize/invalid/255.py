x = a;b
