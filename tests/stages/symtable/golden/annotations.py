from __future__ import annotations
# with future annotations, annotations are not evaluated: their names stay out of the tables
x: SomeType = 1
y: list[Other]

def f(a: A, *b: B, c: C = None, **d: D) -> R:
    z: Local = a
    return z

class K:
    attr: Attr
    def m(self, v: V) -> K:
        w: W
        return self

def g[T](v: T) -> T:
    return v
