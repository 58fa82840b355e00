"""Compares `cpyc dis FILE.py` with `python3.13 -m dis FILE.py` on .py files (default: the whole
3.13 stdlib that compiles), code-object addresses normalized; prints the figure and the first
differing line of the first few divergent files. The oracle side runs dis in-process, as
`python -m dis` does (compile(source_bytes, path, "exec") then dis.dis), in worker processes.
usage: PYTHONHASHSEED=0 python3.13 tools/dis_source_stdlib.py --cpyc build/cpyc [-C] [-O]
       [--sample N] [--show K] [FILE.py ...]"""
import argparse
import dis
import io
import multiprocessing
import os
import re
import subprocess
import sys

ADDRESS = re.compile(r" at 0x[0-9a-f]+, file ")


def oracle(args):
    path, opts = args
    out = io.StringIO()
    try:
        with open(path, "rb") as f:
            code = compile(f.read(), path, "exec")
    except (SyntaxError, ValueError, UnicodeError):
        return path, None
    dis.dis(code, file=out, show_caches="-C" in opts, show_offsets="-O" in opts)
    return path, ADDRESS.sub(" at 0x?, file ", out.getvalue())


def cpyc_listings(cpyc, paths, opts):
    flags = (["-C"] if "-C" in opts else []) + (["--offsets"] if "-O" in opts else [])
    r = subprocess.run([cpyc, "dis"] + flags + ["--files-from", "-"], input="\n".join(paths) + "\n",
                       capture_output=True, text=True, errors="replace")
    text = ADDRESS.sub(" at 0x?, file ", r.stdout)
    got = {}
    parts = re.split(r"(?m)^==> (.*) <==\n", text)
    for i in range(1, len(parts), 2):
        body = parts[i + 1]
        if i + 2 < len(parts) and body.endswith("\n\n"):
            body = body[:-1]          # the blank line separating listings
        got[parts[i]] = body
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpyc", default="build/cpyc")
    ap.add_argument("-C", action="store_true")
    ap.add_argument("-O", action="store_true")
    ap.add_argument("--sample", type=int, default=0, help="every Nth file only")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        sys.exit("run with PYTHONHASHSEED=0")
    opts = (["-C"] if a.C else []) + (["-O"] if a.O else [])
    paths = a.files
    if not paths:
        lib = os.path.dirname(os.__file__)
        for root, dirs, files in os.walk(lib):
            dirs[:] = sorted(d for d in dirs if d != "site-packages" and d != "__pycache__")
            paths += [os.path.join(root, f) for f in sorted(files) if f.endswith(".py")]
    if a.sample > 1:
        paths = paths[::a.sample]
    with multiprocessing.Pool(2) as pool:
        want = dict(pool.map(oracle, [(p, opts) for p in paths], chunksize=16))
    paths = [p for p in paths if want[p] is not None]
    got = cpyc_listings(a.cpyc, paths, opts)
    bad = []
    for p in paths:
        if got.get(p) != want[p]:
            bad.append(p)
    for p in bad[:a.show]:
        w = want[p].splitlines()
        g = (got.get(p) or "").splitlines()
        n = next((i for i in range(max(len(w), len(g))) if i >= len(w) or i >= len(g) or w[i] != g[i]), 0)
        print("DIFF %s line %d\n  oracle: %s\n  cpyc:   %s" % (p, n + 1, w[n] if n < len(w) else "<end>",
                                                            g[n] if n < len(g) else "<end>"))
    print("dis %s: identical on %d of %d files" % (" ".join(opts) or "(plain)", len(paths) - len(bad), len(paths)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
