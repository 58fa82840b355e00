# Location-table forms: short (columns < 80, width < 16), one-line (delta 0..2, columns < 128),
# long (multi-line, big or negative deltas, columns >= 128), no-column and no-location entries.
def f(a, b, c):
    x = (a +
         b +
         c)
    y = a if b else c
    z = [i for i in range(10) if i % 2]                                                          ; w = a + b + c + a + b + c + a + b + c + a + b + c + a + b + c + a + b + c + a + b + c + a + b + c
    return (x,
            y,
            z,
            w)


def g(a):
    return a(
        1,



        2,
    ).b[
        3
    ]


def h():
    pass
    # a large gap before the next line



















































































    return 1
