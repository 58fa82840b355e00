x = 'ab\'c
