"""Expressions of a corpus and the text CPython 3.13's compiler stores for each as an
annotation under `from __future__ import annotations` (its C unparser).

    python3.13 tools/oracle_unparse.py FILE... > CASES

Each output line: the expression's source segment, hex, a tab, the annotation string, hex.
Expressions that cannot stand in an annotation (yield, await, walrus, starred...) are left out.
"""
import ast
import sys
import warnings

SKIP = (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr, ast.Starred, ast.Slice)


def cases(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        text = src.decode("utf-8")
        tree = ast.parse(src)
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return
    seen = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.expr) or isinstance(node, SKIP):
            continue
        if any(isinstance(n, SKIP) or isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp,
                                                    ast.DictComp, ast.GeneratorExp)) and n is not node
               for n in ast.walk(node) if isinstance(n, SKIP)):
            continue
        seg = ast.get_source_segment(text, node)
        if not seg or seg in seen or "\n" in seg and seg.count("\n") > 20:
            continue
        seen.add(seg)
        prog = "from __future__ import annotations\nx: (%s)\n" % seg
        ns = {}
        try:
            exec(compile(prog, "<case>", "exec"), ns)
        except Exception:
            continue
        yield seg, ns["__annotations__"]["x"]


def main():
    warnings.simplefilter("ignore")
    for path in sys.argv[1:]:
        for seg, want in cases(path):
            print("%s\t%s" % (seg.encode("utf-8", "surrogatepass").hex(),
                              want.encode("utf-8", "surrogatepass").hex()))


main()
