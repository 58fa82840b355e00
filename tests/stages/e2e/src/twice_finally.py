# A finally body is compiled twice (the normal exit and the exception path): its functions,
# lambdas and generator expressions are made twice and merged as equal objects.
def f(a):
    try:
        a()
    finally:
        g = lambda: a
        h = (x for x in a)
        def inner(p, *, q=1):
            return p + q
        class K:
            def m(self):
                return [y for y in a]
    return g, h, inner, K

def r(a):
    for i in a:
        try:
            if i:
                break
            continue
        finally:
            cb = lambda: i
    try:
        return a
    finally:
        a.cb = lambda: 0

async def w(a):
    async with a:
        pass
    try:
        await a
    finally:
        a.cb = lambda: (z async for z in a)

def nested(a):
    try:
        try:
            a()
        finally:
            x = lambda: 1
    finally:
        y = lambda: 2
        z = lambda: 2
    return x, y, z

try:
    pass
finally:
    top = lambda: None
