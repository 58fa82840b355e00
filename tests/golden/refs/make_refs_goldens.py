"""make_refs_goldens.py - writes the golden pycs of the refs stage: each src/*.py compiled by
`python3.13 -m py_compile` in a fresh interpreter at -O levels 0, 1, 2 (what refs.c must
reproduce, see docs/DESIGN.md). Run from anywhere with the oracle:
    PYTHONHASHSEED=0 python3.13 tests/golden/refs/make_refs_goldens.py
Writes tests/golden/refs/pyc/NAME.opt-N.pyc (co_filename is src/NAME.py)."""
import glob, os, shutil, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, 'pyc'), exist_ok=True)
env = dict(os.environ, PYTHONHASHSEED='0')
for src in sorted(glob.glob(os.path.join(here, 'src', '*.py'))):
    name = os.path.basename(src)[:-3]
    for level in (0, 1, 2):
        flags = ['-' + 'O' * level] if level else []
        subprocess.run([sys.executable] + flags + ['-m', 'py_compile', 'src/%s.py' % name],
                       cwd=here, env=env, check=True)
        tag = '.opt-%d' % level if level else ''
        built = os.path.join(here, 'src', '__pycache__', '%s.cpython-313%s.pyc' % (name, tag))
        shutil.move(built, os.path.join(here, 'pyc', '%s.opt-%d.pyc' % (name, level)))
shutil.rmtree(os.path.join(here, 'src', '__pycache__'), ignore_errors=True)
