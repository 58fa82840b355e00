"""Compares `cpyc cfg-test` with tools/oracle_cfg.py, code unit by code unit, over files:

    python3.13 tools/cfg_compare.py CPYC [-j N] [--list FILE] [--show N] PY_FILES...

Prints how many code units' optimized sequences (optimize_cfg) and final sequences (the
real code objects) are identical, and the first differing units. Exits 1 when a unit whose
constants are all known differs. Run with PYTHONHASHSEED=0."""
import multiprocessing
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_cfg  # noqa: E402

CPYC = None


def split_units(text):
    units, cur = {}, None
    for line in text.splitlines():
        if line.startswith("unit "):
            cur = line[5:]
            units[cur] = []
        elif cur is not None:
            units[cur].append(line)
    return units


def one(path):
    try:
        with open(path, "rb") as f:
            src = f.read()
        units = oracle_cfg.units_of(src, path)
        texts = {k: "\n".join(fn(units)) + "\n" for k, fn in
                 (("codegen", oracle_cfg.codegen_text), ("opt", oracle_cfg.opt_text),
                  ("final", oracle_cfg.final_text))}
    except Exception as e:   # files CPython does not compile
        return path, None, str(e)
    approx = {u.path for u in units if u.approx}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(texts["codegen"])
        name = f.name
    res = {}
    try:
        for mode, args in (("opt", []), ("final", ["--final"])):
            p = subprocess.run([CPYC, "cfg-test"] + args + [name], capture_output=True, text=True)
            want, got = split_units(texts[mode]), split_units(p.stdout)
            res[mode] = [(u, want[u] == got.get(u)) for u in want]
            res[mode + "_diff"] = [(u, want[u], got.get(u)) for u in want if want[u] != got.get(u)]
    finally:
        os.unlink(name)
    return path, res, approx


def main():
    global CPYC
    args = sys.argv[1:]
    CPYC = os.path.abspath(args.pop(0))
    jobs, show, files = 2, 3, []
    while args:
        a = args.pop(0)
        if a == "-j": jobs = int(args.pop(0))
        elif a == "--show": show = int(args.pop(0))
        elif a == "--list": files += open(args.pop(0)).read().split()
        else: files.append(a)
    totals = {"opt": [0, 0], "final": [0, 0]}
    exact = {"opt": [0, 0], "final": [0, 0]}
    nfiles = skipped = approx_units = 0
    fails = {"opt": [], "final": []}
    with multiprocessing.Pool(jobs) as pool:
        for path, res, approx in pool.imap_unordered(one, files, chunksize=4):
            if res is None:
                skipped += 1
                continue
            nfiles += 1
            approx_units += len(approx)
            for mode in ("opt", "final"):
                for u, ok in res[mode]:
                    totals[mode][1] += 1
                    totals[mode][0] += ok
                    exact[mode][1] += u not in approx
                    exact[mode][0] += ok and u not in approx
                for u, want, got in res[mode + "_diff"]:
                    if u not in approx:
                        fails[mode].append((path, u, want, got))
    for mode in ("opt", "final"):
        ok, n = totals[mode]
        print("%s: %d of %d code units identical (%d files); %d of %d with all constants known"
              % (mode, ok, n, nfiles, exact[mode][0], exact[mode][1]))
    print("skipped files: %d; nested units with constants only partly recovered: %d"
          % (skipped, approx_units))
    for mode in ("opt", "final"):
        for path, u, want, got in fails[mode][:show]:
            print("--- %s %s unit %s" % (mode, path, u))
            got = got or ["<missing>"]
            for k in range(max(len(want), len(got))):
                w = want[k] if k < len(want) else "<end>"
                g = got[k] if k < len(got) else "<end>"
                if w != g:
                    print("  line %d: want %s\n           got  %s" % (k, w, g))
                    break
    # units whose constants could not all be recovered are reported, not failed
    return 0 if all(exact[m][0] == exact[m][1] for m in exact) else 1


if __name__ == "__main__":
    sys.exit(main())
