x = R'ab\'
