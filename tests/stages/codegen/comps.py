a = [x for x in y]
b = {x for x in y if x if not x}
c = {k: v for k, v in y}
d = (x for x in y for z in x)
e = [x for x in y for z in [x] for w in (1,)]
class C:
    z = [x for x in range(3)]
    w = [z for _ in range(3)]
def f(y):
    q = 1
    a = [x for x in y]
    b = [lambda: x for x in y]
    c = [q for x in y]
    d = [(x := 1) for _ in y]
    return [[x * y for x in r] for r in y]
async def g():
    return [await x for x in y], {x async for x in y}, (x async for x in y)
