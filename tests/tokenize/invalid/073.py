x = fr'ab\'
