x = rf"{x}}"
