"""Functions, closures, classes, generators and coroutines."""
import sys


def simple(a, b=2, *args, c, d=4, **kw):
    """A docstring."""
    return a + b + c + d + len(args) + len(kw)


def posonly(a, b, /, c):
    return a, b, c


def outer(x):
    y = x * 2

    def inner(z):
        nonlocal y
        y += z
        return x + y

    return inner


class Shape:
    sides = 0

    def __init__(self, name):
        self.name = name

    @property
    def label(self):
        return f"{self.name}:{self.sides!r:>5}"

    class Nested:
        def method(self):
            return __class__


def gen(n):
    for i in range(n):
        yield i
    yield from range(3)


async def coro(items):
    async for i in items:
        await i
    async with items as x:
        return x


def handler():
    try:
        return 1 / 0
    except ZeroDivisionError as e:
        print(e, file=sys.stderr)
    finally:
        pass


lam = lambda q, *r: (q, r)
comp = [i * i for i in range(10) if i % 2]
dcomp = {k: v for k, v in zip("ab", "cd")}
