x = FR'ab\'
