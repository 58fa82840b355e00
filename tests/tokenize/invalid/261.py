x = àb
