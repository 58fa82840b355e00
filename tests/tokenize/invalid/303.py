x = a　b
