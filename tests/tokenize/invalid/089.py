x = B'ab\'
