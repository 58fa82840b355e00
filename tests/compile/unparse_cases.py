# Expressions whose unparsed text CPython 3.13 stores as annotations under
# `from __future__ import annotations` (tests/stages/unparse.sh; cases from tools/oracle_unparse.py).
a: 1e309
b: -1e309j
c: 1j + 2
d: (1e400, -1e400, (1,), ())
e: f"{x!r:>{width}.{prec}}"
f: f"{ {1: 2} }" "{{lit}}" f"{x=}"
g: f"{(lambda: 1)}" + f"{x:{y}}" + f"{x!s}"
h: 1 .real + x.y
i: (lambda *a, b=1, **k: a)(*args, **kw)
j: lambda a, /, b, *, c=2, d: (a, b)
k: [x for x in y if x async for z in w]
l: {k: v for k, v in d.items()}
m: not a or b and not (c or d)
n: -x ** -y ** z
o: (a if b else c) if (d if e else f) else g
p: a < b <= c is not d not in e
q: x[1:2, ::3, ...]
r: x[()] + x[(1,)] + x[1,]
s: {**a, 'b': 1, **{'c': 2}}
t: (yield_ + await_)
u: "\x00\u1234\U0001f600" + b"\xff'\""
v: u"kind" + U"kind"
w: ~+-x // (a % b) @ c
x_: f(x for x in y) + f((x for x in y), z)
y: a | b ^ c & d << e >> f
z: ((a, b), [a, *b], (*a, b))
