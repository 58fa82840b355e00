x = a or b or c and d and not e
x = a < b <= c == d != e > f >= g in h not in i is j is not k
x = a | b ^ c & d << e >> f + g - h * i / j // k % l @ m ** -n ** ~o
x = +a, -b, ~c, not d
x = (a)
x = ((a + b)) * c
x = (a).b
x = (a)(b)[c]
x = a.b.c(d)(e)[f][g:h]
x = a[1:2:3], a[:], a[::], a[1:], a[:2], a[::3], a[1, 2], a[1:2, 3], a[*b], a[()]
x = f(a, *b, c=d, **e)
x = f(a=1, *b)
x = f(x for x in y)
x = f(*a, *b, **c, **d)
x = [1, 2, 3], [], [*a, *b]
x = (1,), (), (1, 2,)
x = {1: 2, **a, 3: 4}, {}, {1, 2, *a}
x = [i for i in range(10) if i if i > 2 for j in i]
x = {i for i in x}
x = {k: v for k, v in x.items()}
x = (i for i in x)
x = [(yield) for i in x]
x = lambda: (yield)
x = lambda *args, **kwargs: (args, kwargs)
x = (y := 10)
x = [y := 1, y ** 2]
if (n := len(a)) > 10: pass
x = a if b else c if d else e
x = await_ = 1
x = ...
x = None, True, False
x = 1, 1.5, 1e10, 1j, 2.5j, 0x1f, 0o17, 0b101, 1_000_000, 0xdead_beef
x = 123456789012345678901234567890123456789012345678901234567890
x = 1.7976931348623157e308, 1e400, 0.1, 5e-324, 1.0, 100.0, 1e16
x = "abc" 'def' """ghi""" '''jkl'''
x = b"abc" b'\x00\xff' rb"\d" Rb'\n' br"x"
x = u"abc" "def"
x = "\n\t\\\'\"\a\b\f\v\r\0\x41\101\u1234\U0001F600"
x = r"\n" R"\t"
x = "line \
continued"
x = "é ü 中文 😀"
x = f"plain"
x = f"{a}"
x = f"{a!r} {b!s} {c!a}"
x = f"{a:>10} {b:{width}.{prec}} {c!r:^20}"
x = f"{a=}"
x = f"{a = }"
x = f"{a=!s}"
x = f"{a=:>10}"
x = f"{a + b = }"
x = f"abc" "def" f"{g}"
x = "abc" f"{d}" "e"
x = f"{'nested'}" f'{"quotes"}'
x = f"{f'{x}'}"
x = f"{x:{y:{z}}}"
x = f"{{literal}} {{{a}}}"
x = rf"\d{a}\n" fr"{b}\t"
x = f"""multi
{line}
string"""
x = f"{a}" f"" ""
x = f"{
    a
}"
x = f"{a!r:}"
x = f"{x:%Y-%m-%d}"
x = f'{"\n".join(a)}'
x = f"{a:{b}}{c}"
x = F"{x}"
x = a.b.c.d
x = a[b][c][d]
x = not not a
x = - - a
x = a ** b ** c
x = (a, b) + [c, d]
x = *a, *b
print(*args, sep="", **kw)
f(a)(b)(c)
f()
x = [
    1,
    2,
]
x = {
    'a': 1,
}
