"""gen_warning_programs.py - writes random small programs full of what CPython 3.13's compile()
warns about or rejects around literals: calls, subscripts and `is` of literals, asserts of
tuples, numbers glued to keywords ("1if"), and str, bytes, raw and f-string literals (triple
quoted too, with fields, debug '=' and format specs) holding valid and invalid escapes, in
loops, finally bodies, defaults, annotations and comprehensions. tests/stages/warnings.sh runs
`python3.13 -m compileall` and `cpyc compileall` over them and compares stdout and stderr.
    python3 tools/gen_warning_programs.py SEED COUNT OUTDIR"""
import random, sys, os
seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
ESC = [r'\d', r'\w', r'\q', r'\777', r'\400', r'\8', r'\N{BULLET}', r'\x41', r'\n', r'\{', r'\}', r'\é', '\\\n', r'\u1234', r'\s']
def lit(r, d=0):
    k = r.randrange(14)
    if k == 0: return r.choice(['1', '1.5', '1j', '0x1f', "'s'", "b'b'", 'None', 'True', '...', '(1, 2)', '()', '-1'])
    if k == 1: return '[1, 2]'
    if k == 2: return '{1, 2}'
    if k == 3: return '{1: 2}'
    if k == 4: return '(x for x in y)'
    if k == 5: return '(lambda: 0)'
    if k == 6: return "f'{x}'"
    if k == 7: return '[y for y in z]'
    if k == 8: return strlit(r)
    if k == 9: return 'x'
    if k == 10: return 'x.attr'
    if k == 11 and d < 2: return '(%s + %s)' % (lit(r, d+1), lit(r, d+1))
    if k == 12 and d < 2: return '(%s if %s else %s)' % (lit(r, d+1), lit(r, d+1), lit(r, d+1))
    return 'y'
def strlit(r):
    pre = r.choice(['', '', 'b', 'r', 'f', 'rf', 'u', 'br', 'F', 'Rb'])
    q = r.choice(["'", '"', "'''", '"""'])
    parts = []
    for _ in range(r.randrange(1, 4)):
        c = r.randrange(4)
        if c == 0: parts.append(r.choice(ESC))
        elif c == 1: parts.append('ab')
        elif c == 2 and 'f' in pre.lower(): parts.append('{%s%s}' % (r.choice(['x', "'\\d'", '"\\q"', 'x!r']), r.choice(['', ':>10', ':\\d', '=', ':{w}\\q'])))
        else: parts.append(' ')
    body = ''.join(parts)
    if 'b' in pre.lower(): body = body.replace('é', 'e').replace('\\N{BULLET}', '\\N').replace('\\u1234', '\\u')
    if len(q) == 1: body = body.replace('\\\n', '\\\\')
    if 'f' not in pre.lower() or 'b' in pre.lower(): body = body.replace('{', '(').replace('}', ')')
    return pre + q + body + q
def expr(r):
    k = r.randrange(8)
    if k == 0: return '%s(%s)' % (lit(r), lit(r))
    if k == 1: return '%s[%s]' % (lit(r), lit(r))
    if k == 2: return '%s %s %s' % (lit(r), r.choice(['is', 'is not', '==', 'in', 'is']), lit(r))
    if k == 3: return '%s is %s is not %s' % (lit(r), lit(r), lit(r))
    if k == 4: return r.choice(['1if x else 2', '0x1for', '1.5and x', '1jor 2', '0o7in x', '1e5 if 1else 2', '0b1is x', '1not in x'])
    if k == 5: return ' '.join(strlit(r) for _ in range(r.randrange(1, 4)))
    return lit(r)
def stmt(r, ind):
    p = '    ' * ind
    k = r.randrange(10)
    if k == 0: return [p + 'v = ' + expr(r)]
    if k == 1: return [p + 'assert ' + r.choice(['(x, 1)', '()', 'x', '(x,)', expr(r)])]
    if k == 2 and ind < 2: return [p + 'if %s:' % expr(r)] + block(r, ind + 1)
    if k == 3 and ind < 2: return [p + 'while %s:' % expr(r)] + block(r, ind + 1)
    if k == 4 and ind < 2: return [p + 'try:'] + block(r, ind + 1) + [p + 'finally:'] + block(r, ind + 1)
    if k == 5 and ind < 2: return [p + 'def f(a=%s) -> %s:' % (lit(r), expr(r))] + block(r, ind + 1)
    if k == 6: return [p + 'v = [%s for q in z if %s]' % (expr(r), expr(r))]
    if k == 7: return [p + 'print(%s)' % expr(r)]
    return [p + expr(r)]
def block(r, ind):
    out = []
    for _ in range(r.randrange(1, 3)): out += stmt(r, ind)
    return out
for i in range(count):
    r = random.Random(seed * 100003 + i)
    lines = []
    for _ in range(r.randrange(1, 6)): lines += stmt(r, 0)
    with open(os.path.join(out, 'p%04d.py' % i), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
