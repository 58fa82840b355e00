# Constant folding, tuples, swaps, superinstructions, LOAD_FAST_CHECK, cells and generators.
from __future__ import annotations

def defaults(a, b=(1, 2), *, c=3, d="s") -> tuple[int, ...]:
    t = (a, 1, 2)
    u = 1, 2, 3
    a, b = b, a
    a, b, c = c, b, a
    x, = [a]
    (p, q), r = (a, b), c
    return t, u, x, p, q, r

def maybe_unbound(flag):
    if flag:
        v = 1
    del flag
    try:
        return v
    finally:
        v = 2

def cells(a, b):
    c = a
    def f():
        return a + c
    def g():
        nonlocal b
        b = 1
    return f, g

class K:
    attr: int = 1
    def m(self):
        return __class__, super().m()
    @classmethod
    def c(cls):
        return [cls for _ in range(3)]

def gen(n):
    for i in range(n):
        yield i
    yield from range(n)
    return (yield)

async def agen(xs):
    async for x in xs:
        yield x
    async with xs as y:
        await y

def many():
    a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = a8 = a9 = 0
    b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = b8 = b9 = 0
    c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = c8 = c9 = 0
    d0 = d1 = d2 = d3 = d4 = d5 = d6 = d7 = d8 = d9 = 0
    e0 = e1 = e2 = e3 = e4 = e5 = e6 = e7 = e8 = e9 = 0
    f0 = f1 = f2 = f3 = f4 = f5 = f6 = f7 = f8 = f9 = 0
    g0 = g1 = g2 = g3 = g4 = g5 = g6 = g7 = g8 = g9 = 0
    if a0:
        del g9
    h = g9 + g8
    return h, [i for i in range(g7)], {k: 1 for k in range(g6)}

def matching(v):
    match v:
        case [1, 2, *rest]:
            return rest
        case {"k": x, **kw} if x:
            return kw
        case K(attr=1) | None:
            return 0
        case str() as s:
            return s
        case _:
            return -1

lam = lambda x, *a, **k: (x, a, k)
