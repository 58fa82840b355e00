"""Generates tests/stages/symtable/errors.txt: programs CPython 3.13's parser accepts and its
symbol table rejects, each with the exception type, line, offset (CPython's 1-based offset:
the byte column + 1) and message that symtable.symtable() raises.
Run with the oracle:  PYTHONHASHSEED=0 $(bash tools/oracle_python.sh 3.13) tools/gen_symtable_errors.py

Format (as tests/ast/errors.txt): a header line "=== NAME<TAB>TYPE<TAB>LINE<TAB>OFFSET<TAB>MESSAGE"
and then the program's lines. Programs below are separated by lines "###". Each is also tried
inside a function and inside a class (the variants the parser accepts and the symbol table
still rejects are kept: the position moves, the message may change).
"""
import ast
import os
import symtable
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROGRAMS = r"""
def f(a):
    global a
###
def f(a):
    x = 1
    def g(x):
        nonlocal x
###
def f():
    x = 1
    global x
###
x = 1
global x
###
def f():
    x = 1
    def g():
        x = 2
        nonlocal x
###
def f():
    print(x)
    global x
###
print(x)
global x
###
class C:
    print(x)
    global x
###
def f():
    x = 1
    def g():
        print(x)
        nonlocal x
###
def f():
    x: int
    global x
###
def f():
    global x
    x: int = 1
###
def f():
    x = 1
    def g():
        nonlocal x
        x: int
###
def f():
    x = 1
    def g():
        x: int
        nonlocal x
###
def f():
    from os import *
###
class C:
    from os import *
###
def f():
    class C:
        from os.path import *
###
lambda: [x for x in ()] or __import__
###
class C:
    [(y := 1) for x in range(3)]
###
class C:
    z = {(y := x): 1 for x in range(3)}
###
class C:
    def f(self): pass
    z = [[(y := 1) for a in b] for x in range(3)]
###
def f[T: [(y := 1) for x in z]](): pass
###
class C[T: [(y := 1) for x in z]]: pass
###
type X = [(y := 1) for x in z]
###
type X[T] = [(y := 1) for x in T]
###
class C[T]([(y := 1) for x in z]): pass
###
def f[T](a: [(y := 1) for x in z]): pass
###
def f[T]() -> [(y := 1) for x in z]: pass
###
[(x := 0) for x in y]
###
[i for i in range(5) if (j := 0) for j in range(5)]
###
def f():
    [i for i in range(5) if (j := 0) for j in range(5)]
###
{(x := 1): 2 for x in y}
###
[[(x := 1) for y in z] for x in w]
###
[x for x in (y := [])]
###
[x for x in [y for y in (z := [])]]
###
def f():
    return [x for x in (lambda: (y := 1))()]
###
{x: y for x, y in (z := {}).items()}
###
(a for a in (b := c))
###
[a for b in c for a in (d := e)]
###
def f[T: (yield)](): pass
###
def f[T: (yield from x)](): pass
###
def f[T: (await x)](): pass
###
def f[T: (x := 1)](): pass
###
def f[T: (int, (yield))](): pass
###
def f[T = (yield)](): pass
###
def f[*Ts = (yield)](): pass
###
def f[**P = (yield)](): pass
###
class C[T = (await x)]: pass
###
class C[**P = (x := 1)]: pass
###
type X[T: (yield)] = int
###
type X = (yield)
###
type X = (x := 1)
###
type X = await y
###
type X[T] = (yield from T)
###
def f[T](x: (yield)): pass
###
def f[T]() -> (yield): pass
###
def f[T](*, x: (await y)): pass
###
class C[T]((yield)): pass
###
class C[T](base=(yield)): pass
###
class C[T](metaclass=(x := 1)): pass
###
def f():
    [(yield x) for x in y]
###
def f():
    {(yield) for x in y}
###
def f():
    {(yield): 1 for x in y}
###
def f():
    {1: (yield) for x in y}
###
def f():
    ((yield) for x in y)
###
def f():
    [(yield from x) for x in y]
###
async def f():
    [(yield) async for x in y]
###
[(yield x) for x in y]
###
class C:
    [(yield x) for x in y]
###
def f(a, a): pass
###
lambda a, a: 0
###
def f(a, *a): pass
###
def f(a, **a): pass
###
def f(*, a, a): pass
###
def f(a, /, a): pass
###
async def f(x, *, y, x): pass
###
class C:
    def f(self, __a, _C__a): pass
###
class C:
    def f(self, _C__a, __a): pass
###
class _C:
    def f(self, __a, _C__a): pass
###
def f[T, T](): pass
###
class C[T, *T]: pass
###
type X[T, **T] = int
###
class C[__T, _C__T]: pass
###
def f():
    x = 1
    def g():
        global x
        nonlocal x
###
nonlocal x
###
class C:
    nonlocal x
###
def f():
    nonlocal x
###
def f():
    def g():
        nonlocal x
    x = 1
###
def f():
    class C:
        x = 1
        def g(self):
            nonlocal x
###
def f[T]():
    nonlocal T
###
class C[T]:
    def f(self):
        nonlocal T
###
def f():
    [(nonlocal_target := 1) for x in y]
    nonlocal nonlocal_target
###
def f[__classdict__](): pass
###
class C[__classdict__]: pass
###
type X[__classdict__] = int
###
def f[*__classdict__](): pass
###
def f():
    global x
    [x for x in (y := 1)]
###
class C:
    def f(self):
        global __x
        nonlocal __x
###
def f():
    __x = 1
    class C:
        def g(self):
            nonlocal __x
###
def f():
    for x in []:
        global x
###
def f():
    with a as x:
        global x
###
def f():
    import x
    global x
###
def f():
    try:
        pass
    except E as x:
        global x
###
def f():
    match y:
        case [x]:
            global x
###
def f():
    def x(): pass
    global x
###
def f():
    class x: pass
    global x
###
def f():
    del x
    global x
###
def f():
    x += 1
    nonlocal x
###
def é():
    é = 1; global é
###
from __future__ import annotations
x: (y := 1)
###
from __future__ import annotations
def f(a: (yield)): pass
###
from __future__ import annotations
def f() -> (await x): pass
###
from __future__ import annotations
def f(*a: (yield from b)): pass
###
from __future__ import annotations
class C:
    x: [(yield) for y in z]
###
from __future__ import annotations
def f(**k: (x := 2)): pass
###
def f():
    s = "ééé"; global s
"""


def variants(prog):
    yield prog
    yield "def outer():\n" + "".join("    " + l + "\n" for l in prog.splitlines())
    yield "class Outer:\n" + "".join("    " + l + "\n" for l in prog.splitlines())


def main():
    warnings.simplefilter("ignore")
    seen = set()
    rows = []
    for base in PROGRAMS.strip("\n").split("\n###\n"):
        for prog in variants(base.strip("\n") + "\n"):
            if prog in seen:
                continue
            seen.add(prog)
            try:
                ast.parse(prog.encode("utf-8"), "<test>")
            except SyntaxError:
                continue
            try:
                symtable.symtable(prog, "<test>", "exec")
                continue
            except (SyntaxError, RecursionError) as e:
                if not isinstance(e, SyntaxError):
                    rows.append((type(e).__name__, None, None, str(e), prog))
                    continue
                msg = str(e.msg).replace("\n", " ").replace("\t", " ")
                rows.append((type(e).__name__, e.lineno, e.offset, msg, prog))
    out = os.path.join(ROOT, "tests", "stages", "symtable", "errors.txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for i, (t, line, offset, msg, prog) in enumerate(rows):
            f.write("=== %03d\t%s\t%s\t%s\t%s\n" % (i + 1, t, line, offset, msg))
            f.write(prog)
    print("%d programs" % len(rows))


main()
