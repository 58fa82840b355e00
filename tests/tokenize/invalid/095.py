x = [R"""a
b
c
