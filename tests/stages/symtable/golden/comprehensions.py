# PEP 709 inlined comprehensions, generator expressions, named expressions, cells
import asyncio

data = [1, 2, 3]
squares = [x * x for x in data]
pairs = {(a, b) for a in data for b in data if a != b}
table = {k: [v for v in range(k)] for k in data}
gen = (y for y in data if y)
nested = [[i + j for j in range(i)] for i in data]

def counter():
    total = 0
    values = [total := total + v for v in data]
    found = any((hit := v) > 1 for v in data)
    return values, total, hit, found

def closures():
    fns = [lambda: i for i in range(3)]
    cells = [lambda: (i, k) for i in range(3) for k in range(i)]
    outer_var = 10
    inner = [[outer_var + j for j in range(i)] for i in range(3)]
    return fns, cells, inner

def shadow(x):
    y = [x for x in range(x)]
    return x, y

async def agen():
    r = [v async for v in aiter_obj()]
    s = [await v for v in data]
    t = (v async for v in aiter_obj())
    return r, s, t

def aiter_obj():
    return asyncio.Queue()

class K:
    items = [1, 2]
    doubled = [i * 2 for i in items]
    lookup = [items for _ in range(2)]
    gen = (i for i in items)
    def m(self):
        return [self for _ in self.items]

x = [a for a in (b for b in data)]
walrus_module = [(w := c) for c in data]
