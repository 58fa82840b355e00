"""gen_limits_cases.py - the hostile inputs of tests/stages/limits.sh (issue 10): deep nesting,
long lines, huge literals, NUL bytes, invalid UTF-8, truncated and mutated real modules (copies
of three of this repository's tools, frozen under tests/stages/limits/modules), each generated deterministically.
    python3 tools/gen_limits_cases.py write DIR           writes DIR/NAME.py for every case
    python3 tools/gen_limits_cases.py record PYTHON3.13 DIR [NAME...]
prints, per case (or only the NAMEs), NAME<TAB>OUTCOME where OUTCOME is what CPython 3.13's py_compile does with
DIR/NAME.py (co_filename NAME.py, unchecked-hash header), each in a fresh process:
"ok SHA256-OF-THE-PYC" or "error TYPE LINE" (LINE 0 when the error has none). About 6 minutes.
The recorded list is tests/stages/limits/expected.tsv."""
import hashlib, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def nest(n, open_, close, inner='0'):
    return ('x = ' + open_ * n + inner + close * n + '\n').encode()


def blocks(n, head, body='pass', step=' '):
    lines = [step * i + head for i in range(n)] + [step * n + body]
    return ('\n'.join(lines) + '\n').encode()


def cases():
    c = {}
    for n in (199, 200, 201, 100000):          # the tokenizer's limit is 200 levels
        c['paren_%d' % n] = nest(n, '(', ')')
        c['list_%d' % n] = nest(n, '[', ']')
        c['call_%d' % n] = nest(n, 'f(', ')')
    for n in (100, 1000, 100000):
        c['lambda_%d' % n] = ('x = ' + 'lambda: ' * n + '0\n').encode()
        c['not_%d' % n] = ('x = ' + 'not ' * n + 'y\n').encode()
        c['unary_%d' % n] = ('x = ' + '-' * n + 'y\n').encode()
        c['await_%d' % n] = ('async def f():\n    ' + 'await ' * n + 'y\n').encode()
    for n in (99, 100, 101, 200):               # MAXINDENT is 100
        c['if_%d' % n] = blocks(n, 'if x:')
    for n in (20, 21, 22):                      # CO_MAXBLOCKS is 20
        c['for_%d' % n] = blocks(n, 'for x in y:')
        c['while_%d' % n] = blocks(n, 'while x:')
        c['try_%d' % n] = b''.join(b' ' * i + b'try:\n' for i in range(n)) + b' ' * n + b'pass\n' + \
            b''.join(b' ' * i + b'finally:\n' + b' ' * (i + 1) + b'pass\n' for i in reversed(range(n)))
        c['with_%d' % n] = blocks(n, 'with x:')
        c['fortry_%d' % n] = blocks(n, 'for x in y:' if n % 2 else 'with x:', step='  ')
    c['def_90'] = blocks(90, 'def f():', 'return 1')
    c['class_90'] = blocks(90, 'class C:')
    c['elif_20000'] = ('if x == 0:\n    pass\n' + ''.join('elif x == %d:\n    y = %d\n' % (i, i) for i in range(1, 20000)) + 'else:\n    pass\n').encode()
    c['line_10mb_str'] = b"x = '" + b'a' * (10 * 1024 * 1024) + b"'\n"
    c['line_1mb_list'] = b'x = [' + b'y,' * (512 * 1024) + b']\n'
    c['tuple_100000'] = ('x = (' + '1,' * 100000 + ')\n').encode()
    c['tuple_names_100000'] = ('x = (' + 'a,' * 100000 + ')\n').encode()
    c['tuple_mixed_100000'] = ('x = (' + ''.join('%d,' % i for i in range(100000)) + ')\n').encode()
    c['dict_50000'] = ('x = {' + ''.join('%d: %d, ' % (i, i) for i in range(50000)) + '}\n').encode()
    c['dict_str_50000'] = ('x = {' + ''.join("'k%d': y, " % i for i in range(50000)) + '}\n').encode()
    c['set_50000'] = ('x = {' + ''.join('%d, ' % i for i in range(50000)) + '}\n').encode()
    for n in (4300, 4301, 100000):
        c['int_%d' % n] = ('x = ' + '7' * n + '\n').encode()
    c['int_hex_100000'] = ('x = 0x' + 'f' * 100000 + '\n').encode()
    c['int_4300_neg'] = ('x = -' + '9' * 4300 + '\n').encode()
    c['int_pow_fold'] = b'x = 2 ** 10000\ny = 10 ** 400 * 10 ** 400\nz = (1 << 100000)\n'
    c['strcat_implicit_100000'] = ('x = (' + ' '.join("'a%d'" % (i % 10) for i in range(100000)) + ')\n').encode()
    c['strcat_plus_100000'] = ('x = ' + ' + '.join("'a'" for i in range(100000)) + '\n').encode()
    c['strcat_plus_1000'] = ('x = ' + ' + '.join("'a'" for i in range(1000)) + '\n').encode()
    c['add_names_100000'] = ('x = ' + ' + '.join('y' for i in range(100000)) + '\n').encode()
    c['fstring_parts_10000'] = ("x = f'" + ''.join('{y}a' for i in range(10000)) + "'\n").encode()
    c['attr_1000'] = ('x = a' + '.b' * 1000 + '\n').encode()
    c['attr_100000'] = ('x = a' + '.b' * 100000 + '\n').encode()
    c['subscr_100000'] = ('x = a' + '[0]' * 100000 + '\n').encode()
    c['callchain_100000'] = ('x = a' + '()' * 100000 + '\n').encode()
    c['compare_100000'] = ('x = a' + ' < a' * 100000 + '\n').encode()
    c['boolop_100000'] = ('x = a' + ' and a' * 100000 + '\n').encode()
    c['args_100000'] = ('f(' + 'a, ' * 100000 + ')\n').encode()
    c['stmts_100000'] = b'x = 1\n' * 100000
    c['nul_in_code'] = b'x = 1\x00\n'
    c['nul_in_string'] = b"x = 'a\x00b'\n"
    c['nul_in_comment'] = b'x = 1  # \x00\n'
    c['nul_line_3'] = b'x = 1\ny = 2\n\x00\n'
    c['utf8_bad_string'] = b"x = '\xff'\n"
    c['utf8_bad_comment'] = b'x = 1\n# \xc3\x28\n'
    c['utf8_truncated'] = b"x = '\xe2\x82'\n"
    c['utf8_surrogate'] = b"x = '\xed\xa0\x80'\n"
    c['utf8_overlong'] = b"x = '\xc0\xaf'\n"
    c['bom_then_latin1_cookie'] = b'\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n'
    c['cookie_unknown'] = b'# -*- coding: nonesuch -*-\nx = 1\n'
    c['latin1_cookie'] = b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"
    # an f-string's text is read by the bare UTF-8 decoder: UnicodeDecodeError, no line (fuzz)
    c['utf8_bad_fstring'] = b"x = f'a\xffb'\n"
    c['utf8_bad_fstring_spec'] = b"x = f'{1:a\xe2\x82}'\n"
    c['fstring_raw_spec_escape'] = b"x = rf'{1:\\x41}'\n"
    # the parser's MAXSTACK (6000 nested rule calls): each kind at its last depth and one past
    depth = {
        'unary': (5967, lambda n: 'x = ' + '-' * n + 'y\n'),
        'uplus': (5967, lambda n: 'x = ' + '+' * n + 'y\n'),
        'invert': (5967, lambda n: 'x = ' + '~' * n + 'y\n'),
        'not': (5967, lambda n: 'x = ' + 'not ' * n + 'y\n'),
        'not_stmt': (5969, lambda n: 'not ' * n + 'y\n'),
        'unary_num': (5966, lambda n: 'x = ' + '-' * n + '1\n'),
        'unary_str': (5963, lambda n: 'x = ' + '-' * n + "'s'\n"),
        'unary_paren': (5939, lambda n: 'x = ' + '-' * n + '(y)\n'),
        'ifexp': (5967, lambda n: 'x = ' + 'a if b else ' * n + 'c\n'),
        'lambda': (2983, lambda n: 'x = ' + 'lambda: ' * n + '0\n'),
        'lambda_unary': (2983, lambda n: 'x = ' + 'lambda: ' * n + '-y\n'),
        'power': (2983, lambda n: 'x = ' + 'a ** ' * n + 'a\n'),
        'power_neg': (1989, lambda n: 'x = ' + 'a ** -' * n + 'a\n'),
        'elif': (5961, lambda n: 'if x == 0:\n    pass\n' + ''.join('elif x == %d:\n    y = %d\n' % (i, i) for i in range(1, n)) + 'else:\n    pass\n'),
        'elif_pass': (5963, lambda n: 'if x:\n    pass\n' + 'elif x:\n    pass\n' * (n - 1)),
        'elif_def': (5956, lambda n: 'def f():\n    if x:\n        pass\n' + '    elif x:\n        pass\n' * (n - 1)),
        'if3': (5951, lambda n: 'if x:\n    if x:\n        if x:\n            ' + '-' * n + 'y\n'),
        'inline_if': (5966, lambda n: 'if x: ' + '-' * n + 'y\n'),
        'def2': (5955, lambda n: 'def f():\n    def g():\n        ' + '-' * n + 'y\n'),
        'class': (5960, lambda n: 'class C:\n    x = ' + '-' * n + 'y\n'),
        'return': (5961, lambda n: 'def f():\n    return ' + 'not ' * n + 'y\n'),
        'if_test': (5970, lambda n: 'if ' + '-' * n + 'y:\n    pass\n'),
        'augassign': (5967, lambda n: 'x += ' + '-' * n + 'y\n'),
        'chained_assign': (5967, lambda n: 'x = z = ' + '-' * n + 'y\n'),
        'binop': (5967, lambda n: 'x = a * ' + '-' * n + 'y\n'),
        'ann_value': (5966, lambda n: 'x: int = ' + '-' * n + 'y\n'),
        'annotation': (5970, lambda n: 'x: ' + '-' * n + 'y = 1\n'),
        'with': (5969, lambda n: 'with ' + '-' * n + 'y:\n    pass\n'),
        'with_second': (5968, lambda n: 'with a, ' + '-' * n + 'y as b:\n    pass\n'),
        'for_iter': (5969, lambda n: 'for x in ' + '-' * n + 'y:\n    pass\n'),
        'assert': (5970, lambda n: 'assert ' + '-' * n + 'y\n'),
        'assert_msg': (5969, lambda n: 'assert x, ' + '-' * n + 'y\n'),
        'raise': (5970, lambda n: 'raise ' + '-' * n + 'y\n'),
        'raise_from': (5969, lambda n: 'raise x from ' + '-' * n + 'y\n'),
    }
    # an elif chain as deep as it goes with one small statement a branch: what the statement's
    # own rules reach there (assignment's probe of a target, an empty call's argument tried)
    for kind, n, body in (('call', 5958, 'f(1)'), ('call_empty', 5955, 'y = f()'), ('list', 5950, 'y = [1]'),
                          ('list_empty', 5953, '[]'), ('str', 5961, 'y = "a"'), ('tuple_empty', 5951, 'y = ()')):
        depth['elif_' + kind] = (n, lambda n, body=body: 'if x:\n    pass\n' + ('elif x:\n    %s\n' % body) * (n - 1))
    for kind, (n, make) in depth.items():
        if not kind.startswith('lambda'):   # 2,983 nested lambdas take CPython seconds too (qualnames)
            c['depth_%s_%d' % (kind, n)] = make(n).encode()
        c['depth_%s_%d' % (kind, n + 1)] = make(n + 1).encode()
    # nestings whose every level costs CPython's rule calls (k unary minuses per level keep the
    # brackets under the tokenizer's 200): the first depth that overflows, and the one before
    def level(open_, close, k=10, pre=''):
        return lambda n: pre + (open_ + '-' * k) * n + '1' + close * n + '\n'

    def fstrings(k):
        def make(n):
            s = '1'
            for i in range(n):
                q = '"' if i % 2 == 0 else "'"
                s = 'f' + q + '{' + '-' * k + s + '}' + q
            return 'x = ' + s + '\n'
        return make
    levels = {
        'call': (177, level('f(', ')')),
        'sub': (177, level('a[', ']')),
        'attrcall': (111, level('a.b(', ')', k=30)),
        'list': (154, level('[', ']')),
        'dict': (154, level('{1: ', '}')),
        'set': (154, level('{', '}')),
        'tuple': (182, level('(', ')', k=5)),
        'call_x': (177, level('f(', ')', pre='x = ')),
        'list_x': (154, level('[', ']', pre='x = y = ')),
        'call_def': (176, level('f(', ')', pre='def g():\n    ')),
        'list_class': (154, level('[', ']', pre='class C:\n    ')),
        'lambda': (150, level('(lambda: ', ')')),
        'ifexp': (154, level('(a if b else ', ')')),
        'binop': (158, level('(a + ', ')')),
        'not': (154, level('(not ', ')')),
        'await': (97, level('(await g(', '))', pre='async def g():\n    ')),
        'listcomp': (162, level('[x for x in ', ']')),
        'genexp_arg': (172, level('f(x for x in ', ')')),
        'comp_if': (19, level('{x for x in y if ', '}', k=300)),
        'fstring': (82, fstrings(40)),
    }
    for kind, (n, make) in levels.items():
        c['nest_%s_%d' % (kind, n - 1)] = make(n - 1).encode()
        c['nest_%s_%d' % (kind, n)] = make(n).encode()
    # comprehensions inlined in a function: each `if` level pushes one exception-table block, and
    # past CO_MAXBLOCKS CPython 3.13.0 itself crashes (a segfault: the expected outcome is "crash"),
    # where cpyc must end with an error instead
    def setcomps(n):
        e = 'a'
        for i in range(n):
            e = '{%s for a in b if a}' % e
        return 'def f(b):\n    return ' + e + '\n'
    for n in (22, 23):
        c['setcomp_if_func_%d' % n] = setcomps(n).encode()
    # truncated and mutated real modules
    rnd = random.Random(10)
    for mod in ('marshal_trace.py', 'compare_codegen.py', 'oracle_pycompile.py'):
        with open(os.path.join(HERE, '..', 'tests', 'stages', 'limits', 'modules', mod), 'rb') as f:
            data = f.read()
        base = mod[:-3]
        for k in range(6):
            cut = rnd.randrange(len(data))
            c['trunc_%s_%d' % (base, k)] = data[:cut]
        for k in range(6):
            b = bytearray(data)
            for _ in range(rnd.randrange(1, 4)):
                i = rnd.randrange(len(b))
                b[i] = rnd.choice(b'()[]{}:,.;=+-*/\'"#\\\n \t0aZ\x00\xff')
            c['mut_%s_%d' % (base, k)] = bytes(b)
    return c


SNIPPET = r"""
import hashlib, py_compile, sys
src, out, dfile = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    py_compile.compile(src, cfile=out, dfile=dfile, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    print("ok " + hashlib.sha256(open(out, "rb").read()).hexdigest())
except py_compile.PyCompileError as e:
    v = e.exc_value
    line = getattr(v, "lineno", None) or 0
    print("error %s %d" % (e.exc_type_name, line))
except Exception as e:   # marshal's ValueError comes after the compiler, past py_compile's net
    print("error %s 0" % type(e).__name__)
"""


def main():
    if sys.argv[1] == 'write':
        os.makedirs(sys.argv[2], exist_ok=True)
        for name, data in cases().items():
            with open(os.path.join(sys.argv[2], name + '.py'), 'wb') as f:
                f.write(data)
        return
    python, d = sys.argv[2], sys.argv[3]
    env = dict(os.environ, PYTHONHASHSEED='0')
    with tempfile.TemporaryDirectory() as tmp:
        for name in sys.argv[4:] or cases():
            r = subprocess.run([python, '-c', SNIPPET, name + '.py', os.path.join(tmp, 'o.pyc'), name + '.py'],
                               cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out = r.stdout.decode().strip() or 'crash %d %s' % (r.returncode, r.stderr.decode()[-200:].replace('\n', ' '))
            print('%s\t%s' % (name, out), flush=True)


main()
