x = x = f'''abc

