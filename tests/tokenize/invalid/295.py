x = a½b
