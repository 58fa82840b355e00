x = r'ab\'
