# PEP 695 generics: type-parameter blocks, bounds, constraints, defaults, aliases
from typing import Callable

def first[T](xs: list[T]) -> T:
    return xs[0]

def bounded[T: int, *Ts, **P](f: Callable[P, T], *args: *Ts) -> T:
    return f(*args)

def constrained[S: (str, bytes) = str](s: S, sep: S = None, *, kw: int = 0) -> S:
    return s

class Box[T, U = int](list[T], metaclass=type):
    value: T
    def get(self) -> T:
        return super().get()
    def map[V](self, f: Callable[[T], V]) -> "Box[V]":
        return Box()
    type Alias[W] = dict[W, T]
    type Plain = list[U]

class Private[__T]:
    def m(self, x: __T) -> __T:
        return x

type Pair[A, B: int = bool] = tuple[A, B]
type Recursive = list[Recursive] | int

def outer():
    scale = 2
    def inner[T](x: T = scale) -> T:
        return x * scale
    type Local[Q] = list[Q] | type(scale)
    return inner

class Outer:
    attr = int
    def generic[T: attr](self, x: T) -> T:
        return x
    class Nested[T: attr]:
        pass
