"""Parses sources with the running CPython (the oracle) the way `cpyc ast [--optimize N]` must.

Usage: oracle_ast.py [N] < lines of "SOURCE<TAB>OUTPUT". For each source writes
ast.dump(ast.parse(source_bytes, SOURCE), include_attributes=True, indent=1) plus a newline
to OUTPUT - with N, ast.parse(..., optimize=N), the optimized AST of 3.13 - and prints "ok",
or prints "error<TAB>TYPE<TAB>LINE<TAB>OFFSET<TAB>MESSAGE" when parsing (or optimizing)
raises SyntaxError (other failures: "skip<TAB>TYPE").
"""
import ast
import os
import sys
import warnings


def main():
    # optimize= exists from 3.13 on: without N the call is the same for every version
    opt = {"optimize": int(sys.argv[1])} if len(sys.argv) > 1 else {}
    warnings.simplefilter("ignore")  # SyntaxWarnings (and ~True's DeprecationWarning) are not ours
    sys.setrecursionlimit(100000)
    for line in sys.stdin:
        src, out = line.rstrip("\n").split("\t")
        try:
            with open(src, "rb") as f:
                data = f.read()
            tree = ast.parse(data, src, **opt)
            text = ast.dump(tree, include_attributes=True, indent=1)
            os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
            with open(out, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(text + "\n")
            print("ok")
        except SyntaxError as e:
            msg = str(e.msg).replace("\n", " ").replace("\t", " ")
            print("error\t%s\t%s\t%s\t%s" % (type(e).__name__, e.lineno, e.offset, msg))
        except Exception as e:  # ValueError (null bytes), RecursionError, MemoryError
            print("skip\t%s" % type(e).__name__)
        sys.stdout.flush()


main()
