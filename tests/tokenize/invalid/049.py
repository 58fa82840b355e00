x = f'ab\'
