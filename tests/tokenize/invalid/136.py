x = fR'ab\'c
