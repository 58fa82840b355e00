"""The optimized AST as CPython 3.13 returns it, for `cpyc ast --optimize N`.

Usage: oracle_astopt.py N < lines of "SOURCE<TAB>OUTPUT". For each source writes
ast.dump(ast.parse(source_bytes, SOURCE, optimize=N), include_attributes=True, indent=1) plus
a newline to OUTPUT and prints "ok", or "error<TAB>TYPE<TAB>LINE<TAB>OFFSET<TAB>MESSAGE" when
parsing or optimizing raises SyntaxError (other failures: "skip<TAB>TYPE").
"""
import ast
import os
import sys
import warnings


def main():
    level = int(sys.argv[1])
    warnings.simplefilter("ignore")  # SyntaxWarnings and DeprecationWarnings (~True) of the corpus
    sys.setrecursionlimit(100000)
    for line in sys.stdin:
        src, out = line.rstrip("\n").split("\t")
        try:
            with open(src, "rb") as f:
                data = f.read()
            tree = ast.parse(data, src, optimize=level)
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
