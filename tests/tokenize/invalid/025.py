x = b'ab\'
