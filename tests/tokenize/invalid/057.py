x = rb'ab\'
