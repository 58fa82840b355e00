"""gen_interned_313.py - the texts already interned when a CPython 3.13 process compiles a
file, as src/targets/py3_13_interned.c for compile/refs.c: sorted, with their lengths and an
open-addressing table by value_bytes_hash (src/pyc/value.c, reproduced here), the hash refs.c
keeps in each str. Two processes, two tables: the reference oracle's (tools/oracle_pycompile.py:
py_compile.compile in a fresh `python -c` process), refs_env_py_compile_3_13, the 3.13
target's refs_env (the pycs' world); and `python3.13 -m dis FILE.py`'s (dis, argparse and
what they import loaded: 7,470 texts against 5,830), refs_env_dis_3_13, its dis_refs_env,
which tells `cpyc dis FILE.py` which frozenset constants interning rebuilds.

    $(bash tools/oracle_python.sh 3.13) tools/gen_interned_313.py PYTHON3.13
    python3 tools/gen_interned_313.py --rehash     (the same texts, after value_bytes_hash changed)

Each process runs its snippet (oracle_pycompile.py's own; DIS_SNIPPET, runpy running dis as
`-m` does) with an audit hook put in front of it. When the snippet calls compile() on the
source, the hook tests every candidate text (each identifier-like word of the stdlib sources,
every string reachable from live objects or from the code of each loaded module, whose
interned strings marshal interned for good) for being interned: sys.intern of a fresh copy
returns another object exactly then. Only the texts refs.c can need are kept: [A-Za-z0-9_]+
(constants, which an interned equal replaces) and dotted qualnames (a class body's
__qualname__). The hook's own identifiers are interned too (it is parsed with the snippet):
those all start with _gi_ and such texts are left out; the attribute names it uses are ones
the loaded modules intern anyway."""
import os, re, subprocess, sys, tempfile

HOOK = r'''
import _imp as _gi_imp, gc as _gi_gc, marshal as _gi_marshal, os as _gi_os, re as _gi_re, sys as _gi_sys
_gi_NAME = _gi_re.compile(r'[A-Za-z0-9_]+\Z')
_gi_done = []
def _gi_candidates():
    _gi_set = set()
    for _gi_root, _gi_dirs, _gi_files in _gi_os.walk(_gi_os.path.dirname(_gi_os.__file__)):
        for _gi_f in _gi_files:
            if _gi_f.endswith('.py'):
                with open(_gi_os.path.join(_gi_root, _gi_f), 'rb') as _gi_fh:
                    _gi_set.update(_gi_re.findall(rb'[A-Za-z0-9_]{2,}', _gi_fh.read()))
    _gi_set = {_gi_w.decode() for _gi_w in _gi_set}
    _gi_code = type(_gi_candidates.__code__)
    for _gi_name, _gi_m in list(_gi_sys.modules.items()):
        _gi_top = None
        try:
            if getattr(getattr(_gi_m, '__spec__', None), 'origin', None) == 'frozen':
                _gi_top = _gi_imp.get_frozen_object(_gi_name)
            elif getattr(_gi_m, '__cached__', None) and _gi_os.path.exists(_gi_m.__cached__):
                with open(_gi_m.__cached__, 'rb') as _gi_fh:
                    _gi_top = _gi_marshal.loads(_gi_fh.read()[16:])
        except Exception:
            pass
        _gi_todo = [_gi_top] if _gi_top else []
        while _gi_todo:
            _gi_x = _gi_todo.pop()
            if isinstance(_gi_x, str):
                _gi_set.add(_gi_x)
            elif isinstance(_gi_x, (tuple, frozenset)):
                _gi_todo.extend(_gi_x)
            elif isinstance(_gi_x, _gi_code):
                _gi_todo.extend((_gi_x.co_consts, _gi_x.co_names, _gi_x.co_varnames,
                                 _gi_x.co_cellvars, _gi_x.co_freevars, _gi_x.co_name,
                                 _gi_x.co_qualname))
    for _gi_o in _gi_gc.get_objects():
        if isinstance(_gi_o, _gi_code):
            _gi_set.add(_gi_o.co_qualname)
        elif isinstance(_gi_o, type) and isinstance(getattr(_gi_o, '__qualname__', None), str):
            _gi_set.add(_gi_o.__qualname__)
        for _gi_r in _gi_gc.get_referents(_gi_o):
            if type(_gi_r) is str and len(_gi_r) < 200:
                _gi_set.add(_gi_r)
    return _gi_set
def _gi_interned(_gi_s):
    _gi_copy = ''.join([_gi_s[:1], _gi_s[1:]])
    return _gi_sys.intern(_gi_copy) is not _gi_copy
def _gi_hook(_gi_event, _gi_args):
    if _gi_event == 'compile' and not _gi_done and _gi_args[1] == _gi_sys.argv[1]:
        _gi_done.append(1)
        with open(_gi_os.environ['_GI_OUT'], 'w') as _gi_fh:
            for _gi_s in sorted(_gi_candidates()):
                if (len(_gi_s) > 1 and _gi_s.isascii() and '_gi_' not in _gi_s and
                        (_gi_NAME.match(_gi_s) or ('.' in _gi_s and ' ' not in _gi_s and '/' not in _gi_s))
                        and _gi_interned(_gi_s)):
                    _gi_fh.write(_gi_s + '\n')
_gi_sys.addaudithook(_gi_hook)
'''


# What `python3.13 -m dis FILE.py` runs, as a -c snippet the hook can go in front of.
DIS_SNIPPET = r"""
import runpy, sys
sys.argv[:] = ['dis', sys.argv[1]]
runpy._run_module_as_main('dis', alter_argv=False)
"""


def interned_texts(python, snippet, args, tmp):
    """The texts the hook finds interned when snippet, run by `python -c` with the source
    and args as its arguments, compiles a one-line source."""
    src, texts = os.path.join(tmp, 'x.py'), os.path.join(tmp, 'texts')
    with open(src, 'w') as f:
        f.write('x = 1\n')
    env = dict(os.environ, PYTHONHASHSEED='0', _GI_OUT=texts)
    subprocess.run([python, '-c', HOOK + snippet, src] + args, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with open(texts) as f:
        return f.read().split()


def table_texts(path, name):
    """The texts of the table name in the file written before (for --rehash)."""
    with open(path) as f:
        body = re.search(r'%s_texts\[\] = \{(.*?)\};' % name, f.read(), re.S).group(1)
    texts = re.findall(r'"([^"\\]*)"', body)
    assert body.count('"') == 2 * len(texts), 'a text with an escape'
    return texts


def main():
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        'src', 'targets', 'py3_13_interned.c')
    what = {'py_compile': 'when py_compile compiles a file in the fresh process of\n'
                          '   tools/oracle_pycompile.py (the target\'s refs_env)',
            'dis': 'when `python3.13 -m dis FILE.py` compiles FILE (the target\'s\n'
                   '   dis_refs_env)'}
    if sys.argv[1] == '--rehash':   # the same texts, the tables by a changed bytes_hash
        envs = [(name, what[name], table_texts(path, name)) for name in ('py_compile', 'dis')]
    else:
        envs = interned_envs(sys.argv[1], what)
    write_tables(path, envs)


def interned_envs(python, what):
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'oracle_pycompile.py')
    with open(tool) as f:
        pycompile = re.search(r'SNIPPET = r"""(.*?)"""', f.read(), re.S).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        return [('py_compile', what['py_compile'],
                 interned_texts(python, pycompile, [os.path.join(tmp, 'x.pyc'), '0'], tmp)),
                ('dis', what['dis'], interned_texts(python, DIS_SNIPPET, [], tmp))]


def write_tables(path, envs):
    out = []
    w = out.append
    w('/* py3_13_interned.c - the texts a CPython 3.13 process has interned when it compiles\n'
      '   a file, for compile/refs.c: sorted, with their lengths and a hash table of them by\n'
      '   value_bytes_hash (generated by tools/gen_interned_313.py: do not edit). */\n'
      '#include "compile/compile.h"\n')
    for name, what, found in envs:
        nslots = 1
        while nslots < 2 * len(found):
            nslots *= 2
        slots = [0] * nslots
        for i, s in enumerate(found):   # linear probing, as refs.c looks them up
            h = bytes_hash(s.encode()) & (nslots - 1)
            while slots[h]:
                h = (h + 1) & (nslots - 1)
            slots[h] = i + 1
        w('\n/* ---- %s: %s */\n' % (name, what))
        w('static const char *const %s_texts[] = {\n' % name)
        rows(w, ['"%s"' % s for s in found])
        w('};\n\nstatic const uint16_t %s_lens[] = {\n' % name)
        rows(w, [len(s) for s in found])
        w('};\n\n/* index + 1 of the text whose hash starts probing there, 0 for none */\n'
          'static const uint16_t %s_slots[%d] = {\n' % (name, nslots))
        rows(w, slots)
        w('};\n\nconst RefsEnv refs_env_%s_3_13 = {\n'
          '    %s_texts, %s_lens, CPYC_COUNTOF(%s_texts), %s_slots, %d};\n'
          % (name, name, name, name, name, nslots))
    with open(path, 'w') as f:
        f.write(''.join(out))


def rows(w, items):
    """items, comma-separated, as many a line as fit in 100 columns."""
    line = '   '
    for x in items:
        x = ' %s,' % x
        if len(line) + len(x) > 100:
            w(line + '\n')
            line = '   '
        line += x
    if line.strip():
        w(line + '\n')


def bytes_hash(b):
    """value_bytes_hash of src/pyc/value.c."""
    m, k = (1 << 64) - 1, 0x9e3779b97f4a7c15
    n = len(b)
    h = (n * k) & m
    word = lambda i, w: int.from_bytes(b[i:i + w], 'little')
    if n >= 8:
        i = 0
        while i + 8 < n:
            h = ((h ^ word(i, 8)) * k) & m
            i += 8
        h = ((h ^ word(n - 8, 8)) * k) & m
    elif n >= 4:
        h = ((h ^ (word(0, 4) << 32 | word(n - 4, 4))) * k) & m
    elif n:
        h = ((h ^ (b[0] << 16 | b[n // 2] << 8 | b[n - 1])) * k) & m
    return (h >> 32) or 1

main()
