"""gen_e2e_random.py - writes random small programs around the constructs compiled twice
(while tests, finally bodies) holding code objects (lambdas, genexprs, defs, classes) and
identifiers that become constants (keywords, import-from names, annotations, match class
attributes, ASCII or not, mangled or not), for the live-oracle part of tests/stages/e2e.sh.
    python3 tools/gen_e2e_random.py SEED COUNT OUTDIR"""
import os, random, sys

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

def main():
    seed, count, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    for n in range(count):
        r = random.Random(seed * 100003 + n)
        lines = block(r, 0, 0) + ['def top():'] + block(r, 0, 1, False, True)
        with open(os.path.join(outdir, 'rand_%d_%03d.py' % (seed, n)), 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')

main()
