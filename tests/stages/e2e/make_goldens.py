"""make_goldens.py - writes the golden pycs of the e2e group: each src/*.py compiled by
CPython 3.13's py_compile at optimize 0, 1, 2, each in a fresh process (marshal output
depends on the process's history), with co_filename src/NAME.py and an unchecked-hash
header (so the bytes do not depend on the file's mtime).
    python3 tests/stages/e2e/make_goldens.py PYTHON3.13
Writes tests/stages/e2e/pyc/NAME.opt-N.pyc."""
import glob, os, subprocess, sys

SNIPPET = r"""
import py_compile, sys
src, out, dfile, opt = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
py_compile.compile(src, cfile=out, dfile=dfile, doraise=True, optimize=opt,
                   invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
"""

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, 'pyc'), exist_ok=True)
env = dict(os.environ, PYTHONHASHSEED='0')
env.pop('SOURCE_DATE_EPOCH', None)
for old in glob.glob(os.path.join(here, 'pyc', '*.pyc')):
    os.remove(old)
for src in sorted(glob.glob(os.path.join(here, 'src', '*.py'))):
    name = os.path.basename(src)[:-3]
    for level in (0, 1, 2):
        out = os.path.join(here, 'pyc', '%s.opt-%d.pyc' % (name, level))
        subprocess.run([sys.argv[1], '-c', SNIPPET, src, out, 'src/%s.py' % name, str(level)],
                       env=env, check=True)
