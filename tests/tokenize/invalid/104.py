x = U'ab\'c
