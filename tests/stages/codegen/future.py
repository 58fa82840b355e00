from __future__ import annotations
x: List[int] = []
y: 'str'
z: a.b[c, d:e, ...] | None
def f(a: int = 1, *b: Tuple[int, ...], c: lambda x, *, y=1: x, **d: f'{x!r:>{y}}') -> dict[str, (1, 2.5, 1e400, 1j)]: pass
class C:
    a: -x ** -y
    c: [i for i in range(3) if i]
    d: {**a, 'b': 1} 
    e: not a and b or c if d else e
    f: a < b is not c
    g: x[1:2, ::3]
    h: (1,)
