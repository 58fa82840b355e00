# Localsplus kinds: cells that are arguments, plain cells, free variables, __class__ and
# __classdict__ cells, hidden fast locals of inlined comprehensions, generators, coroutines.
def outer(a, b, *args, c, **kw):
    d = 1

    def inner(e):
        nonlocal d
        d = a + b + c + e
        return [d for d in args if kw]

    return inner


def comps(xs):
    y = [x for x in xs]
    z = {x: [w for w in x] for x in xs}
    return [lambda: x for x in xs], y, z


class C:
    def method(self):
        return __class__

    def gen(self, n):
        yield from range(n)

    async def coro(self):
        return [await x async for x in self]


class D[T](C):
    type Alias[U] = list[U]

    def f(self, x: T) -> T:
        return super().f(x)


squares = [n * n for n in range(10)]          # module level: n is a hidden fast local
table = {k: v for k, v in zip("ab", "cd")}


class E:
    names = [m for m in dir()]                # class level: hidden too
