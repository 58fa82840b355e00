x = bR'ab\'
