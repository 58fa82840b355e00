x = b'ab\'c
