x = f'{a['b']}
