x = 1elsex
