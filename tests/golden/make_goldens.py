"""Compiles tests/golden/src/*.py with the running CPython into tests/golden/pyc/<version>/
and writes, beside each pyc, the facts the oracle knows about it (<name>.facts): one line
per code object and constant, in the text `cpyc inspect` prints for them.

    for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
        PYTHONHASHSEED=0 $(bash tools/oracle_python.sh $v) tests/golden/make_goldens.py
    done
"""
import os
import py_compile
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
MODES = [("", py_compile.PycInvalidationMode.TIMESTAMP),
         ("-checked", py_compile.PycInvalidationMode.CHECKED_HASH),
         ("-unchecked", py_compile.PycInvalidationMode.UNCHECKED_HASH)]


def facts(code, out):
    out.append("code %r line %d" % (code.co_name, code.co_firstlineno))
    if hasattr(code, "co_qualname"):
        out.append("qualname %r" % (code.co_qualname,))
    out.append("names %r" % (code.co_names,))
    for i, c in enumerate(code.co_consts):
        if hasattr(c, "co_code"):
            out.append("%d:" % i)
            facts(c, out)
        elif isinstance(c, frozenset):
            # Marshal (3.11+: sorted) and iteration order after loading differ; inspect shows
            # the former, which Python cannot print, so only the items are checked.
            out.append("%d: frozenset" % i)
        else:
            out.append("%d: %r" % (i, c))


def main():
    ver = "%d.%d" % sys.version_info[:2]
    dest = os.path.join(HERE, "pyc", ver)
    os.makedirs(dest, exist_ok=True)
    for name in sorted(os.listdir(SRC)):
        if not name.endswith(".py"):
            continue
        src = os.path.join(SRC, name)
        # A fixed mtime keeps regenerated goldens byte-stable.
        os.utime(src, (1700000000, 1700000000))
        stem = name[:-3]
        for suffix, mode in MODES:
            if suffix and stem != "functions":
                continue
            pyc = os.path.join(dest, stem + suffix + ".pyc")
            py_compile.compile(src, cfile=pyc, dfile="golden/" + name, doraise=True,
                               invalidation_mode=mode)
        import marshal
        with open(os.path.join(dest, stem + ".pyc"), "rb") as f:
            code = marshal.loads(f.read()[16:])
        lines = []
        facts(code, lines)
        with open(os.path.join(dest, stem + ".facts"), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")


main()
