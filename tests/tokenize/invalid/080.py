x = rf'ab\'c
