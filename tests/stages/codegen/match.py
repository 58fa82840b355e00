def f(x):
    match x:
        case 1 | 2:
            pass
        case "a":
            pass
        case None:
            pass
        case [a, b, *rest]:
            pass
        case [a, *_, b]:
            pass
        case (a, b):
            pass
        case {"k": v, **kw}:
            pass
        case {"k": v, 1: w}:
            pass
        case Point(x=0, y=yy) as p:
            pass
        case Point(a, b):
            pass
        case [1, 2] | [3, 4]:
            pass
        case (1 | 2) as z if z > 1:
            pass
        case m.CONST:
            pass
        case [] | {}:
            pass
        case _:
            pass
    match x:
        case a:
            pass
    match x:
        case (a, b) | (b, a):
            pass
