x = RB'ab\'c
