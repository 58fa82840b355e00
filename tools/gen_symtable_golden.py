"""Generates the goldens of tests/stages/symtable/golden: for each NAME.py there, NAME.out is
what `python -m symtable tests/stages/symtable/golden/NAME.py` prints and NAME.raw what
`cpyc symtable --raw` must print (every block's type, name, line, nested flag, parameters and
whole symbol flags, from _symtable). Run from anywhere with the oracle:
    PYTHONHASHSEED=0 $(bash tools/oracle_python.sh 3.13) tools/gen_symtable_golden.py
"""
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env = dict(os.environ, PYTHONHASHSEED="0")
for path in sorted(glob.glob(os.path.join(ROOT, "tests", "stages", "symtable", "golden", "*.py"))):
    rel = os.path.relpath(path, ROOT)
    base = path[:-3]
    lines = "%s\t%s.out\n%s\t%s.raw\n" % (rel, base, rel, base)
    for mode, line in (("", lines.splitlines()[0]), ("--raw", lines.splitlines()[1])):
        args = [sys.executable, os.path.join(ROOT, "tools", "oracle_symtable.py")] + ([mode] if mode else [])
        r = subprocess.run(args, input=line + "\n", text=True, capture_output=True, cwd=ROOT, env=env)
        if r.stdout.strip() != "ok":
            sys.exit("%s: the oracle rejects it (%s)" % (rel, r.stdout.strip() + r.stderr))
    print(rel)
