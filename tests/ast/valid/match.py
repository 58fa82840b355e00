match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        print("Origin")
    case Point(x, y=0):
        pass
    case [Point(x=0, y=0), *rest]:
        pass
    case {"x": x, "y": y, **rest}:
        pass
    case {1: _, "a": [1, 2], None: x}:
        pass
    case 1 | 2 | 3:
        pass
    case (1 | 2) as z:
        pass
    case -1 | 1.5 | -2j | 1 + 2j | -1 - 2j:
        pass
    case "a" "b" | b"c":
        pass
    case None | True | False:
        pass
    case a.b.c:
        pass
    case a.b():
        pass
    case (a, b, *_):
        pass
    case a, b:
        pass
    case *a, b:
        pass
    case ():
        pass
    case []:
        pass
    case (x,):
        pass
    case x if x > 0:
        pass
    case _:
        pass

match x, y:
    case _: pass

match (x):
    case {}: pass

match = 1
match.x = 2
match[1] = 3
match(x)
case = 4
type = 5
type(x)
_ = 6
print(match, case, type, _)
