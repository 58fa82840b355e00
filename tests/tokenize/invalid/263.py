x = a（b
