"""gen_interned_313.py - the texts already interned when the reference oracle compiles a file
(tools/oracle_pycompile.py: py_compile.compile in a fresh `python -c` process), as
src/compile/interned_313.c for compile/refs.c: sorted, with their lengths and an open-addressing
table by value_bytes_hash (src/value.c, reproduced here), the hash refs.c keeps in each str.

    python3 tools/gen_interned_313.py PYTHON3.13 > src/compile/interned_313.c

The oracle runs oracle_pycompile.py's own snippet, with an audit hook put in front of it.
When py_compile calls compile(), the hook tests every candidate text (each identifier-like
word of the stdlib sources, every string reachable from live objects or from the code of
each loaded module, whose interned strings marshal interned for good) for being interned:
sys.intern of a fresh copy returns another object exactly then. Only the texts refs.c can
need are kept: [A-Za-z0-9_]+ (constants, which an interned equal replaces) and dotted
qualnames (a class body's __qualname__). The hook's own identifiers are interned too (it
is parsed with the snippet): those all start with _gi_ and such texts are left out; the
attribute names it uses are ones the loaded modules intern anyway."""
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


def main():
    python = sys.argv[1]
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'oracle_pycompile.py')
    snippet = re.search(r'SNIPPET = r"""(.*?)"""', open(tool).read(), re.S).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        src, out, texts = (os.path.join(tmp, n) for n in ('x.py', 'x.pyc', 'texts'))
        with open(src, 'w') as f:
            f.write('x = 1\n')
        env = dict(os.environ, PYTHONHASHSEED='0', _GI_OUT=texts)
        subprocess.run([python, '-c', HOOK + snippet, src, out, '0'], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        found = open(texts).read().split()
    w = sys.stdout.write
    w('/* interned_313.c - texts interned in the fresh CPython 3.13 process of\n'
      '   tools/oracle_pycompile.py when py_compile compiles a file, sorted, with a hash table\n'
      '   of them by value_bytes_hash (generated by tools/gen_interned_313.py: do not edit). */\n'
      '#include "compile.h"\n\nstatic const char *const texts[] = {\n')
    for s in found:
        w('    "%s",\n' % s)
    w('};\n\nstatic const uint16_t lens[] = {\n')
    rows(w, [len(s) for s in found])
    nslots = 1
    while nslots < 2 * len(found):
        nslots *= 2
    slots = [0] * nslots
    for i, s in enumerate(found):   # linear probing, as refs.c looks them up
        h = bytes_hash(s.encode()) & (nslots - 1)
        while slots[h]:
            h = (h + 1) & (nslots - 1)
        slots[h] = i + 1
    w('};\n\n/* index + 1 of the text whose hash starts probing there, 0 for none */\n'
      'static const uint16_t slots[%d] = {\n' % nslots)
    rows(w, slots)
    w('};\n\nconst RefsEnv refs_env_py_compile_3_13 = {texts, lens, sizeof texts / sizeof texts[0], '
      'slots, %d};\n' % nslots)


def rows(w, nums):
    for k in range(0, len(nums), 16):
        w('    %s,\n' % ', '.join(str(x) for x in nums[k:k + 16]))


def bytes_hash(b):
    """value_bytes_hash of src/value.c."""
    m = (1 << 64) - 1
    n, i = len(b), 0
    h = 1469598103934665603 ^ n
    while i + 8 <= n:
        h = ((h ^ int.from_bytes(b[i:i + 8], 'little')) * 1099511628211) & m
        h ^= h >> 32
        i += 8
    h ^= int.from_bytes(b[i:], 'little')
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & m
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & m
    h ^= h >> 33
    return ((h ^ (h >> 32)) & 0xffffffff) or 1


main()
