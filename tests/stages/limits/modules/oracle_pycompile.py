"""The reference pycs: `py_compile.compile(SRC, cfile=OUT, dfile=SRC, optimize=N)` of each
file in a fresh CPython process (CPython's marshal follows reference counts, so a process
that compiled other files before may write other bytes: uv #10619, cpython #129724).

    python tools/oracle_pycompile.py PYTHON JOBS < "SRC<TAB>OUT<TAB>OPT" lines

Prints one line per input, in order: "ok" or "error TYPE: MESSAGE". Results are cached by
interpreter, optimize level, path and source bytes under $CPYC_ORACLE_CACHE (default
~/.cache/cpyc-oracle), since a fresh process per file is slow.
"""
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys

SNIPPET = r"""
import py_compile, sys, warnings
warnings.simplefilter("ignore")
src, out, opt = sys.argv[1], sys.argv[2], int(sys.argv[3])
try:
    py_compile.compile(src, cfile=out, dfile=src, doraise=True, optimize=opt)
    print("ok")
except py_compile.PyCompileError as e:
    print("error %s: %s" % (e.exc_type_name, str(e.exc_value).replace("\n", " ")))
except Exception as e:
    print("error %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
"""


def main():
    python, jobs = sys.argv[1], int(sys.argv[2])
    cache = os.environ.get("CPYC_ORACLE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "cpyc-oracle")
    ident = subprocess.check_output([python, "-c", "import sys; print(sys.version)"]).decode().strip()
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("SOURCE_DATE_EPOCH", None)

    def one(line):
        src, out, opt = line.split("\t")
        try:
            with open(src, "rb") as f:
                data = f.read()
            st = os.stat(src)
        except OSError as e:
            return "error OSError: %s" % e
        key = hashlib.sha256(("%s\0%s\0%s\0%d\0" % (ident, opt, src, int(st.st_mtime))).encode() + data).hexdigest()
        cached = os.path.join(cache, key[:2], key)
        if os.path.exists(cached + ".status"):
            with open(cached + ".status") as f:
                status = f.read().strip()
            if status == "ok":
                os.makedirs(os.path.dirname(out), exist_ok=True)
                shutil.copyfile(cached + ".pyc", out)
            return status
        r = subprocess.run([python, "-c", SNIPPET, src, out, opt], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env)
        status = r.stdout.decode("utf-8", "replace").strip() or "error oracle: %s" % r.stderr.decode()[-200:]
        if r.returncode != 0:
            status = "error oracle failed (exit %d): %s" % (r.returncode, r.stderr.decode()[-200:])
            return status
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        if status == "ok":
            shutil.copyfile(out, cached + ".pyc")
        with open(cached + ".status", "w") as f:
            f.write(status + "\n")
        return status

    lines = [l.rstrip("\n") for l in sys.stdin if l.strip()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for status in ex.map(one, lines):
            print(status)


main()
