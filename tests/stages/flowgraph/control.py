# Control flow: loops, conditionals with constants, try/except/finally, with, break/continue.
import sys

def loops(n, items):
    total = 0
    for i in range(n):
        if i % 2:
            continue
        while i > 0:
            i -= 1
            if i == 3:
                break
        else:
            total += 1
    for x in items:
        pass
    else:
        total -= 1
    while 1:
        if total:
            break
    while 0:
        print("never")
    return total

def consts(x):
    if x is None:
        return 1
    if None is not x:
        return 2
    if not not x:
        return 3
    assert False, "no"
    return True and x

def tries(path):
    try:
        f = open(path)
    except OSError as e:
        print(e)
        return None
    except (ValueError, TypeError):
        raise
    else:
        with f:
            data = f.read()
    finally:
        print("done")
    try:
        pass
    finally:
        return data

def star(excs):
    try:
        raise ExceptionGroup("x", excs)
    except* ValueError as eg:
        print(eg)
    except* TypeError:
        pass

def nested_with(a, b):
    with a as x, b as y:
        return x + y

def dead():
    return 1
    print("unreachable")
    def inner():
        pass

x = [1, 2, 3]
if __debug__ and sys:
    y = x if x else None
