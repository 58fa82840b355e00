x = f"{x!"
