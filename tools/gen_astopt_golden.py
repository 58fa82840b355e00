"""Writes the AST optimizer's golden files from the oracle (CPython 3.13): run under it with
PYTHONHASHSEED=0 from the repository root.

- tests/astopt/NAME.dump for each tests/astopt/NAME.py except docstrings.py:
  ast.dump(ast.parse(src, NAME.py, optimize=1), include_attributes=True, indent=1); optimize=2
  gives the same tree in 3.13 (checked here), so one file serves both levels.
- tests/astopt/docstrings.cleandoc: tools/oracle_cleandoc.py's lines for docstrings.py.
- tests/astopt/errors.want: for each program of errors.txt (programs separated by lines that
  are not indented, each line a program unless indented lines follow), what
  `cpyc ast --optimize 1 --error-tsv` prints: "ok" or TYPE, LINE, OFFSET, MESSAGE.
- tests/astopt/deep.want: for `x = A+A+...+A` (N terms; A = a or 1, N = 9995..9997) "ok" or
  the exception ast.parse(optimize=1) raises: the optimizer's own recursion limit
  ("during compilation") comes before the AST conversion's ("during ast construction"),
  which sees the folded tree.
"""
import ast
import glob
import os
import subprocess
import sys
import warnings

import _testinternalcapi

HERE = "tests/astopt"


def dump(path, level):
    with open(path, "rb") as f:
        return ast.dump(ast.parse(f.read(), path, optimize=level), include_attributes=True, indent=1)


def programs(path):
    progs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line[:1] in (" ", "\t") and progs:
                progs[-1] += line
            else:
                progs.append(line)
    return progs


def main():
    warnings.simplefilter("ignore")
    if sys.version_info[:2] != (3, 13):
        sys.exit("run me under CPython 3.13")
    for src in sorted(glob.glob(HERE + "/*.py")):
        if src.endswith("docstrings.py"):
            continue
        one, two = dump(src, 1), dump(src, 2)
        assert one == two, src
        with open(src[:-3] + ".dump", "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(one + "\n")
    subprocess.run([sys.executable, "tools/oracle_cleandoc.py"], check=True, stdout=subprocess.DEVNULL,
                   input="%s/docstrings.py\t%s/docstrings.cleandoc\n" % (HERE, HERE), text=True)
    with open(HERE + "/errors.want", "w", encoding="utf-8") as out:
        for prog in programs(HERE + "/errors.txt"):
            try:
                ast.parse(prog, "<err>", optimize=1)
                out.write("ok\n")
            except SyntaxError as e:
                out.write("%s\t%s\t%s\t%s\n" % (type(e).__name__, e.lineno, e.offset, e.msg))

    with open(HERE + "/deep.want", "w", encoding="utf-8") as out:
        for n in (9995, 9996, 9997):
            for atom in ("a", "1"):
                try:
                    ast.parse("x = " + "+".join([atom] * n) + "\n", optimize=1)
                    out.write("%d %s ok\n" % (n, atom))
                except RecursionError as e:
                    out.write("%d %s RecursionError: %s\n" % (n, atom, e))


main()
