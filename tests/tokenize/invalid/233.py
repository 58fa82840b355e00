x = 0j_
