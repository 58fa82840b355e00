x = 1notx
