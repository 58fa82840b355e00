x = R'ab\'c
