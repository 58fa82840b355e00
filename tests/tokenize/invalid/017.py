x = 'ab\'
