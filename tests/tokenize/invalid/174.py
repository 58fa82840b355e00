x = f'''{x

