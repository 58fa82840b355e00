"""The docstrings of sources as CPython 3.13's compiler cleans them, for `cpyc ast --cleandoc`.

Reads "SOURCE<TAB>OUTPUT" lines on stdin; for each source writes to OUTPUT one line per
docstring (module, class and function bodies, in source order):
repr(_testinternalcapi.compiler_cleandoc(doc)), or "error" where the compiler's UTF-8
encoding fails; prints "ok" (or "skip<TAB>TYPE" when the source does not parse).
"""
import ast
import os
import sys
import warnings

import _testinternalcapi

BODIES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def docs(node, out):
    if isinstance(node, BODIES) and node.body:
        first = node.body[0]
        if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and type(first.value.value) is str):
            try:
                out.append(repr(_testinternalcapi.compiler_cleandoc(first.value.value)))
            except UnicodeEncodeError:
                out.append("error")
    for child in ast.iter_child_nodes(node):
        docs(child, out)


def main():
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(100000)
    for line in sys.stdin:
        src, dst = line.rstrip("\n").split("\t")
        try:
            with open(src, "rb") as f:
                tree = ast.parse(f.read(), src)
            out = []
            docs(tree, out)
            os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
            with open(dst, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write("".join(s + "\n" for s in out))
            print("ok")
        except Exception as e:
            print("skip\t%s" % type(e).__name__)
        sys.stdout.flush()


main()
