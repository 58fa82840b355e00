x = br'ab\'
