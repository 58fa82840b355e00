"""Module docstring."""
import os, sys as system
import a.b.c as d, e.f
from . import x
from .. import (y, z as w,)
from ...pkg.mod import *
from __future__ import annotations

x = 1
x = y = z = 2
a, b = b, a
[a, *b] = c
(a, b), c = d
x.y.z = 1
x[1] = 2
x[1:2, ::3] = 3
x: int
x: int = 5
(x): int = 5
x.y: list[int] = []
x += 1; y -= 2; z *= 3
x @= m
x //= 2; x **= 2; x >>= 1; x <<= 1; x &= 1; x |= 1; x ^= 1; x %= 2; x /= 2
del x, y[0], z.a
del (a, b), [c]
assert x, "message"
assert y
pass
global g1, g2

def f(a, b=1, *args, c, d=2, **kwargs) -> int:
    """Doc."""
    nonlocal_thing = 1
    return a + b

def g(a, /, b, *, c):
    return

def h(a: int = 1, /, *, b: str = "x") -> None: ...

async def coro(x):
    await x
    async for i in x:
        pass
    else:
        pass
    async with x as y, z:
        pass
    return [i async for i in x]

@decorator
@decorator.attr(1, 2)
@(lambda f: f)
class C(Base, metaclass=Meta, **kw):
    attr = 1

    def method(self):
        yield
        yield 1
        yield 1, 2
        x = yield from g()
        return (yield)

for i in range(10):
    if i:
        continue
    elif i > 5:
        break
    elif i < 0:
        pass
    else:
        pass
else:
    pass

while x:
    x -= 1
else:
    pass

try:
    pass
except ValueError as e:
    raise
except (TypeError, KeyError):
    raise Exception("x") from e
except:
    pass
else:
    pass
finally:
    pass

try:
    pass
finally:
    pass

try:
    pass
except* ValueError as eg:
    pass
except* TypeError:
    pass

with open(f) as fh, open(g) as gh:
    pass
with (open(f) as fh, open(g) as gh,):
    pass
with (a, b):
    pass
with (a, b) as c:
    pass
with (yield):
    pass

if x: pass
while 0: pass
for x in y: pass
class E: pass
def k(): return 1
x = 1 if y else 2
type Alias = int
type Generic[T, *Ts, **P] = list[T]
type Bounded[T: int = str, U: (int, str)] = dict[T, U]

def generic[T: int, *Ts, **P](x: T) -> T: ...
class G[T = int]: ...
lambda: 0
lambda x, /, y=1, *a, z, **k: x
