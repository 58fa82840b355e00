x = fR'ab\'
