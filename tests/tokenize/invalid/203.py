x = 1elf
