x = fr'ab\'c
