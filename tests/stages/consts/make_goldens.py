"""make_goldens.py - writes the golden pycs of the refs stage: each src/*.py compiled at
optimize 0, 1, 2 by the reference oracle (tools/oracle_pycompile.py: py_compile in a fresh
CPython 3.13 process), what compile/refs.c must reproduce (see docs/DESIGN.md).
    python3 tests/stages/consts/make_goldens.py PYTHON3.13
Writes tests/stages/consts/pyc/NAME.opt-N.pyc; co_filename is src/NAME.py."""
import glob, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
tool = os.path.join(here, '..', '..', '..', 'tools', 'oracle_pycompile.py')
os.makedirs(os.path.join(here, 'pyc'), exist_ok=True)
lines = ''
for src in sorted(glob.glob(os.path.join(here, 'src', '*.py'))):
    name = os.path.basename(src)[:-3]
    for level in (0, 1, 2):
        lines += 'src/%s.py\tpyc/%s.opt-%d.pyc\t%d\n' % (name, name, level, level)
with tempfile.TemporaryDirectory() as cache:
    env = dict(os.environ, CPYC_ORACLE_CACHE=cache)
    r = subprocess.run([sys.executable, tool, sys.argv[1], '2'], input=lines.encode(), cwd=here,
                       env=env, stdout=subprocess.PIPE, check=True)
status = r.stdout.decode().split('\n')
bad = [l for l in status if l and l != 'ok']
if bad:
    sys.exit('oracle: %s' % bad[0])
