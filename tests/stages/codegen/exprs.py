a = 1 + 2 * b - c / d // e % f ** g @ h << i >> j & k | l ^ m
n = -a, +a, ~a, not a
o = a and b or c and not d
p = a if b else c
q = a < b <= c == d != e > f >= g is h is not i in j not in k
r = [1, 2, *s, 3]
t = (1, *s)
u = {1, 2, *s}
v = {'a': 1, **w, 'b': 2}
x = {1: 2, 3: 4}
y = [1, 2, 3], (1, 2, 3), {1, 2, 3}
z = f'{a}{b!r:>{c}}{d!s}{e!a}' f'x{y=}'
aa = a[1], a[1:2], a[1:2:3], a[::], a[...,1]
a[1] = a[1:2] = b
a.b.c = d
a[i] += 1
a[1:2] += 3
a.x -= 4
bb = f(1, 2, x=3)
cc = f(*a, **b)
dd = f(1, *a, 2, *b, x=1, **c, y=2, **d)
ee = o.m(1, 2, k=3)
ff = o.m(*a)
gg = (yield_ := 5)
hh, *ii, jj = kk
[ll, mm] = nn
oo = {**a}
pp = lambda x, y=1, *z, w=2, **v: x + y
qq = f(x for x in y)
rr = 'a' 'b'
ss = b'x', 1.5, 2j, None, True, False, ..., 10**100
tt = f(a)(b)(c)
uu = a.b(c).d[e].f
vv = [*a, *b]
ww = (*a, *b)
xx = f(**a)
yy = f(a, b=1, **c)
zz = 1 if a and b or c else 2
big = [1, x, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]
bigd = {'a': a, 'b': b, 'c': c, 'd': d, 'e': e, 'f': f, 'g': g, 'h': h, 'i': i, 'j': j, 'k': k, 'l': l, 'm': m, 'n': n, 'o': o, 'p': p, 'q': q}
