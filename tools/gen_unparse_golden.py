"""Writes tests/compile/unparse.golden: each annotation of tests/compile/unparse_cases.py and a
sample of stdlib expressions with the text CPython 3.13 stores for it (hex, as
tools/oracle_unparse.py prints). Run with the 3.13 oracle:

    $(bash tools/oracle_python.sh 3.13) tools/gen_unparse_golden.py
"""
import ast
import os
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cases_py = os.path.join(ROOT, "tests", "compile", "unparse_cases.py")
out = []
text = open(cases_py, encoding="utf-8").read()
ns = {}
exec(compile("from __future__ import annotations\n" + text, cases_py, "exec"), ns)
for node in ast.parse(text).body:
    seg = ast.get_source_segment(text, node.annotation)
    out.append("%s\t%s" % (seg.encode().hex(), ns["__annotations__"][node.target.id].encode().hex()))
lib = sysconfig.get_paths()["stdlib"]
sample = [os.path.join(lib, f) for f in ("typing.py", "dataclasses.py", "inspect.py", "argparse.py")]
r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "oracle_unparse.py")] + sample,
                   stdout=subprocess.PIPE, check=True, universal_newlines=True)
out.extend(r.stdout.splitlines())
with open(os.path.join(ROOT, "tests", "compile", "unparse.golden"), "w") as f:
    f.write("\n".join(out) + "\n")
print("%d cases" % len(out))
