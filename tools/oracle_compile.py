"""Compiles sources the way py_compile does, with the running CPython (the oracle).

Reads "SOURCE<TAB>OUTPUT" lines on stdin; writes each timestamp-based pyc (optimize 0,
co_filename = SOURCE) and prints one line per input: "ok" or "error TYPE: MESSAGE".
Run with PYTHONHASHSEED=0 so that set ordering is reproducible.
"""
import importlib._bootstrap_external as bx
import os
import sys
import warnings


def compile_one(src, out):
    with open(src, "rb") as f:
        data = f.read()
    code = compile(data, src, "exec", dont_inherit=True, optimize=0)
    st = os.stat(src)
    pyc = bx._code_to_timestamp_pyc(code, st.st_mtime, st.st_size)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(pyc)


def main():
    warnings.simplefilter("ignore")  # SyntaxWarnings of the corpus are not ours to show
    for line in sys.stdin:
        src, out = line.rstrip("\n").split("\t")
        try:
            compile_one(src, out)
            print("ok")
        except Exception as e:  # SyntaxError, ValueError (null bytes), RecursionError, ...
            msg = str(e).replace("\n", " ")
            print("error %s: %s" % (type(e).__name__, msg))
        sys.stdout.flush()


main()
