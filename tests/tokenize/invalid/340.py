x = a√
