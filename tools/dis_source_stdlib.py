"""Compares `cpyc dis FILE.py` with `python3.13 -m dis FILE.py` on .py files (default: the whole
3.13 stdlib that compiles), code-object addresses normalized; prints the figure and the first
differing line of the first few divergent files. The oracle is `python -m dis` itself, a fresh
process per file: which frozenset constants compile() rebuilds depends on what the process has
interned (the modules dis loads, and every identifier of what it compiled before), so a
process that compiled other files first lists some sets in another order.
usage: PYTHONHASHSEED=0 python3.13 tools/dis_source_stdlib.py --cpyc build/cpyc [-C] [-O]
       [--sample N] [--show K] [FILE.py ...]"""
import argparse
import hashlib
import multiprocessing.pool
import os
import re
import subprocess
import sys
import zlib

ADDRESS = re.compile(r" at 0x[0-9a-f]+, file ")


def oracle(args):
    """`python -m dis [-C] [-O] PATH` of this interpreter, normalized; None where it fails
    (SyntaxError and the like: nothing to compare). Listings are cached by interpreter,
    options, path and source bytes under $CPYC_ORACLE_CACHE/dis (default
    ~/.cache/cpyc-oracle/dis), compressed, since a fresh process per file is slow."""
    path, opts = args
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return path, None
    cache = os.environ.get("CPYC_ORACLE_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "cpyc-oracle")
    key = hashlib.sha256(("%s\0%s\0%s\0" % (sys.version, " ".join(opts), path)).encode() + data).hexdigest()
    cached = os.path.join(cache, "dis", key[:2], key)
    if os.path.exists(cached + ".none"):
        return path, None
    try:
        with open(cached + ".z", "rb") as f:
            return path, zlib.decompress(f.read()).decode("utf-8", "replace")
    except (OSError, zlib.error):
        pass
    r = subprocess.run([sys.executable, "-m", "dis"] + opts + [path], capture_output=True,
                       env=dict(os.environ, PYTHONHASHSEED="0"))
    text = None if r.returncode else ADDRESS.sub(" at 0x?, file ", r.stdout.decode("utf-8", "replace"))
    os.makedirs(os.path.dirname(cached), exist_ok=True)
    tmp = "%s.%d.tmp" % (cached, os.getpid())
    with open(tmp, "wb") as f:
        f.write(b"" if text is None else zlib.compress(text.encode("utf-8"), 1))
    os.replace(tmp, cached + (".none" if text is None else ".z"))
    return path, text


def cpyc_listings(cpyc, paths, opts):
    flags = (["-C"] if "-C" in opts else []) + (["--offsets"] if "-O" in opts else [])
    r = subprocess.run([cpyc, "dis"] + flags + ["--files-from", "-"],
                       input=("\n".join(paths) + "\n").encode(), capture_output=True)
    text = ADDRESS.sub(" at 0x?, file ", r.stdout.decode("utf-8", "replace"))
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
    with multiprocessing.pool.ThreadPool(2) as pool:
        want = dict(pool.map(oracle, [(p, opts) for p in paths]))
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
