x = B'ab\'c
