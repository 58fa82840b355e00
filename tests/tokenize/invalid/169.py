x = f"{x

