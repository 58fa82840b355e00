x = br'ab\'c
