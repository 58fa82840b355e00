x = rb'ab\'c
