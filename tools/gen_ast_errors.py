"""Generates tests/ast/errors.txt: short programs CPython 3.13's parser rejects, each with the
exception type, line, offset (1-based column in code points) and message that CPython gives.
Run with the oracle:  $(bash tools/oracle_python.sh 3.13) tools/gen_ast_errors.py

Format: a header line "=== NAME<TAB>TYPE<TAB>LINE<TAB>OFFSET<TAB>MESSAGE" and then the
program's lines; programs never contain a line starting with "===".
Candidates that CPython accepts (or rejects only after parsing) are left out. Besides the
one-line-ish SIMPLE list below, tests/ast/error_programs.txt holds programs separated by
lines "###".
"""
import ast
import os
import sys
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SIMPLE = r"""
a b
x = = 1
1 +
f(
f(a b)
[a b]
(1 2)
{1 2}
{'a': 1 'b': 2}
x = 1 2
print "hello"
print x
exec "code"
def
class
import
from
from x
from x import
import a.b as
from . import
import *
from x import *, y
from x import a,
from x import (a, b
from x import ()
if x
  pass
while x
  pass
for x in y
  pass
def f()
  pass
class A
  pass
with a
  pass
try
  pass
try:
  pass
try:
  pass
else:
  pass
else:
  pass
elif x:
  pass
x if y
x if y else
lambda x
lambda: 
a := 1
(a.b := 1)
(a[0] := 1)
((a, b) := 1)
def f(a=1, b): pass
def f(*, **k): pass
def f(*): pass
def f(*a, *b): pass
def f(**a, b): pass
def f(**a, *b): pass
def f(a, /, /): pass
def f(/, a): pass
def f(*a, /): pass
def f(a, *, /): pass
def f(None): pass
def f(a, a=1, *): pass
def f(x for x in y): pass
lambda a=1, b: 0
lambda *: 0
lambda *a, *b: 0
lambda **a, b: 0
f(a=1, b)
f(**a, b)
f(**a, *b)
f(x for x in y, 1)
f(1, x for x in y)
f(a for a in b for)
f(a=1, a)
f(1=2)
f(a.b=1)
f(True=1)
class A(x for x in y): pass
@decorator
x = 1
@
def f(): pass
async x
async = 1
await = 1
except A, B:
  pass
try:
  pass
except A, B:
  pass
try:
  pass
except* A, B:
  pass
try:
  pass
except*:
  pass
try:
  pass
except A:
  pass
except* B:
  pass
try:
  pass
finally:
  pass
except A:
  pass
x = (1, 2
x = [1, 2
x = {1: 2
x = )
x = ]
x = }
x = (1, 2]
x = [1, 2)
x = {1, 2)
f(a, b]
'abc
"abc
'''abc
\"\"\"abc
x = 'abc
x = "abc" "def
b'\xff' 'x'
b'abc' 'def'
'abc' b'def'
b'é'
1a
1_
1__0
0b2
0o8
0x
0xg
1e
1.2.3
01
0_7
1_000_
1e+
0b1_
5 if
f"{}"
f"{ }"
f"{!r}"
f"{x!z}"
f"{x!}"
f"{x"
f"}"
f"{"
f"{x:{}}"
f"{x!r=}"
f"{lambda x: 1}"
f"{yield}"
f'{a $ b}'
f"{x:}}"
f"{{}"
f"{x!r :}"
f"abc
f'''abc
$
a = $
?
x = 1 ?
a ! b
`a`
x = 1; ; y = 2
;
x = 1;;
if x: pass; elif y: pass
def f(): return 1 return 2
for x in range(10): pass else: pass
import a.
import .a
from .a import b.c
from a import b as
from a import b as c.d
global x,
global
nonlocal
del
del f()
del x + 1
del (x for x in y)
del [x for x in y]
del *x
del *x, y
del 1
del None
del f(), g()
del x, 1
assert
raise from x
raise x from
return *
return **x
yield *
x = yield from
x: int = 1 = 2
x, y: int
[x, y]: int
(x, y): int
f(): int
1: int
x.y: int = yield = 1
x +=
x += 1 += 2
x, y += 1
[x] += 1
f() += 1
1 += 1
x = *
*x
**x
x = **y
a = *b
print(*)
print(**)
{**}
[*]
{*}
(*)
a[*]
a[**b]
x = {**a: 1}
x = {a: *b}
x = {a: **b}
[*x for x in y]
{*x for x in y}
{**x for x in y}
(*x for x in y)
[x for x in]
[x for in y]
[x for x y]
[for x in y]
[x, y for x in y]
(x, y for x in y)
{x: y for y, z in w, q}
[x if y for x in z]
[x async for]
match x:
case 1:
  pass
match x:
  case 1
    pass
match x:
  case:
    pass
match x:
  pass
match x:
  case a b:
    pass
match x:
  case 1 + 1:
    pass
match x:
  case a.b():
    pass
  case f(a=1, 2):
    pass
match x:
  case {a: 1}:
    pass
match x:
  case {**rest, "a": 1}:
    pass
match x:
  case _ as _:
    pass
match x:
  case a as 1:
    pass
match x:
  case *a:
    pass
match x:
  case -a:
    pass
match x:
  case f"{x}":
    pass
match x:
  case 1 if:
    pass
match x:
  case 1j + 1:
    pass
match x:
  case (1, 2:
    pass
type X
type X =
type X[] = int
type X[T: ] = int
type X[*T: int] = T
type X[**P: int] = P
def f[](): pass
def f[T,,](): pass
class A[]: pass
class A[T: int = ]: pass
type = 1 2
with (a as b, c as d) as e:
  pass
with a as 1:
  pass
with a as f():
  pass
with a as (b, 1):
  pass
with (a, b) as c d:
  pass
with open(x) as f, :
  pass
for 1 in x:
  pass
for f() in x:
  pass
for x + 1 in y:
  pass
for x in :
  pass
for in x:
  pass
for x, in y, :
  pass
for *x in y: pass
async for x in y
async with x
async def f()
async def
async class A: pass
async if x: pass
def f(a: int = 1, b): pass
def f(a, *args, b, **kwargs, c): pass
def f(a, **kwargs=1): pass
def f(*args=1): pass
def f(a b): pass
def f(a,, b): pass
def f(,): pass
def f(a)): pass
def f(a: ): pass
def f() -> : pass
def f() -> int
class A(: pass
class A(): pass:
class A(B, C)
def f(): pass
  x = 1
x = 1
    y = 2
if x:
pass
if x:
    pass
  else:
    pass
if x:
        a
    b
def f():
    x = 1
   y = 2
class A:
 def f(self):
   pass
  def g(self):
   pass
for x in y:
x = 1
while True:
# comment
x = 1
with x:

x = 1
try:
x = 1
def f():
'''doc'''
if True:
	x = 1
        y = 2
if True:
        x = 1
	y = 2
x = [
  1,
  2
y = 3
x = (
  1 +
)
x = {
  'a': 1,
  'b' 2,
}
foo(
  a,
  b
  c
)
x = (1 if 2)
x = 1 if 2 else
x = not
x = a not b
x = a is not
x = a in
x = a < < b
x = a < = b
x = a = > b
x = a => b
x = a <> b
x = a === b
x = a !== b
x = (a, b) = (c, d) = 
True = 1
False = 1
None = 1
... = 1
__debug__ = 1
'abc' = 1
1 = x
x.1 = 2
f() = 1
a + b = 1
-a = 1
not a = 1
a and b = 1
a < b = 1
a if b else c = 1
lambda: 1 = 1
(yield) = 1
await x = 1
[x for x in y] = 1
{x for x in y} = 1
{x: y for x in y} = 1
(x for x in y) = 1
{1: 2} = 1
{1, 2} = 1
f"{x}" = 1
x = f() = 1
(a, b + 1) = 1
[a, 1] = 1
a, f() = 1
a, *b + 1 = 1
(*a) = 1
x = *a, = 1
for (a, 1) in b: pass
[x for 1 in y]
[x for f() in y]
[x for a + 1 in y]
(x := 1 for x in y)
with a as b + 1: pass
x = 1 +* 2
x = 1 ** ** 2
x = ~
x = a.
x = a..b
x = a.1
x = a[
x = a[1
x = a[1:2:3:4]
x = a(1
x = a(1,
x = a)(
x = 1 if else 2
x = [1,, 2]
x = (1,, 2)
x = {1,, 2}
x = {,}
x = [,]
x = (,)
x = ,
, = 1
x = 1,,
x = lambda: yield
x = lambda: pass
x = lambda x=: 1
x = lambda (x): 1
def f(*, a, *, b): pass
def f((a, b)): pass
def f(a, (b, c)): pass
x = 0777
x = 1__2
x = 1.e
x = 0b
x = 0o
x = 1jj
x = 1.0.0
x = 09
x = 1_a
x = 0x_
x = 1e_1
x = 5.j_
if x = 1: pass
while x = 1: pass
if x.y = 1: pass
if f() = 1: pass
assert x = 1
f(x.y = 1)
[x = 1]
{x = 1}
(x = 1)
x = (y = 1)
elif = 1
if = 1
def = 1
class = 1
pass = 1
import = 1
x.if = 1
x.class
def if(): pass
class def: pass
import if
from if import a
from a import if
lambda if: 1
f(if=1)
global if
x = a if b
print >>sys.stderr, "x"
x = 1 if True else 2 if
i++
i--
++
x = 5 / / 2
x = *a + b
x = (*a)
x = [**a]
print(a for a in b, c)
x = await
async def f(): await
def f(): yield from
def f(): x = yield from
x = $a
x = a @
x = @a
@ x
def f(): pass
@x y
def f(): pass
@x
@y
class
@x
pass
arg = ap, bq = [, []
a = b, c = [, 1]
a = b = [, 1]
x = a, b = ,
a = b, c = {,}
x.y = a, b = [,]
a = b, c = yield [,]
a = b, c = f(,)
a = b, c = if
a = b, c = -[,]
a = b, c = not -(,)
a = b, c = * *d
a = b, c = *[,]
a = b, c = await [,]
a = b, c = lambda (x): 1
a = b, c = [x for x in]
a = b, c = )
a = b, c = not not
a = b, c = - await (,)
a = b, c = await -(,)
def f(a, b=, c=None): pass
def f(b=): pass
def f(*, a, b=, c=1): pass
lambda a, b=, c=1: 0
lambda a=: 0
def f(a=1, /, b=, c=1): pass
def f(a, b: int=): pass
def f(/, b=): pass
def f(a=1, b, c=): pass
def f(a=, /): pass
def f(a=, *, b): pass
""".strip("\n")

# programs with several lines, separated by blank-line-free blocks: each SIMPLE entry is
# one program unless it is indented continuation of the previous one
def programs():
    out = []
    lines = SIMPLE.split("\n")
    cur = []
    for line in lines:
        starts_new = not line.startswith((" ", "\t")) and cur and not (
            line.startswith(("else", "elif", "except", "finally", "case", "pass", "x = 1", "y = ", "  ", "# ", ")", "}", "def f(): pass", "class", "def f():", "b", "    b"))
            and cur[-1].rstrip().endswith(":") or cur[-1].rstrip().endswith((",", "(", "[", "{", "+")) or cur[-1].startswith("@"))
        if starts_new:
            out.append("\n".join(cur) + "\n")
            cur = []
        cur.append(line)
    if cur:
        out.append("\n".join(cur) + "\n")
    # variants: no final newline, CRLF newlines, inside a function body
    extra = []
    for prog in out[:60]:
        extra.append(prog.rstrip("\n"))
    for prog in out[60:120]:
        extra.append("def outer():\n" + "".join("    " + l + "\n" for l in prog.splitlines()))
    for prog in out[120:150]:
        extra.append("\n\n# comment\n" + prog)
    with open(os.path.join(ROOT, "tests", "ast", "error_programs.txt"), encoding="utf-8") as f:
        more = [p + "\n" for p in f.read().strip("\n").split("\n###\n")]
    return out + extra + more


def main():
    warnings.simplefilter("ignore")
    seen = set()
    rows = []
    for prog in programs():
        if prog in seen:
            continue
        seen.add(prog)
        try:
            ast.parse(prog.encode("utf-8"), "<test>")
            continue
        except SyntaxError as e:
            if any(l.startswith("===") for l in prog.splitlines()):
                continue
            msg = str(e.msg).replace("\n", " ").replace("\t", " ")
            rows.append((type(e).__name__, e.lineno, e.offset, msg, prog))
        except UnicodeDecodeError as e:  # 3.13 lets it out of a format spec's text
            rows.append((type(e).__name__, None, None, str(e), prog))
        except (ValueError, MemoryError, RecursionError):
            continue
    with open(os.path.join(ROOT, "tests", "ast", "errors.txt"), "w", encoding="utf-8") as f:
        for i, (t, line, offset, msg, prog) in enumerate(rows):
            f.write("=== %03d\t%s\t%s\t%s\t%s\n" % (i + 1, t, line, offset, msg))
            f.write(prog if prog.endswith("\n") else prog + "\n")
    print("%d programs" % len(rows))


main()
