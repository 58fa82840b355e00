"""compileall_sbs.py - runs `python3.13 -m compileall ARGS` and `cpyc compileall ARGS` (and
py_compile likewise) on fresh copies of the same small trees at the same path, and compares the
files written (names, kinds, modes, hardlinks, pyc headers and, where cpyc's back end compiled
them, pyc bytes), stdout, stderr and the exit status. One line per scenario: ok / FAIL / skip.

Run by tests/stages/compileall.sh with the oracle CPython 3.13:
  python3.13 compileall_sbs.py --python PY --cpyc CPYC --fake CPYC_WITH_STAND_IN_BACK_END --tmp DIR
"""
import argparse
import difflib
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

T0 = 1_700_000_000          # sources' mtime (seconds), with varying nanoseconds below
UNSUPPORTED = b'cannot compile this yet'
# Drops every capability: root then meets permission bits as an ordinary owner does.
NOCAPS = ['setpriv', '--bounding-set=-all', '--inh-caps=-all',
          '--securebits=+noroot,+noroot_locked,+no_setuid_fixup', '--']


# ---------------------------------------------------------------- trees
def write(root, rel, data, mtime_ns=None, mode=None):
    path = os.path.join(os.fsencode(root), os.fsencode(rel))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(path, mode)
    ns = mtime_ns if mtime_ns is not None else T0 * 10**9 + 250_000_000
    os.utime(path, ns=(ns, ns), follow_symlinks=False)
    return path


def tree_basic(root):
    write(root, 'pkg/__init__.py', '')
    write(root, 'pkg/a.py', 'x = 1\n')
    write(root, 'pkg/b.py', 'def f():\n    return 2\n', mode=0o640)
    # a float mtime that rounds up to the next second, as os.stat's st_mtime does
    write(root, 'pkg/round.py', 'r = 3\n', mtime_ns=T0 * 10**9 + 999_999_999)
    write(root, 'pkg/sub/c.py', 'y = [1, 2]\n')
    write(root, 'pkg/sub/deep/d.py', 'z = 4\n')
    write(root, 'pkg/sub/deep/deeper/e.py', 'w = 5\n')
    write(root, 'pkg/data.txt', 'not python\n')
    write(root, 'pkg/x.py/inner.py', 'i = 6\n')      # a directory named x.py
    write(root, 'pkg/.py', 'dot = 7\n')              # cache name py.cpython-313.pyc
    write(root, 'pkg/noext', 'n = 8\n')


def tree_errors(root):
    tree_basic(root)
    write(root, 'pkg/bad.py', 'def f(:\n    pass\n')
    write(root, 'pkg/sub/indent.py', ' x = 1\n')
    write(root, 'pkg/sub/tabs.py', 'if 1:\n\tx = 1\n        y = 2\n')
    write(root, 'pkg/sub/nul.py', b'x = 1\0\n')
    write(root, 'pkg/sub/codec.py', '# coding: bogus\nx = 1\n')
    write(root, 'pkg/sub/unclosed.py', 'x = (1,\n')
    # error lines that are not UTF-8: shown decoded with errors="replace", columns counted there
    write(root, 'pkg/sub/undecodable.py', b'x = 1\nprint("b\xf6se" + 1 +)\n')
    write(root, 'pkg/sub/surrogate.py', b'x = "\xed\xa0\x80abc" + )\n')
    # CPython reads the line of a parser's or compiler's error again from the file the error
    # names (in pieces of 999 bytes, a BOM kept): with -d the file is not there, and a
    # compiler's error then shows no line
    write(root, 'pkg/sub/compiler.py', 'x = 1\nreturn x\n')
    write(root, 'pkg/sub/bom.py', b'\xef\xbb\xbfx = (1 +\n')
    write(root, 'pkg/sub/bom_compiler.py', b'\xef\xbb\xbfnonlocal x\n')
    write(root, 'pkg/sub/longline.py', 'x = [' + '1, ' * 600 + '1 1]\n')


def tree_warnings(root):
    # SyntaxWarnings go to stderr as the warnings module shows them, each compilation its own
    tree_basic(root)
    write(root, 'pkg/warn.py', 'x = "\\d"\ny = 1if x else 2\ntry:\n    pass\nfinally:\n    z = (1, 2)(3)\n'
                               'assert (x, "never")\n')
    write(root, 'pkg/sub/warn_error.py', 'a = b"\\q"\nb = (1 +\n')


def tree_links(root):
    tree_basic(root)
    write(root, 'outside/o.py', 'o = 1\n')
    os.symlink('a.py', os.path.join(root, 'pkg/link_in.py'))
    os.symlink('../outside/o.py', os.path.join(root, 'pkg/link_out.py'))
    os.symlink('sub', os.path.join(root, 'pkg/dirlink'))
    os.symlink('missing.py', os.path.join(root, 'pkg/dangling.py'))
    os.symlink('loop2.py', os.path.join(root, 'pkg/loop1.py'))
    os.symlink('loop1.py', os.path.join(root, 'pkg/loop2.py'))


def tree_names(root):
    write(root, 'names/plain.py', 'p = 1\n')
    write(root, b'names/\xff\xfe.py', 'q = 2\n')           # not UTF-8
    write(root, 'names/caf\u00e9.py', 'c = 3\n')
    write(root, "names/it's.py", 's = 4\n')
    write(root, 'names/sp ace.py', 's = 5\n')
    write(root, 'names/\u00e9t\u00e9/inner.py', 'e = 6\n')


def tree_regex(root):
    for rel in ('r/a.py', 'r/ab.py', 'r/abc.py', 'r/test_x.py', 'r/tests/t.py', 'r/x_test.py', 'r/A.py',
                'r/9.py', 'r/_p.py', 'r/d.e.py', 'r/sub.dir/q.py', 'r/bb.py', 'r/caf\u00e9.py'):
        write(root, rel, 'v = 1\n')


REGEXES = [r'test', r'^r/a', r'\d', r'/[A-Z]', r'(ab|9)\.py$', r'a.?c', r'b{1,2}c', r'b{2}', r'\.e\.',
           r'[^/]+\.dir', r'x_(?:test)', r'\bq\b', r'test(?P<n>s)?/', r'a*?c\.py', r'(?i)a\.PY$', r'\Ar/_',
           r'[\w.]+/t', r'\W_', r'[a-c]{3}', r'\u00e9|\xe9', r'caf.\.py', r'(a|b)+\.py', r'^.*/b+\.py$']


def tree_docs(root):
    write(root, 'opt/plain.py', 'x = 1\n')
    write(root, 'opt/more.py', 'def g(a):\n    return a + 1\n')


# ---------------------------------------------------------------- snapshots
def snapshot(root):
    """Every entry below root: kind, mode, content digest (pyc: header + body), hardlinks."""
    out, inodes = {}, {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        for name in sorted(dirnames + filenames):
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, os.fsencode(root))
            st = os.lstat(p)
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ('link', os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ('dir', oct(mode))
            else:
                try:
                    with open(p, 'rb') as f:
                        data = f.read()
                except OSError:
                    data = b'<unreadable>'
                key = (st.st_dev, st.st_ino)
                first = inodes.setdefault(key, rel)
                link = first if first != rel else None
                if rel.endswith(b'.pyc'):
                    out[rel] = ('pyc', oct(mode), data[:16].hex(), data[16:], link)
                else:
                    out[rel] = ('file', oct(mode), hashlib.sha1(data).hexdigest(), link)
    return out


def prepare(base, scen):
    if os.path.lexists(base):
        subprocess.run(['chmod', '-R', 'u+rwx', base], stderr=subprocess.DEVNULL)
        shutil.rmtree(base)
    os.makedirs(base)
    scen['tree'](base)
    for step in scen.get('pre', []):
        step(base)


TMPNAME = re.compile(rb'(\.pyc)\.[0-9]+\b')


def normalize(text):
    return TMPNAME.sub(rb'\1.<tmp>', text)


def run_side(cmd, base, scen):
    env = dict(os.environ, LC_ALL='C.UTF-8', PYTHONHASHSEED='0')
    env.pop('SOURCE_DATE_EPOCH', None)
    env.update(scen.get('env', {}))
    if scen.get('nocaps'):
        cmd = NOCAPS + cmd
    p = subprocess.run(cmd, cwd=base, env=env, input=scen.get('stdin', b''), capture_output=True,
                       timeout=120)
    return p.returncode, normalize(p.stdout), normalize(p.stderr)


# a piece ends where the next may begin: another worker's write can land before the newline
_END = rb"""(?=\n|  File "|\*\*\* |Compiling '|Listing '|$)"""
TOKENS = re.compile(rb"(?:Listing|Compiling|Can't list) '[^'\n]*'(?:\.\.\.)?|\*\*\* Error compiling '[^'\n]*'\.\.\.|"
                    rb"[A-Za-z]*Error: .*?" + _END + rb"|File \"[^\"\n]*\", line [0-9]+|The stripdir path .*?" + _END)


def ordered(out, scen):
    """-j N: CPython's workers write as they go, so their output interleaves, even inside lines;
    compare the sorted list of the lines' meaningful pieces (not blank lines, which move)."""
    if not scen.get('parallel'):
        return out
    return b'\n'.join(sorted(TOKENS.findall(out)))


def compare(name, a, b, label_a, label_b, problems, bodies):
    """Compares CPython's result a with cpyc's b; bodies: compare pyc bodies (True) or not."""
    (rc_a, out_a, err_a, tree_a), (rc_b, out_b, err_b, tree_b) = a, b
    if rc_a != rc_b:
        problems.append('exit status: %s %d, %s %d' % (label_a, rc_a, label_b, rc_b))
    if out_a != out_b:
        problems.append('stdout differs (- %s, + %s):\n%s' % (label_a, label_b, udiff(out_a, out_b)))
    if err_a != err_b:
        problems.append('stderr differs (- %s, + %s):\n%s' % (label_a, label_b, udiff(err_a, err_b)))
    compared = 0
    for rel in sorted(set(tree_a) | set(tree_b)):
        ea, eb = tree_a.get(rel), tree_b.get(rel)
        if ea is None or eb is None:
            problems.append('%s only in %s' % (rel.decode(errors='backslashreplace'),
                                               label_a if eb is None else label_b))
            continue
        if ea[0] == 'pyc' and eb[0] == 'pyc':
            if ea[:3] != eb[:3] or ea[4] != eb[4]:
                problems.append('%s: %s %s, %s %s' % (rel.decode(errors='backslashreplace'), label_a,
                                                      (ea[1], ea[2], ea[4]), label_b, (eb[1], eb[2], eb[4])))
            if bodies and ea[3] != eb[3]:
                problems.append('%s: pyc bodies differ' % rel.decode(errors='backslashreplace'))
            compared += bodies
        elif ea != eb:
            problems.append('%s: %s %s, %s %s' % (rel.decode(errors='backslashreplace'), label_a, ea[:2],
                                                  label_b, eb[:2]))
    return compared


def udiff(a, b):
    la = a.decode(errors='backslashreplace').split('\n')
    lb = b.decode(errors='backslashreplace').split('\n')
    d = [l for l in difflib.unified_diff(la, lb, lineterm='', n=2)][2:40]
    return '\n'.join('      ' + l for l in d)


def indent(label, text):
    body = text.decode(errors='backslashreplace').rstrip('\n').split('\n')[:15]
    return '    %s:\n' % label + '\n'.join('      | ' + l for l in body)


# ---------------------------------------------------------------- scenarios
def touch(rel, ns):
    def step(base):
        os.utime(os.path.join(base, rel), ns=(ns, ns))
    return step


def cpython_first(*args, env=None):
    """Pre-step: CPython compiles the tree first (pycs cpyc must then judge up to date or not)."""
    def step(base):
        e = dict(os.environ)
        e.pop('SOURCE_DATE_EPOCH', None)
        e.update(env or {})
        subprocess.run([PY, '-m', 'compileall', '-qq'] + list(args), cwd=base, env=e, check=False)
    return step


def chmod(rel, mode):
    def step(base):
        os.chmod(os.path.join(base, rel), mode)
    return step


def mkdir(rel, mode=0o755):
    def step(base):
        os.makedirs(os.path.join(base, rel), exist_ok=True)
        os.chmod(os.path.join(base, rel), mode)
    return step


def put(rel, data):
    def step(base):
        write(base, rel, data)
    return step


def symlink(target, rel):
    def step(base):
        os.symlink(target, os.path.join(base, rel))
    return step


def fake_python(paths):
    """Pre-step: an interpreter whose sys.path is `paths` (for compileall without FILE|DIR)."""
    def step(base):
        script = os.path.join(base, 'fakepy')
        code = 'import sys; sys.path[:] = %r; exec(sys.argv[1])' % (paths,)
        with open(script, 'w') as f:
            f.write('#!/bin/sh\nshift\nexec %s -c "%s" "$@"\n' % (PY, code.replace('"', '\\"')))
        os.chmod(script, 0o755)
    return step


def S(name, args, tree=tree_basic, **kw):
    kw.update(name=name, args=args, tree=tree)
    return kw


SCENARIOS = [
    S('plain', ['pkg']),
    S('errors', ['pkg'], tree=tree_errors),
    S('quiet', ['-q', 'pkg'], tree=tree_errors),
    S('quiet-quiet', ['-qq', 'pkg'], tree=tree_errors),
    S('no-recursion -l', ['-l', 'pkg']),
    S('recursion -r 1', ['-r', '1', 'pkg']),
    S('-r wins over -l', ['-l', '-r', '2', 'pkg']),
    S('up-to-date pycs skipped', ['pkg'], pre=[cpython_first('pkg')]),
    S('stale source recompiled', ['pkg'], pre=[cpython_first('pkg'), touch('pkg/a.py', (T0 + 5) * 10**9)]),
    S('size alone is not checked', ['pkg'], pre=[cpython_first('pkg'), put('pkg/sub/c.py', 'y = [1, 2, 3]\n'),
                                                 touch('pkg/sub/c.py', T0 * 10**9 + 250_000_000)]),
    S('hash pycs are never up to date', ['pkg'], pre=[cpython_first('--invalidation-mode', 'checked-hash', 'pkg')]),
    S('force -f', ['-f', 'pkg'], pre=[cpython_first('pkg')]),
    S('legacy -b', ['-b', 'pkg']),
    S('warnings on stderr, once per level', ['-o', '0', '-o', '1', 'pkg'], tree=tree_warnings),
    S('warnings with -d (no source line)', ['-q', '-d', '/usr/lib/dest', 'pkg'], tree=tree_warnings),
    # PYTHONWARNINGS, the interpreter's filters: action:message:category:module:lineno, the last first
    S('PYTHONWARNINGS=ignore', ['pkg'], tree=tree_warnings, env={'PYTHONWARNINGS': 'ignore'}),
    S('PYTHONWARNINGS by category, message, module, line', ['-o', '0', '-o', '1', 'pkg'], tree=tree_warnings,
      env={'PYTHONWARNINGS': 'ignore::DeprecationWarning,ignore:INVALID esc,i::SyntaxWarning:pkg/warn:6,'
                             'ignore:::2'}),
    S('PYTHONWARNINGS once, precedence and invalid entries', ['-o', '0', '-o', '1', 'pkg'], tree=tree_warnings,
      env={'PYTHONWARNINGS': 'ignore,bogus,once, ,ignore::Foo,a:b:c:d:e:f,ignore:::x,,ignore::Warning:pkg/sub/warn_error'}),
    S('PYTHONOPTIMIZE sets the interpreter level', ['-q', 'pkg'], env={'PYTHONOPTIMIZE': '1'}),
    S('PYTHONOPTIMIZE above 2 and not a number', ['-q', '-o', '-1', '-o', '0', 'pkg'], env={'PYTHONOPTIMIZE': '3'}),
    S('PYTHONOPTIMIZE text', ['-q', 'pkg'], env={'PYTHONOPTIMIZE': 'yes'}),
    S('PYTHONPYCACHEPREFIX (relative)', ['pkg'], env={'PYTHONPYCACHEPREFIX': 'cache'}),
    S('PYTHONPYCACHEPREFIX with -b (ignored)', ['-q', '-b', 'pkg'], env={'PYTHONPYCACHEPREFIX': 'cache'}),
    S('ddir -d', ['-d', '/usr/lib/dest', 'pkg'], tree=tree_errors),
    S('stripdir -s and -p /', ['-s', '@BASE@', '-p', '/', '@BASE@/pkg'], tree=tree_errors),
    S('stripdir not a prefix', ['-s', 'elsewhere', 'pkg']),
    S('stripdir with trailing slash', ['-s', 'pkg/', '-p', '/opt', 'pkg']),
    S('prependdir -p alone', ['-p', '/prefix', 'pkg'], tree=tree_errors),
    S('regex -x', ['-x', r'sub/de+p|[/]b\.py$', 'pkg']),
    S('regex -x (?i) and classes', ['-x', r'(?i)ROUND\.PY|/[^/]*deeper', 'pkg']),
    *[S('regex battery %r' % rx, ['-x', rx, 'r'], tree=tree_regex) for rx in REGEXES],
    S('interpreter -O', ['pkg'], pyflags=['-O']),
    S('interpreter -OO with -o 0 -o -1', ['-o', '0', '-o', '-1', 'opt'], tree=tree_docs, pyflags=['-OO']),
    S('file list -i', ['-i', 'list.txt'], pre=[put('list.txt', 'pkg/a.py\n  pkg/sub  \n\nnope.py\npkg/data.txt\n')]),
    S('file list -i - (stdin)', ['-i', '-', 'pkg/b.py'], stdin=b'pkg/a.py\npkg/sub/c.py\n'),
    S('file list -i with CR LF and CR', ['-i', 'list.txt'], pre=[put('list.txt', 'pkg/a.py\r\npkg/b.py\rpkg/sub\n')]),
    S('file list -i - with CR LF and CR', ['-i', '-'], stdin=b'pkg/a.py\r\npkg/b.py\rpkg/sub\n'),
    S('file list -i with \\r\\n and \\r', ['-i', 'list.txt'], pre=[put('list.txt', 'pkg/a.py\r\npkg/b.py\rpkg/sub\n')]),
    S('file list -i - with \\r\\n and \\r', ['-i', '-'], stdin=b'pkg/a.py\r\npkg/b.py\rpkg/sub\n'),
    S('file list missing', ['-i', 'nolist.txt', 'pkg']),
    S('files and missing names', ['pkg/a.py', 'pkg/sub', 'missing', 'pkg/data.txt', 'pkg/noext']),
    S('ddir with a file argument', ['-d', 'dd', 'pkg/a.py', 'pkg/sub/c.py']),
    S('workers -j 2', ['-j', '2', 'pkg'], tree=tree_errors, parallel=True),
    S('workers -j 0', ['-j0', '-q', 'pkg'], tree=tree_errors, parallel=True),
    S('checked-hash', ['--invalidation-mode', 'checked-hash', 'pkg']),
    S('unchecked-hash', ['--invalidation-mode=unchecked-hash', 'pkg']),
    S('timestamp despite SOURCE_DATE_EPOCH', ['--invalidation-mode', 'timestamp', 'pkg'], env={'SOURCE_DATE_EPOCH': '1'}),
    S('SOURCE_DATE_EPOCH selects checked-hash', ['pkg'], env={'SOURCE_DATE_EPOCH': '1600000000'}),
    S('optimization levels -o', ['-o', '0', '-o', '1', '-o2', 'opt'], tree=tree_docs),
    S('-o -1 and 0 share a name', ['-o', '-1', '-o', '0', 'opt'], tree=tree_docs),
    S('hardlink dupes', ['-o', '2', '-o', '0', '-o', '1', '--hardlink-dupes', 'opt'], tree=tree_docs),
    S('fedora brp-python-bytecompile', ['-j', '2', '-o', '0', '-o', '1', '-q', '-f', '-s', '@BASE@', '-p', '/',
                                        '--hardlink-dupes', '--invalidation-mode=timestamp', '-e', '@BASE@',
                                        '@BASE@/opt'], tree=tree_docs, parallel=True),
    S('buildroot', ['-q', '-b', '-s', '@BASE@', '-p', '/', '@BASE@/pkg']),
    S('symlinks', ['pkg'], tree=tree_links),
    S('symlinks -e', ['-e', 'pkg', 'pkg'], tree=tree_links),
    S('symlinks -e /', ['-e', '/', 'pkg'], tree=tree_links),
    S('file names as Python shows them', ['names'], tree=tree_names),
    S('unwritable directory', ['pkg'], nocaps=True, pre=[chmod('pkg/sub', 0o555)]),
    S('unwritable __pycache__', ['pkg'], nocaps=True, pre=[mkdir('pkg/__pycache__', 0o555)]),
    S('unreadable source', ['pkg'], nocaps=True, pre=[chmod('pkg/a.py', 0o000)]),
    S('unlistable directory', ['pkg'], nocaps=True, pre=[chmod('pkg/sub/deep', 0o000)]),
    S('__pycache__ is a file', ['pkg'], pre=[put('pkg/__pycache__', 'x')]),
    S('pyc is a symlink', ['pkg'], pre=[mkdir('pkg/__pycache__'), symlink('../a.py', 'pkg/__pycache__/a.cpython-313.pyc')]),
    S('pyc is a directory', ['pkg'], pre=[mkdir('pkg/__pycache__/b.cpython-313.pyc')]),
    S('sys.path without FILE|DIR', ['--python', '@BASE@/fakepy'], cpython=['-c', 'SYSPATH'],
      pre=[fake_python(['.', 'pkg/sub', 'pkg', 'pkg/sub/deep'])], tree=tree_errors),
    S('usage: -h', ['-h'], usage=True, prefix=True),
    S('usage: bad int', ['-j', 'x', 'pkg'], usage=True),
    S('usage: missing value', ['pkg', '-r'], usage=True),
    S('usage: ambiguous', ['--h', 'pkg'], usage=True),
    S('usage: unknown option', ['--bogus', '-Z', 'pkg'], usage=True),
    S('usage: invalid choice', ['--invalidation-mode', 'sometimes', 'pkg'], usage=True),
    S('usage: hardlink needs levels', ['--hardlink-dupes', 'pkg'], usage=True),
    S('usage: -d with -s', ['-d', 'x', '-s', 'y', 'pkg'], usage=True),
    S('usage: second positional run', ['pkg/a.py', '-q', 'pkg/b.py'], usage=True),
    S('usage: clustered flags and -- ', ['-fqq', '--', 'pkg'], usage=True),
    # py_compile
    S('py_compile files', ['pkg/a.py', 'pkg/sub/c.py'], tool='py_compile'),
    S('py_compile stops at an error', ['pkg/a.py', 'pkg/bad.py', 'pkg/b.py'], tree=tree_errors, tool='py_compile'),
    S('py_compile -q', ['-q', 'pkg/sub/indent.py'], tree=tree_errors, tool='py_compile'),
    S('py_compile undecodable error lines', ['pkg/sub/undecodable.py', 'pkg/sub/surrogate.py'], tree=tree_errors,
      tool='py_compile'),
    S('py_compile missing file', ['pkg/a.py', 'nope.py'], tool='py_compile'),
    S('py_compile a directory', ['pkg/sub'], tool='py_compile'),
    S('py_compile - (stdin)', ['-'], stdin=b'pkg/a.py\npkg/sub/deep/d.py\n', tool='py_compile'),
    S('py_compile SOURCE_DATE_EPOCH', ['pkg/b.py'], env={'SOURCE_DATE_EPOCH': '5'}, tool='py_compile'),
    S('py_compile usage', [], tool='py_compile', usage=True),
    S('py_compile - with \\r\\n', ['-'], stdin=b'pkg/a.py\r\n', tool='py_compile'),
    S('py_compile - with CR LF', ['-'], stdin=b'pkg/a.py\r\n', tool='py_compile'),
    S('py_compile -O (py3compile -O)', ['-'], stdin=b'pkg/a.py\n', tool='py_compile', pyflags=['-O']),
    S('py_compile warnings', ['pkg/warn.py', 'pkg/sub/warn_error.py'], tree=tree_warnings, tool='py_compile'),
    S('py_compile PYTHONWARNINGS', ['pkg/warn.py', 'pkg/sub/warn_error.py'], tree=tree_warnings, tool='py_compile',
      env={'PYTHONWARNINGS': 'default,ignore:"is" with,once'}),
    S('py_compile PYTHONOPTIMIZE and PYTHONPYCACHEPREFIX', ['pkg/a.py', 'pkg/sub/c.py'],
      env={'PYTHONOPTIMIZE': '2', 'PYTHONPYCACHEPREFIX': 'cache/'}, tool='py_compile'),
    S('py_compile unwritable', ['pkg/sub/c.py'], nocaps=True, pre=[chmod('pkg/sub', 0o555)], tool='py_compile'),
]


def commands(scen, base, cpyc):
    args = [a.replace('@BASE@', base) for a in scen['args']]
    tool = scen.get('tool', 'compileall')
    if scen.get('usage'):
        # argparse names the program after argv[0]: give CPython cpyc's name
        py = [PY, '-c', 'import sys, runpy; sys.argv[0] = "cpyc %s"; runpy.run_module("%s", run_name="__main__")'
              % (tool, tool)]
    elif scen.get('cpython') == ['-c', 'SYSPATH']:
        paths = open(os.path.join(base, 'fakepy')).read().split('sys.path[:] = ')[1].split(';')[0]
        # compileall reads sys.path through its module global `sys`: a stand-in with those paths
        py = [PY, '-c', 'import sys, compileall\nclass S:\n    path = %s\n    def __getattr__(self, n): '
              'return getattr(sys, n)\ncompileall.sys = S()\nsys.exit(int(not compileall.main()))' % paths]
        args = [a for a in args if a != '--python' and 'fakepy' not in a]
    else:
        py = [PY] + scen.get('pyflags', []) + ['-m', tool]
    return py + args, [cpyc, tool] + scen.get('pyflags', []) + [a.replace('@BASE@', base) for a in scen['args']]


def run_scenario(scen, base):
    label = 'compileall/' + scen['name'] if scen.get('tool', 'compileall') == 'compileall' else scen['name']
    if scen.get('nocaps') and not NOCAPS_OK:
        return ['skip %s: setpriv cannot drop capabilities here (needed to meet permission bits)' % label]
    results = {}
    for side in ('cpython', 'cpyc'):
        prepare(base, scen)
        py_cmd, cpyc_cmd = commands(scen, base, CPYC)
        rc, out, err = run_side(py_cmd if side == 'cpython' else cpyc_cmd, base, scen)
        results[side] = (rc, ordered(out, scen), err, snapshot(base))
    if scen.get('prefix'):   # cpyc's --help adds its own options after CPython's text
        rc, out, err, tree = results['cpyc']
        if out.startswith(results['cpython'][1]):
            results['cpyc'] = (rc, results['cpython'][1], err, tree)
    problems = []
    n = compare(label, results['cpython'], results['cpyc'], 'CPython', 'cpyc', problems, bodies=True)
    if not problems:
        return ['ok %s (%d pycs byte-identical)' % (label, n)]
    # the back end cannot compile everything yet: everything but the pyc bodies through the
    # stand-in back end, the bodies of the pycs the real one wrote compared with CPython's
    real, ours = results['cpyc'][3], results['cpython'][3]
    prepare(base, scen)
    rc, out, err = run_side(commands(scen, base, FAKE)[1], base, scen)
    results['fake'] = (rc, ordered(out, scen), err, snapshot(base))
    if scen.get('prefix') and out.startswith(results['cpython'][1]):
        results['fake'] = (rc, results['cpython'][1], err, results['fake'][3])
    problems = []
    compare(label, results['cpython'], results['fake'], 'CPython', 'cpyc', problems, bodies=False)
    both = [r for r, e in real.items() if e[0] == 'pyc' and ours.get(r, ('',))[0] == 'pyc']
    for r in both:
        if real[r][3] != ours[r][3]:
            problems.append('%s: pyc bodies differ (real back end)' % r.decode(errors='backslashreplace'))
    if problems:
        return ['FAIL %s' % label] + ['    ' + l for p in problems for l in p.split('\n')]
    npyc = sum(1 for e in ours.values() if e[0] == 'pyc')
    return ['ok %s (stand-in back end: files, names, headers, modes, links, output, status)' % label,
            'skip %s [pyc bytes]: the back end wrote %d of the %d pycs (those byte-identical); '
            'the rest cannot be compiled yet' % (label, len(both), npyc)]


# ---------------------------------------------------------------- cpyc's own messages
def cpyc_only(base):
    """Where CPython has no counterpart (it crashes or cannot be asked): cpyc's clear errors."""
    prepare(base, {'tree': tree_basic})
    checks = [
        ('no interpreter for sys.path', ['--python', '/nonexistent/python3.13'], 2,
         b'no FILE|DIR given, and no Python interpreter'),
        ('unsupported -x construct named', ['-x', '(?<=a)b', 'pkg'], 2, b'is not supported'),
        ('backreference in -x named', ['-x', r'(a)\1', 'pkg'], 2, b'backreferences'),
        ('invalid -x pattern is an error', ['-x', '(ab', 'pkg'], 1, b'missing ), unterminated subpattern'),
        ('unknown --target', ['--target', '2.7', 'pkg'], 2, b'unknown target 2.7'),
        ('target without a back end', ['--target', '3.12', 'pkg'], 2, b'no back end'),
    ]
    lines = []
    for name, args, want_rc, want in checks:
        p = subprocess.run([CPYC, 'compileall'] + args, cwd=base, capture_output=True)
        ok = p.returncode == want_rc and want in p.stderr
        lines.append('%s compileall/cpyc: %s%s' % ('ok' if ok else 'FAIL', name, '' if ok else
                     ': exit %d, %r' % (p.returncode, p.stderr[-300:])))
    return lines


# ---------------------------------------------------------------- robustness
def tree_big(root):
    for d in range(16):
        for f in range(25):
            write(root, 'big/d%02d/m%02d.py' % (d, f), 'x = %d\n' % f)


def pycs(root):
    """{relative path: bytes} of every .pyc below root, and the leftover temporary files."""
    found, temps = {}, []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if n.endswith('.pyc'):
                with open(p, 'rb') as f:
                    found[os.path.relpath(p, root)] = f.read()
            elif TMPNAME.search(os.fsencode(n)):
                temps.append(n)
    return found, temps


READER = r"""
import marshal, os, sys, time
root, real, ref = sys.argv[1], sys.argv[2] == '1', eval(open(sys.argv[3]).read())
bad, seen, end = 0, 0, time.time() + 30
while not os.path.exists(os.path.join(root, 'STOP')) and time.time() < end:
    for rel, want in ref.items():
        try:
            with open(os.path.join(root, rel), 'rb') as f:
                data = f.read()
        except FileNotFoundError:
            continue
        seen += 1
        if data != want:
            bad += 1
            print('torn or different:', rel, len(data), len(want))
        elif real:
            marshal.loads(data[16:])
print('read', seen, 'bad', bad)
"""


def robustness(base, binary, real):
    """SIGKILL at random moments, two runs at once while a reader watches, -j 1/2/0 shuffled."""
    import random, signal, time
    rnd = random.Random(1234)
    what = 'real back end' if real else 'stand-in back end'
    lines = []
    cmd = [binary, 'compileall', '-q', '-f', '-j', '2', 'big']

    def fresh():
        prepare(base, {'tree': tree_big})

    fresh()
    t = time.time()
    subprocess.run(cmd, cwd=base, check=False, capture_output=True)
    took = time.time() - t
    ref, _ = pycs(base)
    if len(ref) != 400:
        return ['FAIL compileall/robustness: the reference run wrote %d of 400 pycs' % len(ref)]

    # -j 1, 2 and 0, twice each, in shuffled order: identical trees
    order = ['1', '2', '0'] * 2
    rnd.shuffle(order)
    differ = []
    for j in order:
        fresh()
        subprocess.run([binary, 'compileall', '-q', '-j', j, 'big'], cwd=base, capture_output=True)
        got, _ = pycs(base)
        if got != ref:
            differ.append(j)
    lines.append(('FAIL' if differ else 'ok') + ' compileall/determinism: -j %s (shuffled, %s) give %s'
                 % (' '.join(order), what, 'different trees at -j ' + ' '.join(differ) if differ else
                    'the same 400 pycs'))

    # 100 runs killed with SIGKILL at random moments: every pyc left is complete
    fresh()
    torn, temps = 0, 0
    for i in range(100):
        p = subprocess.Popen(cmd, cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0, took * 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        got, tmp = pycs(base)
        torn += sum(1 for r, d in got.items() if ref.get(r) != d)
        temps = len(tmp)
    subprocess.run(cmd, cwd=base, capture_output=True)
    final, _ = pycs(base)
    ok = torn == 0 and final == ref
    lines.append(('ok' if ok else 'FAIL') + ' compileall/interrupted: 100 runs killed at random moments (%s): '
                 '%d torn or wrong pycs, %d temporary files left (CPython leaves them too), %s'
                 % (what, torn, temps, 'then one run gives the full tree' if final == ref else 'final tree differs'))

    # two runs at once over one tree while a reader loads every pyc it finds
    fresh()
    with open(os.path.join(base, 'ref.txt'), 'w') as f:
        f.write(repr(ref))
    reader = subprocess.Popen([PY, '-c', READER, base, '1' if real else '0', os.path.join(base, 'ref.txt')],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    runs = [subprocess.Popen(cmd, cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    for r in runs:
        r.wait()
    open(os.path.join(base, 'STOP'), 'w').close()
    out = reader.communicate()[0].decode(errors='replace').strip()
    final, tmp = pycs(base)
    ok = out.endswith('bad 0') and final == ref and not tmp and all(r.returncode == 0 for r in runs)
    lines.append(('ok' if ok else 'FAIL') + ' compileall/concurrent: two runs at once while a reader loads the '
                 'pycs (%s): reader %s; %s' % (what, out.splitlines()[-1] if out else 'silent',
                                               'the tree one run leaves' if final == ref and not tmp else
                                               'tree differs or temporary files left'))
    if not ok and out:
        lines += ['    ' + l for l in out.splitlines()[:10]]
    return lines


def main():
    global PY, CPYC, FAKE, NOCAPS_OK
    ap = argparse.ArgumentParser()
    ap.add_argument('--python', required=True)
    ap.add_argument('--cpyc', required=True)
    ap.add_argument('--fake', required=True)
    ap.add_argument('--tmp', required=True)
    ap.add_argument('--only', default=None, help='run the scenarios whose name contains this')
    a = ap.parse_args()
    PY, CPYC, FAKE = a.python, os.path.abspath(a.cpyc), os.path.abspath(a.fake)
    NOCAPS_OK = subprocess.run(NOCAPS + ['true'], capture_output=True).returncode == 0
    os.umask(0o022)
    base = os.path.join(tempfile.mkdtemp(dir=a.tmp), 'tree')
    failed = 0
    for scen in SCENARIOS:
        if a.only and a.only not in scen['name']:
            continue
        try:
            lines = run_scenario(scen, base)
        except Exception as e:   # a harness error is a failure of that scenario
            lines = ['FAIL %s: harness error %r' % (scen['name'], e)]
        failed += lines[0].startswith('FAIL')
        print('\n'.join(lines), flush=True)
    if not a.only or 'cpyc' in a.only:
        print('\n'.join(cpyc_only(base)), flush=True)
    if not a.only or 'robust' in a.only:
        # the real back end when it compiles these modules, else the stand-in
        prepare(base, {'tree': tree_big})
        r = subprocess.run([CPYC, 'compileall', '-q', 'big/d00'], cwd=base, capture_output=True)
        real = r.returncode == 0
        try:
            lines = robustness(base, CPYC if real else FAKE, real)
        except Exception as e:
            lines = ['FAIL compileall/robustness: harness error %r' % e]
        print('\n'.join(lines), flush=True)
    prepare_clean(base)
    return 0


def prepare_clean(base):
    if os.path.lexists(base):
        subprocess.run(['chmod', '-R', 'u+rwx', base], stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
