"""gen_e2e_random.py - writes random small programs around the constructs compiled twice
(while tests, finally bodies) holding code objects (lambdas, genexprs, defs, classes) and
identifiers that become constants (keywords, import-from names, annotations, match class
attributes, ASCII or not, mangled or not), for the live-oracle part of tests/stages/e2e.sh.
Every other program stresses marshal's interning and sharing instead (intern_program): string
constants whose text is also used as a name, attribute, keyword, import name, parameter,
class name, match keyword, __slots__ entry, type parameter or docstring, in frozensets,
tuples and nested tuples in several functions, beside texts that are not identifiers and bytes.
    python3 tools/gen_e2e_random.py SEED COUNT OUTDIR [mixed|intern|plain|dead]
(dead: intern programs with unreachable nested functions too; mixed makes every fourth
program so.)"""
import os, random, sys

DEAD = False
NAMES = ['a', 'b', 'ä', 'ñame', '__p', '__ö', 'glöbal', 'x1', 'ß']

def expr(r, d):
    k = r.randrange(9) if d < 3 else 0
    if k == 0: return r.choice(['x', 'y', '0', '1', '0.0', "'s'", 'None', "'ü'"])
    if k == 1: return '(lambda%s: %s)' % (r.choice(['', ' q', ' q=1', ' *, q=2']), expr(r, d + 1))
    if k == 2: return '(%s for %s in %s)' % (expr(r, d + 1), r.choice(['i', 'j']), expr(r, d + 1))
    if k == 3:
        pos = [expr(r, d + 1) for _ in range(r.randrange(3))]
        kws = ['%s=%s' % (n, expr(r, d + 1)) for n in r.sample(NAMES, r.randrange(4))]
        return 'f(%s)' % ', '.join(pos + kws)
    if k == 4: return '[%s for i in %s]' % (expr(r, d + 1), expr(r, d + 1))
    if k == 5: return '(%s or %s)' % (expr(r, d + 1), expr(r, d + 1))
    if k == 6: return 'any(%s)' % expr(r, d + 1)
    if k == 7: return 'g(*x, **y, %s=%s)' % (r.choice(NAMES), expr(r, d + 1))
    return '(%s if %s else %s)' % (expr(r, d + 1), expr(r, d + 1), expr(r, d + 1))

def block(r, d, ind, in_loop=False, in_def=False):
    out = []
    for _ in range(r.randrange(1, 4)):
        out += stmt(r, d, ind, in_loop, in_def)
    return out

def stmt(r, d, ind, in_loop, in_def):
    p = '    ' * ind
    k = r.randrange(11 if d < 3 else 3)
    if k == 0: return [p + 'x = ' + expr(r, d)]
    if k == 1: return [p + expr(r, d)]
    if k == 2: return [p + r.choice(['pass', 'break' if in_loop else 'pass', 'continue' if in_loop else 'y = 1'])]
    if k == 3: return [p + 'while %s:' % expr(r, d)] + block(r, d + 1, ind + 1, True, in_def)
    if k == 4:
        s = [p + 'try:'] + block(r, d + 1, ind + 1, in_loop, in_def) + [p + 'finally:'] + block(r, d + 1, ind + 1, in_loop, in_def)
        return s
    if k == 5:
        n = r.choice(NAMES[2:])
        s = [p + 'def %s(%s, *, %s=%s) -> %s:' % (r.choice(['fn', 'gé']), r.choice(['u', 'ä0: int', '__v: x']), n, expr(r, d), r.choice(['int', "'ö'"]))]
        return s + block(r, d + 1, ind + 1, False, True)
    if k == 6:
        s = [p + 'class %s:' % r.choice(['K', '_Kö', '__L'])]
        s += [p + '    %s: %s' % (r.choice(NAMES), r.choice(['int', "'ä'"]))]
        s += [p + '    def m(self):', p + '        self.%s = %s' % (r.choice(NAMES), expr(r, d))]
        return s + block(r, d + 1, ind + 1)
    if k == 7: return [p + 'from %s import %s' % (r.choice(['m', 'mödule', '.']), ', '.join(r.sample(NAMES[:5] + ['q'], 2)))]
    if k == 8:
        return [p + 'match %s:' % expr(r, d), p + '    case P(%s=1, %s=2):' % tuple(r.sample(['a', 'ä', 'ö', 'b'], 2))] + block(r, d + 1, ind + 2, in_loop, in_def)
    if k == 9: return [p + 'for i in %s:' % expr(r, d)] + block(r, d + 1, ind + 1, True, in_def)
    return [p + 'with %s as w:' % expr(r, d)] + block(r, d + 1, ind + 1, in_loop, in_def)

# Texts used both as identifiers and as string constants, and texts CPython does not intern.
IDENTS = ['a', 'b', 'x', 'real', 'imag', 'path', 'sep', 'name', 'JobName', 'ä', 'ñame', '_K',
          '__p', 'self', 'f', 'K', 'value', 'meta_kw', 'T', 'ß', 'x1', 'kw', '__module__',
          '__qualname__', '__class__', 'super', 'len', '__name__', '__doc__', 'Kö']
OTHERS = ['', ' ', 'a b', 'ä b', '1', '12', '1a', 'a-b', 'é', 'ü', 'x' * 40, 'a.b', 'none',
          '__p ', 'real\\n', 'name!', '<lambda>', '<genexpr>', '<module>', 'hé.<locals>.u',
          'C.m', 'Kö.m', 'h', 'u1', 'ö', 'C.K', 'K.C', 'Kö.K', 'C.Kö', 'K.K']

def s_text(r):
    return r.choice(IDENTS) if r.randrange(3) else r.choice(OTHERS)

def s_lit(r):
    t = s_text(r)
    k = r.randrange(16)
    if k == 0 and t.isascii(): return 'b' + repr(t)
    if k == 1 and len(t) > 1: return '%r %r' % (t[:1], t[1:])        # concatenated by the parser
    if k == 2 and len(t) > 1: return '(%r + %r)' % (t[:1], t[1:])    # folded: a new object
    if k == 3: return 'f%r' % t.replace('{', '').replace('}', '')
    if k == 4 and t: return '%r[0]' % t
    return repr(t)

def s_coll(r, d=0):
    items = [s_lit(r) if d > 1 or r.randrange(4) else s_coll(r, d + 1) for _ in range(r.randrange(0 if d else 1, 5))]
    k = r.randrange(4)
    if k == 0 or d and any(i[0] in '[{f' for i in items): return '(%s)' % ''.join(i + ', ' for i in items)
    if k == 1: return '[%s]' % ', '.join(items)
    if items and (k == 2 or d): return '{%s}' % ', '.join(items)
    return 'frozenset({%s})' % ', '.join(items) if items else '()'

def s_expr(r, v):
    k = r.randrange(10)
    if k == 0: return '%s in %s' % (v, s_coll(r))
    if k == 1: return '%s not in {%s}' % (v, ', '.join(s_lit(r) for _ in range(r.randrange(1, 5))))
    if k == 2: return s_coll(r)
    if k == 3: return '%s.%s' % (v, r.choice(IDENTS))
    if k == 4: return 'f(%s)' % ', '.join('%s=%s' % (n, s_lit(r)) for n in r.sample(IDENTS, r.randrange(1, 4)))
    if k == 5: return '(%s, (%s, %s))' % (s_lit(r), s_lit(r), s_coll(r))
    if k == 6: return "f'{%s}%s'" % (v, s_text(r).replace("'", '').replace('\\', '').replace('{', '').replace('}', ''))
    if k == 7: return '{%s: %s}' % (s_lit(r), s_lit(r))
    if k == 8: return 'getattr(%s, %s)' % (v, s_lit(r))
    return s_lit(r)

def s_stmts(r, ind, v, depth, in_def=False):
    p = '    ' * ind
    out = []
    for _ in range(r.randrange(1, 5)):
        k = r.randrange(14 if depth < 2 else 9)
        n = r.choice(IDENTS)
        if k == 0: out.append(p + 'x = ' + s_expr(r, v))
        elif k == 1: out.append(p + 'if %s: %s %s' % (s_expr(r, v), 'return' if in_def else 'x =', s_expr(r, v)))
        elif k == 2: out.append(p + '%s.%s = %s' % (v, n, s_lit(r)))
        elif k == 3: out.append(p + 'from %s import %s' % (r.choice(['m', 'os', '.', '..p']), ', '.join(r.sample(IDENTS, r.randrange(1, 3)))))
        elif k == 4: out.append(p + 'import %s%s' % (r.choice(['m', 'os.path', 'a.b']), r.choice(['', ' as ' + n])))
        elif k == 5: out.append(p + '%s = %s' % (n, s_lit(r)))
        elif k == 6: out.append(p + 'for q in %s: f(q)' % s_coll(r))
        elif k == 7: out.append(p + 'x = %s(%s)' % (r.choice(['g', 'f', v]), s_lit(r)))
        elif k == 8:
            out += [p + 'match %s:' % v, p + '    case %s(%s):' % (r.choice(['K', 'complex', 'P']), ', '.join('%s=%r' % (m, s_text(r)) for m in r.sample(IDENTS, r.randrange(1, 3)))),
                    p + '        x = %s' % s_lit(r), p + '    case {%r: y}:' % s_text(r), p + '        x = %s' % s_expr(r, v)]
        elif k == 9: out += s_def(r, ind, depth + 1)
        elif k == 10: out += s_class(r, ind, depth + 1)
        elif k == 11: out += [p + 'def %s():' % n, p + '    nonlocal x' if ind and r.randrange(2) and False else p + '    global %s' % n, p + '    %s = %s' % (n, s_lit(r))]
        elif k == 12: out.append(p + 'type %s[%s] = %s' % (r.choice(['Al', n]), r.choice(IDENTS), s_coll(r)) if r.randrange(3) else p + 'assert %s, %s' % (s_expr(r, v), s_lit(r)))
        else: out.append(p + 'x: %s = %s' % (s_lit(r), s_lit(r)))
    return out

def s_doc(r, p, name):
    k = r.randrange(4)
    if k == 0: return [p + repr(name)]
    if k == 1: return [p + repr(s_text(r))]
    return []

def s_def(r, ind, depth):
    p = '    ' * ind
    name = r.choice(IDENTS + ['fn', 'gé'])
    params = r.sample([i for i in IDENTS if i != name], r.randrange(0, 4))
    ps = ', '.join(params)
    if r.randrange(2): ps += (', ' if ps else '') + '*, %s=%s' % (r.choice([k for k in ['kw', 'zz', 'ö'] if k not in params]), s_lit(r))
    tp = '[%s]' % r.choice(IDENTS) if r.randrange(5) == 0 else ''
    v = params[0] if params else 'x'
    out = [p + 'def %s%s(%s):' % (name, tp, ps)] + s_doc(r, p + '    ', name)
    out += s_stmts(r, ind + 1, v, depth, True)
    if r.randrange(2): out.append(p + '    return %s' % s_expr(r, v))
    return out

def s_class(r, ind, depth):
    p = '    ' * ind
    name = r.choice(IDENTS + ['C', 'Kö'])
    tp = '[%s]' % r.choice(IDENTS) if r.randrange(5) == 0 else ''
    base = r.choice(['', '(object)', '(object, %s=%s)' % (r.choice(IDENTS), s_lit(r)), '(%s)' % r.choice(IDENTS)])
    out = [p + 'class %s%s%s:' % (name, tp, base)] + s_doc(r, p + '    ', name)
    if r.randrange(2): out.append(p + '    __slots__ = %s' % r.choice(['(%s,)', '[%s]', '%s']) % ', '.join(repr(t) for t in r.sample(IDENTS, r.randrange(1, 4))))
    if r.randrange(2): out.append(p + '    __match_args__ = (%s,)' % ', '.join(repr(t) for t in r.sample(IDENTS, r.randrange(1, 3))))
    out += s_stmts(r, ind + 1, 'self', depth) if r.randrange(2) else []
    if depth < 2 and r.randrange(3) == 0:   # a nested class: a dotted qualname, maybe a literal too
        out += s_class(r, ind + 1, depth + 1)
    out += s_def(r, ind + 1, depth)
    return out

def s_mirror(r):
    """A constant tuple equal to a code object's names, parameter names or keyword names,
    before or after it, the texts also plain strings in another function."""
    ns = r.sample(IDENTS, r.randrange(1, 4))
    tup = '(%s)' % ''.join(repr(n) + ', ' for n in ns)
    k = r.randrange(5)
    if k == 4:   # __static_attributes__: the sorted names assigned to self.X
        tup = '(%s)' % ''.join(repr(n) + ', ' for n in sorted(ns))
        code = ['class %s:' % r.choice(['C', 'Kö']), '    def m(self):'] + ['        self.%s = %r' % (n, n) for n in ns]
    elif k == 0: code = ['def %s():' % r.choice(['h', 'hé']), '    global %s' % ', '.join(ns)] + ['    %s = 1' % n for n in ns]
    elif k == 1: code = ['def %s():' % r.choice(['h', 'hé']), '    return %s' % ', '.join(ns)]
    elif k == 2:   # parameter names, cells when an inner function reads them
        code = ['def %s(%s):' % (r.choice(['h', 'hé']), ', '.join(ns))]
        code += ['    return lambda: (%s,)' % ', '.join(ns)] if r.randrange(2) else ['    pass']
    else: code = ['x = f(%s)' % ', '.join('%s=1' % n for n in ns)]
    use = ['def u%d():' % r.randrange(3), '    return %s' % ', '.join(repr(n) for n in r.sample(ns, len(ns))),
           '    class Kö:', '        def m(self): return (lambda: super().%s)' % ns[0]] if r.randrange(2) else \
          ['def u%d():' % r.randrange(3), '    return %s' % ', '.join(repr(n) for n in r.sample(ns, len(ns)))]
    if DEAD and r.randrange(3) == 0:   # compiled, dropped as unreachable: its names still intern
        use += ['    def dead():', '        return %s' % '.'.join(r.sample(ns, len(ns)))]
    parts = [['x = ' + tup], code, use]
    r.shuffle(parts)
    return parts[0] + parts[1] + parts[2]

def intern_program(r):
    global IDENTS, OTHERS
    if r.randrange(2):   # a few texts only: each appears in many roles and units
        full = IDENTS, OTHERS
        IDENTS, OTHERS = r.sample([i for i in IDENTS if i != 'kw'], 4) + ['kw'], r.sample(OTHERS, 2)
        try: return intern_program_of(r)
        finally: IDENTS, OTHERS = full
    return intern_program_of(r)

def intern_program_of(r):
    lines = s_doc(r, '', r.choice(IDENTS))
    for _ in range(r.randrange(2, 6)):
        k = r.randrange(5)
        if k == 4: lines += s_mirror(r)
        elif k == 0: lines += s_stmts(r, 0, 'x', 1)
        elif k == 1: lines += s_class(r, 0, 0)
        else: lines += s_def(r, 0, 0)
    return lines

def main():
    seed, count, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    global DEAD
    mode = sys.argv[4] if len(sys.argv) > 4 else 'mixed'
    os.makedirs(outdir, exist_ok=True)
    for n in range(count):
        r = random.Random(seed * 100003 + n)
        # unreachable nested functions (tests/stages/e2e/src/static_attrs_merged.py)
        DEAD = mode == 'dead' or (mode == 'mixed' and n % 4 == 3)
        if mode in ('intern', 'dead') or (mode == 'mixed' and n % 2):
            lines = intern_program(r)
        else:
            lines = block(r, 0, 0) + ['def top():'] + block(r, 0, 1, False, True)
        with open(os.path.join(outdir, 'rand_%d_%03d.py' % (seed, n)), 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')

main()
