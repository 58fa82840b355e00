x = 1andx
