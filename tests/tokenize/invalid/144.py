x = Rf'ab\'c
