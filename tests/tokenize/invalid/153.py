x = RB'ab\'
