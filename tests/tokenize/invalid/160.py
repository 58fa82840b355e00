x = FR'ab\'c
