x = Rb'ab\'
