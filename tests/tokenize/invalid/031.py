x = [r"""a
b
c
