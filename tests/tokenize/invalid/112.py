x = F'ab\'c
