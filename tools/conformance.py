"""Conformance harness: compiles a corpus with each installed oracle CPython and with cpyc,
and compares them file by file.

For each version and corpus it prints: files, compiled by CPython, identical, differing,
rejected by cpyc, and for each difference the first diverging code object and field.
Corpora: "stdlib" (each version's own standard library including test/, site-packages
excluded) or any directory given with --corpus.

The committed baseline (tests/conformance/baseline.tsv) holds the identical counts; with
--check the run fails when a count drops below it, and --update raises it.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]
BASELINE = os.path.join(ROOT, "tests", "conformance", "baseline.tsv")


def oracle(version):
    r = subprocess.run(["bash", os.path.join(HERE, "oracle_python.sh"), version],
                       stdout=subprocess.PIPE, universal_newlines=True)
    return r.stdout.strip() if r.returncode == 0 else None


def stdlib_dir(python):
    return subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        universal_newlines=True).strip()


def sources(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "site-packages" and d != "__pycache__")
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return found


def cpyc_can_compile(cpyc, version):
    out = subprocess.check_output([cpyc, "targets"], universal_newlines=True)
    for line in out.splitlines():
        if line.split()[:1] == [version]:
            return "compile: yes" in line
    return False


class OracleFailed(Exception):
    """An oracle script exited non-zero or did not answer for every input: nothing to compare."""


def run_chunks(argv, lines, env, jobs):
    """Runs one process per chunk of input lines; returns their output lines in order. Raises
    OracleFailed when a process fails or answers fewer lines than it was given."""
    chunks = [lines[i::jobs] for i in range(jobs)]
    procs = []
    for chunk in chunks:
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                             universal_newlines=True, encoding="utf-8", errors="replace")
        procs.append(p)
    outs = []
    for p, chunk in zip(procs, chunks):
        out, _ = p.communicate("".join(l + "\n" for l in chunk))
        outs.append(out.splitlines())
        if p.returncode != 0 or len(outs[-1]) < len(chunk):
            raise OracleFailed("%s exited %d after %d of %d answers" % (
                " ".join(os.path.basename(a) for a in argv), p.returncode, len(outs[-1]), len(chunk)))
    result = [None] * len(lines)
    for j, out in enumerate(outs):
        for k, line in enumerate(out):
            result[j + k * jobs] = line
    return result


def compare_pyc_at(optimize):
    """A stage comparing `cpyc compile --optimize N` with py_compile.compile(optimize=N) of
    each file in a fresh oracle process (tools/oracle_pycompile.py, cached)."""
    def stage(args, version, python, corpus_name, files, tmp):
        if not cpyc_can_compile(args.cpyc, version):
            return {"files": len(files), "compiled": 0, "identical": 0, "differing": 0, "rejected": 0,
                    "diffs": [], "note": "cpyc has no code generator for %s yet" % version}
        pairs = [(src, os.path.join(tmp, "oracle", "%d.pyc" % i)) for i, src in enumerate(files)]
        r = subprocess.run([python, os.path.join(HERE, "oracle_pycompile.py"), python, str(args.jobs)],
                           input="".join("%s\t%s\t%d\n" % (s, o, optimize) for s, o in pairs),
                           stdout=subprocess.PIPE, universal_newlines=True)
        status = r.stdout.splitlines()
        if r.returncode != 0 or len(status) != len(pairs) or any(s.startswith("error oracle") for s in status):
            raise RuntimeError("the oracle failed: tools/oracle_pycompile.py exited %d" % r.returncode)
        compiled = [(i, src, out) for i, ((src, out), st) in enumerate(zip(pairs, status)) if st == "ok"]
        row = {"files": len(files), "compiled": len(compiled), "identical": 0, "differing": 0,
               "rejected": 0, "diffs": [], "note": "", "classes": {}}
        got = {i: os.path.join(tmp, "cpyc", "%d.pyc" % i) for i, _, _ in compiled}
        lines = ["%s\t%s" % (src, got[i]) for i, src, _ in compiled]
        res = run_chunks([args.cpyc, "compile", "--target", version, "--optimize", str(optimize), "--batch"],
                         lines, os.environ, args.jobs)
        for (i, src, want), st in zip(compiled, res):
            rel = os.path.relpath(src, args.corpus_root or "/")
            if st != "ok":
                row["rejected"] += 1
                cls = "rejected: " + (st or "crashed")[6:][:60]
                row["classes"][cls] = row["classes"].get(cls, 0) + 1
                row["diffs"].append("%s: %s" % (rel, st))
                continue
            with open(want, "rb") as f1, open(got[i], "rb") as f2:
                same = f1.read() == f2.read()
            if same:
                row["identical"] += 1
                continue
            row["differing"] += 1
            c = subprocess.run([args.cpyc, "cmp", want, got[i]], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout.strip()
            cls = c.split(":")[-1].strip() if ":" in c else c
            row["classes"][cls] = row["classes"].get(cls, 0) + 1
            row["diffs"].append("%s: %s" % (rel, c))
        return row
    return stage


compare_pyc = compare_pyc_at(0)


def compare_tokens(args, version, python, corpus_name, files, tmp):
    """`cpyc tokenize FILE` against `python -m tokenize FILE` (stdout and stderr), 3.13 only."""
    row = {"files": len(files), "compiled": 0, "identical": 0, "differing": 0, "rejected": 0,
           "diffs": [], "note": ""}
    if version != "3.13":
        row["note"] = "the tokens stage compares with CPython 3.13 only"
        return row
    pairs = [(src, os.path.join(tmp, "%d.tok" % i)) for i, src in enumerate(files)]
    status = run_chunks([python, os.path.join(HERE, "oracle_tokens.py")],
                        ["%s\t%s" % p for p in pairs], dict(os.environ), args.jobs)
    row["compiled"] = sum(1 for st in status if st == "ok")
    for (src, want), st in zip(pairs, status):
        r = subprocess.run([args.cpyc, "tokenize", src], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(want, "rb") as f:
            want_out = f.read()
        with open(want + ".err", "rb") as f:
            want_err = f.read()
        if r.stdout == want_out and r.stderr == want_err:
            row["identical"] += 1
        else:
            row["differing"] += 1
            got, exp = r.stdout.splitlines() + r.stderr.splitlines(), want_out.splitlines() + want_err.splitlines()
            k = next((i for i, (a, b) in enumerate(zip(got, exp)) if a != b), min(len(got), len(exp)))
            line = exp[k].decode("utf-8", "replace") if k < len(exp) else "(end)"
            row["diffs"].append("%s: line %d: want %s" % (os.path.relpath(src, args.corpus_root or "/"), k + 1, line))
    return row


def cpyc_ast_one(cpyc, version, src):
    """Runs `cpyc ast`; returns (exit code, stdout bytes, last stderr lines)."""
    r = subprocess.run([cpyc, "ast", "--target", version, src], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def error_type_line(stderr):
    """(type, line) from the traceback end `cpyc ast` prints."""
    line, etype = None, None
    for l in stderr.splitlines():
        if l.startswith('  File "') and ", line " in l:
            line = l.rsplit(", line ", 1)[1].strip()
        elif ": " in l and not l.startswith(" "):
            etype = l.split(":", 1)[0]
    return etype, line


def compare_ast(args, version, python, corpus_name, files, tmp):
    """Dumps of the AST (files CPython parses) and syntax errors (type and line) of the rest."""
    from concurrent.futures import ThreadPoolExecutor
    if version != "3.13":
        return {"files": len(files), "compiled": 0, "identical": 0, "differing": 0, "rejected": 0,
                "diffs": [], "note": "cpyc ast follows 3.13's AST only"}
    env = dict(os.environ, PYTHONHASHSEED="0")
    pairs = [(src, os.path.join(tmp, "oracle", "%d.txt" % i)) for i, src in enumerate(files)]
    status = run_chunks([python, os.path.join(HERE, "oracle_ast.py")],
                        ["%s\t%s" % p for p in pairs], env, args.jobs)
    row = {"files": len(files), "compiled": 0, "identical": 0, "differing": 0,
           "rejected": 0, "diffs": [], "note": ""}
    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        results = list(ex.map(lambda p: cpyc_ast_one(args.cpyc, version, p[0]), pairs))
    dumps_same = errors = errors_same = 0
    for (src, want), st, (rc, out, err) in zip(pairs, status, results):
        rel = os.path.relpath(src, args.corpus_root or "/")
        if st is None or st.startswith("skip"):
            continue
        if st == "ok":
            row["compiled"] += 1
            if rc != 0:
                row["rejected"] += 1
                last = err.strip().splitlines()[-1:] or ["?"]
                row["diffs"].append("%s: rejected: %s" % (rel, last[0]))
                continue
            with open(want, "rb") as f:
                expected = f.read()
            if expected == out:
                row["identical"] += 1
                dumps_same += 1
            else:
                row["differing"] += 1
                a, b = expected.splitlines(), out.splitlines()
                k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                row["diffs"].append("%s: line %d: want %r got %r" % (
                    rel, k + 1, a[k].decode("utf-8", "replace") if k < len(a) else "<end>",
                    b[k].decode("utf-8", "replace") if k < len(b) else "<end>"))
            continue
        _, etype, eline, _, msg = st.split("\t", 4)
        errors += 1
        got_type, got_line = error_type_line(err)
        if rc == 1 and got_type == etype and got_line == eline:
            errors_same += 1
            row["identical"] += 1
        else:
            row["diffs"].append("%s: CPython %s line %s (%s); cpyc %s" % (
                rel, etype, eline, msg, "accepted" if rc == 0 else "%s line %s" % (got_type, got_line)))
    row["note"] = "dumps identical %d of %d; rejected as CPython %d of %d" % (
        dumps_same, row["compiled"], errors_same, errors)
    return row


def split_listings(text):
    """Splits `cpyc dis`/oracle_dis.py output into {path: listing} at its "==> PATH <==" lines."""
    listings, path, lines = {}, None, []
    for line in text.splitlines(True):
        if line.startswith("==> ") and line.endswith(" <==\n"):
            if path is not None:
                listings[path] = "".join(lines)
            path, lines = line[4:-5], []
        else:
            lines.append(line)
    if path is not None:
        listings[path] = "".join(lines)
    return listings


DIS_SAMPLE = 4   # the dis stage lists every 4th file of the corpus (the oracle's dis is slow)


def compare_dis(args, version, python, corpus_name, files, tmp, options=(), first=0, sample=DIS_SAMPLE):
    """`cpyc dis` against the oracle's dis.dis() on pycs the oracle compiled from every
    DIS_SAMPLE-th file of the corpus (addresses of code objects aside); the variants pass
    options (-C, -O) to both and take another sample (every sample-th file from first)."""
    import re
    env = dict(os.environ, PYTHONHASHSEED="0")
    files = files[first::sample]
    pairs = [(src, os.path.join(tmp, "oracle", "%d.pyc" % i)) for i, src in enumerate(files)]
    status = run_chunks([python, os.path.join(HERE, "oracle_compile.py")],
                        ["%s\t%s" % p for p in pairs], env, args.jobs)
    compiled = [(src, out) for (src, out), st in zip(pairs, status) if st == "ok"]
    row = {"files": len(files), "compiled": len(compiled), "identical": 0, "differing": 0,
           "rejected": 0, "diffs": [], "note": " ".join(options + ("every %dth file" % sample,))}
    chunks = [compiled[i::args.jobs] for i in range(args.jobs)]
    procs = []
    for k, chunk in enumerate(chunks):
        listfile = os.path.join(tmp, "list%d" % k)
        with open(listfile, "w") as f:
            f.write("".join(out + "\n" for _, out in chunk))
        want = subprocess.Popen([python, os.path.join(HERE, "oracle_dis.py")] + list(options),
                                stdin=open(listfile), stdout=subprocess.PIPE, env=env)
        got = subprocess.Popen([args.cpyc, "dis"] + list(options) + ["--files-from", listfile],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        procs.append((want, got))
    address = re.compile(r" at 0x[0-9a-f]+, file ")
    want, got = {}, {}
    for w, g in procs:
        want.update(split_listings(w.communicate()[0].decode("utf-8", "replace")))
        got.update(split_listings(address.sub(" at 0x?, file ", g.communicate()[0].decode("utf-8", "replace"))))
        if w.returncode != 0:
            raise OracleFailed("oracle_dis.py exited %d" % w.returncode)
    for src, out in compiled:
        if out not in want:
            raise OracleFailed("oracle_dis.py listed no %s" % out)
        if want.get(out) == got.get(out):
            row["identical"] += 1
            continue
        row["differing"] += 1
        a, b = want.get(out, "").splitlines(), got.get(out, "").splitlines()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        row["diffs"].append("%s: line %d: want %r, got %r" % (
            os.path.relpath(src, args.corpus_root or "/"), first + 1,
            a[first].strip() if first < len(a) else "", b[first].strip() if first < len(b) else ""))
    return row


DIS_VARIANT_SAMPLE = 8   # the dis-C and dis-O stages each list every 8th file, samples apart


def compare_dis_variant(option, since, first):
    """A stage comparing `cpyc dis OPTION` from version `since` on (earlier versions' dis lack
    the parameter: tests/check_dis.sh checks that -C changes nothing there)."""
    def stage(args, version, python, corpus_name, files, tmp):
        if tuple(map(int, version.split("."))) < since:
            return {"files": 0, "compiled": 0, "identical": 0, "differing": 0, "rejected": 0,
                    "diffs": [], "note": "dis %s is %d.%d+" % (option, since[0], since[1])}
        return compare_dis(args, version, python, corpus_name, files, tmp, (option,), first,
                           DIS_VARIANT_SAMPLE)
    return stage


STAGES = {"pyc": compare_pyc, "pyc-O1": compare_pyc_at(1), "pyc-O2": compare_pyc_at(2), "tokens": compare_tokens, "ast": compare_ast, "dis": compare_dis,
          "dis-C": compare_dis_variant("-C", (3, 11), 1),
          "dis-O": compare_dis_variant("-O", (3, 13), 3)}


def read_baseline(path):
    base = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    stage, version, corpus, identical = line.split()
                    base[(stage, version, corpus)] = int(identical)
    return base


def write_baseline(path, base):
    with open(path, "w") as f:
        f.write("# stage\tversion\tcorpus\tidentical  (raised by tools/conformance.py --update)\n")
        for (stage, version, corpus), n in sorted(base.items()):
            f.write("%s\t%s\t%s\t%d\n" % (stage, version, corpus, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpyc", default=os.path.join(ROOT, "build", "cpyc"))
    ap.add_argument("--versions", default=",".join(VERSIONS))
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--corpus", help="a directory of sources instead of each version's stdlib")
    ap.add_argument("--corpus-name", help="the corpus's name in the rows (default: its directory's name)")
    ap.add_argument("--sample", type=int, default=1, help="every N-th source of the corpus only")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=20, help="differences listed per row")
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--check", action="store_true", help="fail when a count drops below the baseline")
    ap.add_argument("--update", action="store_true", help="raise the baseline to the counts measured")
    args = ap.parse_args()
    args.corpus_root = None
    base = read_baseline(args.baseline)
    measured = {}
    failed = False
    skipped = {}   # baseline rows not measured: key -> why
    reported = set()   # rows already named by a FAIL line
    corpus_wanted = (args.corpus_name or os.path.basename(os.path.abspath(args.corpus))) if args.corpus else "stdlib"

    def status(word, key, text):
        """With --check, one "ok"/"FAIL"/"skip" line per baseline row (tests/run.sh counts them)."""
        if args.check:
            print("%-4s conformance %s %s %s: %s" % ((word,) + key + (text,)))

    for version in args.versions.split(","):
        python = oracle(version)
        if not python:
            print("%s: no oracle CPython installed; skipped" % version)
            for key in base:
                if key[1] == version:
                    skipped[key] = "no oracle CPython %s installed" % version
            continue
        try:
            if args.corpus:
                corpus_name, root = corpus_wanted, os.path.abspath(args.corpus)
            else:
                corpus_name, root = "stdlib", stdlib_dir(python)
        except (OSError, subprocess.CalledProcessError) as e:
            print("FAIL conformance %s: the oracle %s does not run: %s" % (version, python, e))
            failed = True
            reported.update(key for key in base if key[1] == version)
            continue
        args.corpus_root = root
        files = sources(root)[::args.sample]
        for stage in args.stages.split(","):
            key = (stage, version, corpus_name)
            with tempfile.TemporaryDirectory(prefix="cpyc-conf-") as tmp:
                try:
                    row = STAGES[stage](args, version, python, corpus_name, files, tmp)
                except OracleFailed as e:
                    print("FAIL conformance %s %s %s: the oracle failed: %s" % (key + (e,)))
                    failed = True
                    reported.add(key)
                    continue
            print("%s %s %s: files %d, compiled by CPython %d, identical %d, differing %d, "
                  "rejected by cpyc %d%s" % (stage, version, corpus_name, row["files"], row["compiled"],
                                             row["identical"], row["differing"], row["rejected"],
                                             " (%s)" % row["note"] if row["note"] else ""))
            for cls, n in sorted(row.get("classes", {}).items(), key=lambda kv: -kv[1])[:12]:
                print("    class %5d  %s" % (n, cls))
            for d in row["diffs"][:args.show]:
                print("    " + d)
            if len(row["diffs"]) > args.show:
                print("    ... %d more" % (len(row["diffs"]) - args.show))
            measured[key] = row["identical"]
            if key not in base:
                continue
            if row["identical"] < base[key]:
                status("FAIL", key, "identical dropped from %d to %d" % (base[key], row["identical"]))
                failed = failed or args.check
            else:
                status("ok", key, "identical %d (baseline %d)" % (row["identical"], base[key]))
    if args.check:
        stages = args.stages.split(",")
        for key in sorted(base):
            if (key not in measured and key not in reported and key[0] in stages
                    and key[1] in args.versions.split(",") and key[2] == corpus_wanted):
                status("skip", key, "not measured (%s)" % skipped.get(key, "not run"))
    if args.update:
        for key, n in measured.items():
            if n > base.get(key, -1):
                base[key] = n
        write_baseline(args.baseline, base)
        print("baseline written: %s" % args.baseline)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
