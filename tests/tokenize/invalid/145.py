x = Rf'ab\'
