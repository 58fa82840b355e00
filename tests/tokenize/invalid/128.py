x = bR'ab\'c
