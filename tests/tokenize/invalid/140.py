x = x = f"abc

