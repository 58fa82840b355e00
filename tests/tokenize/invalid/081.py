x = rf'ab\'
