# A while test is compiled twice (top and bottom of the loop): a code object in it is made
# twice and merged as equal, as are its neighbours below.
def f(s):
    while any(t.x() for t in s):
        s.pop()
    while (lambda: s)():
        s.pop()
    while s and (lambda y=1: y)() or all(u for u in s):
        pass
    else:
        g = (v for v in s)
    while [w for w in s if (lambda: w)()]:
        s.pop()
    return g

async def a(s):
    while any([t async for t in s]) or (lambda: 0)():
        await s.step()
    while any(t for t in s):
        break
    while (x := (lambda: 1)()):
        continue

class C:
    while any(k for k in ()):
        pass
    while (lambda: 0)():
        pass

while any(z for z in ()):
    pass
