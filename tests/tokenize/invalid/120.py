x = Rb'ab\'c
