"""Measures issue 4's bar: `cpyc dis` against each oracle CPython's dis.dis() on every pyc of
optimize level 0 in its installed stdlib's __pycache__ folders (site-packages excluded),
run with PYTHONHASHSEED=0; code-object addresses are normalized.

    python3 tools/dis_installed.py [--versions 3.8,...] [--options=-C] [--jobs 2]

Prints one line per version: pycs, identical, differing, and the first differences.
(tools/conformance.py's dis stages sample pycs compiled from the sources instead, for make test.)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ADDRESS = re.compile(r" at 0x[0-9a-f]+, file ")

sys.path.insert(0, HERE)
from conformance import split_listings  # noqa: E402


def installed_pycs(python, version):
    stdlib = subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        universal_newlines=True).strip()
    tag = ".cpython-%s.pyc" % version.replace(".", "")
    found = []
    for dirpath, dirnames, filenames in os.walk(stdlib):
        dirnames[:] = sorted(d for d in dirnames if d != "site-packages")
        if os.path.basename(dirpath) == "__pycache__":
            found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(tag))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpyc", default=os.path.join(os.path.dirname(HERE), "build", "cpyc"))
    ap.add_argument("--versions", default="3.8,3.9,3.10,3.11,3.12,3.13")
    ap.add_argument("--options", default="", help="e.g. -C or -O or '-C -O'")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    options = args.options.split()
    env = dict(os.environ, PYTHONHASHSEED="0")
    for version in args.versions.split(","):
        r = subprocess.run(["bash", os.path.join(HERE, "oracle_python.sh"), version],
                           stdout=subprocess.PIPE, universal_newlines=True)
        if r.returncode:
            print("%s: no oracle CPython installed; skipped" % version)
            continue
        python = r.stdout.strip()
        pycs = installed_pycs(python, version)
        want, got, procs = {}, {}, []
        with tempfile.TemporaryDirectory(prefix="cpyc-dis-") as tmp:
            for k in range(args.jobs):
                listfile = os.path.join(tmp, "list%d" % k)
                with open(listfile, "w") as f:
                    f.write("".join(p + "\n" for p in pycs[k::args.jobs]))
                procs.append((subprocess.Popen([python, os.path.join(HERE, "oracle_dis.py")] + options,
                                               stdin=open(listfile), stdout=subprocess.PIPE, env=env),
                              subprocess.Popen([args.cpyc, "dis"] + options + ["--files-from", listfile],
                                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)))
            for w, g in procs:
                want.update(split_listings(w.communicate()[0].decode("utf-8", "replace")))
                got.update(split_listings(ADDRESS.sub(" at 0x?, file ",
                                                      g.communicate()[0].decode("utf-8", "replace"))))
        diffs = [p for p in pycs if want.get(p) != got.get(p)]
        print("dis %s%s installed stdlib pycs (opt 0): %d, identical %d, differing %d"
              % (version, " " + args.options if options else "", len(pycs), len(pycs) - len(diffs), len(diffs)))
        for p in diffs[:args.show]:
            a, b = want.get(p, "").splitlines(), got.get(p, "").splitlines()
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            print("    %s: line %d: want %r, got %r" % (p, i + 1, a[i] if i < len(a) else "",
                                                      b[i] if i < len(b) else ""))
    return 0


sys.exit(main())
