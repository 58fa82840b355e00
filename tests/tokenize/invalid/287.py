x = aⅠb
