x = U'ab\'
