x = [B"""a
b
c
