x = r'ab\'c
