x = a’b
