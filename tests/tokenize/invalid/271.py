x = a“b
