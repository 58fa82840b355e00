# Expressions at the edges of CPython 3.13's AST constant folding (tests/stages/astopt.sh).
"a module docstring"
# big int powers and shifts near MAX_INT_SIZE (128 bits)
a = 2**127, 2**128, 3**80, 3**81, (-2)**127, 2**64 * 2**63, 2**64 * 2**64, 1**128, 0**10**30
b = 1 << 127, 1 << 128, 3 << 126, 3 << 127, 0 << 10**30, 0 << -1, 5 << -1, -1 >> 10**30, -7 >> 1
c = 10**38 * 10**0, 340282366920938463463374607431768211455 * 1, 0 * 10**400, (2**100) ** 1
d = 2**-1, 2**-1074, 2**-1075, 10**-400, 0**-1, (-8)**(1/3), (-1)**0.5, 2.0**1024, 1.0**float('nan')
# ints of any size: division, modulo, bit operations
e = 12345678901234567890123456789 // 987654321, -12345678901234567890123456789 % 987654321
f = 123456789012345678901234567890123456789 // -1234567890123, 10**30 % -7, -(10**30) // 7
g = (1 << 100) / 3, 10**400 / 10**399, 10**400 / 3, 1 / 10**400, 7 / 0, 7 // 0, 7 % 0
h = -5 & 0xff, -5 | -9, -5 ^ 3, ~-1, ~0, ~(2**100), (2**100) & -(2**99), -(2**100) | 1, 6 ^ -(2**70)
i = 9007199254740993 / 1, 9007199254740993 * 1.0, 2**1023 * 2.0, 2**1024 * 1.0, 2**1024 + 0j
# floats: floor division and modulo signs, negative zero, infinities
j = -0.0, -(0.0), 0.0 * -1, -7.5 // 2, 7.5 // -2, -7.5 % 2, 7.5 % -2, -0.0 % 5, 0.0 % -5, 1e308 * 10
k = 1e308 + 1e308 - 1e308, 1e-320 / 10, 5 // 0.0, 5.0 % 0, 1e300 ** 2, 0.5 ** -2000, (-2.0) ** 0.5
l = 3.0 // 0.1, 1 // 0.1, 1 % 0.1, -1 % 0.1, 7 // -0.0, 1e16 + 1, 0.1 + 0.2, 1 / 3 * 3
# complex literals and arithmetic
m = 1j, -1j, 1 - 1j, -0.0 + 1j, 1j * 1j, (1 + 2j) / (3 - 4j), (1 + 2j) ** 2, (1 + 2j) ** -3, 1j ** 101
n = 0j ** 0, 0j ** -1, 0j ** 1j, 2 ** 1j, (1e200 + 1e200j) * (1e200 + 1e200j), 1j / 0, 1j // 1, 1j % 2
o = (-1) ** 0.25, 1e300j ** 2, (-0.0 - 0j), -(0j), +(-0j), 10 ** 400 + 1j
# str and bytes: repetition limits (MAX_STR_SIZE 4096), indexing by code point
p = 'ab' * 2048, 'ab' * 2049, 'a' * -1, '' * 10**30, '' * -10**30, 'é' * 4096, 'é' * 4097, 3 * 'x'
q = b'ab' * 2048, b'ab' * 2049, b'' * 5, True * 'yes', 'x' * True, 'x' * 2.0, 'x' + 'y', b'x' + b'y'
r = 'héllo'[1], 'héllo'[-1], '😀x'[0], '😀x'[1], b'abc'[0], b'abc'[-4], 'abc'[3], 'abc'[True], 'a'[10**30]
s = 'x' + b'y', 'x' * 'y', 'a' % 1, b'a%d' % 1, 'ab'[1.0], (1, 2)[1], (1, (2, 3))[-1], ()[0]
# tuples: nested, repetition within MAX_COLLECTION_SIZE and MAX_TOTAL_ITEMS
t = (1, (2, 3), ((4,),)), (1, 2) * 128, (1, 2) * 129, ((1, 2, 3),) * 200, ((1, 2, 3, 4),) * 256, () * 10**30
u = (1,) + (2,), (1, [2]), (1, *x), (1, 2)[0:1], (x, 1), [1, 2], {1, 2}, ((1, 2), (3, 4))[1][0]
# in / not in over list and set displays, for loops and comprehensions
v = x in [1, 2], x not in [1, y], x in [*y], x in {1, 2.0, True, 1.0, 3j}, x in {y, 1}, x in [], x in {()}
w = x in {'a', 'b', b'a', (1, 2), None, ...}, x < y in [1], x in [1] < y, [z for z in [1, 2] if z in {3}]
for z in [1, 2]: pass
for z in {1, 2}: pass
for z in [a, b]: pass
async def coro():
    async for z in [1, 2]: pass
    return [z async for z in [1, 2]]
# unary operators, not folded into comparisons
x1 = -True, +True, ~True, ~False, not 1, not (), not 0.0, not 0j, not 'a', not None, not ..., -(-(1))
x2 = not (x is y), not (x is not y), not (x in y), not (x not in y), not (x == y), not (x < y < z)
x3 = -'a', +None, ~1.5, -(1, 2), not [1], not {1}
# %-formatting to f-strings
f1 = '%s %r %a' % (x, y, z), '%s' % (x,), '%s' % x, '%s' % (1,), '%d' % (x,), '%s %s' % (x,), '%s' % (x, y)
f2 = '%5s|%-5r|%.3a|%05.2s|%+s|% s|%#s' % (a, b, c, d, e, f, g), '%%s %s %%' % (x,), '%123s' % (x,)
f3 = '%.123s' % (x,), '%*s' % (x, y), '%s%' % (x,), 'é%sü' % (x,), '%(k)s' % (x,), '%s' % (*x,), b'%s' % (x,)
f4 = '%12s %.12r %1.1a' % (x, y, z), '' % (), 'plain' % (), '%s' % (x, *y)
# __debug__ folds to a constant (False at optimize >= 1); stores do not
dbg = __debug__, not __debug__, __debug__ and x
assert x, 'kept: the code generator drops asserts'
def fn(p: 1 + 1 = 2 + 2, *, q: [1] = -1) -> 3 * 3:
    "a docstring"
    return p
class C:
    'a' + 'b'
    attr: 1 + 2 = 3 + 4
def g2():
    '%s' % (x,)
    'real' 'docstring' * 1
match x:
    case -1 | 1 + 2j | -1.5 - 3j: pass
    case {-1: _, 1 + 2j: _, -0.0: _}: pass
    case [1, *_] if x in [1, 2]: pass
type T[X: 1 + 1 = 2 * 3] = 4 - 5
lam = lambda y=1 + 1: y in {1, 2}
