x = f'ab\'c
