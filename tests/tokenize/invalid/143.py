x = f"\N{x}}"
