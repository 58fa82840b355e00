x = a٠b
