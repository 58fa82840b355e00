# global, nonlocal, free and cell variables; the order free names join a block
import os.path
import collections.abc as cabc
from os import sep as separator, getcwd

counter = 0

def bump():
    global counter
    counter += 1

def make():
    a = b = c = d = e = 1
    def mid():
        def inner():
            return a + b + c + d + e + counter
        nonlocal a
        a = 2
        return inner
    def other():
        return e, d, c, b, a
    return mid, other

def deep():
    v1 = v2 = v3 = v4 = v5 = v6 = v7 = v8 = v9 = v10 = 0
    def l1():
        def l2():
            def l3():
                return v10, v9, v8, v7, v6, v5, v4, v3, v2, v1
            return l3
        return l2
    return l1

def handlers(x):
    try:
        pass
    except (ValueError, TypeError) as err:
        del err
    with open(x) as (f, g):
        pass
    match x:
        case [1, *rest] | {"k": rest, **rest2}:
            pass
        case Point(x=px, y=py) as whole if px > 0:
            pass
        case str() | None:
            pass
    for i, (j, k) in enumerate([]):
        pass
    else:
        pass
    while (n := 0):
        pass
    return lambda q=i, *a, r, **kw: (q, a, r, kw, x)

def defaults(a, b=counter, /, c=[], *args, d, e=os, **kwargs):
    def uses():
        nonlocal args
        return kwargs, args
    return uses

def deleter():
    x = 1
    del x
    def g():
        return x
    return g

class C:
    global gx
    gx = 1
    def m(self):
        global gx
        return gx
