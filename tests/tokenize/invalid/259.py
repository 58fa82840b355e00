x = a™b
