x = f"{x!r"
