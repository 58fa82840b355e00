x = F'ab\'
