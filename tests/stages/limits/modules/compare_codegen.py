"""compare_codegen.py - runs `cpyc codegen` and the oracle (tools/oracle_codegen.py) over many
files and counts those printed identically.

usage: PYTHONHASHSEED=0 python3.13 tools/compare_codegen.py CPYC [-O N] [--jobs N] [--code] FILE...|DIR
--code compares the finished code objects instead (tools/oracle_code.py, `cpyc codegen --code`).
Prints one line per differing file (its first differing line) and a summary.
"""
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_code  # noqa: E402
import oracle_codegen  # noqa: E402


def oracle(path, opt, code):
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            (oracle_code if code else oracle_codegen).main(['-O', str(opt), path])
        except Exception as e:  # a file the oracle rejects otherwise
            print('oracle error %s' % type(e).__name__)
    return buf.getvalue()


def one(args):
    cpyc, path, opt, code = args
    want = oracle(path, opt, code)
    try:
        got = subprocess.run([cpyc, 'codegen', '-O', str(opt)] + (['--code'] if code else []) + [path],
                             capture_output=True,
                             timeout=60).stdout.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        got = 'timeout\n'
    if want == got:
        return path, None
    w, g = want.splitlines(), got.splitlines()
    for i in range(max(len(w), len(g))):
        a = w[i] if i < len(w) else '<end>'
        b = g[i] if i < len(g) else '<end>'
        if a != b:
            ctx = [x for x in w[:i] if x.startswith(('unit', 'code'))]
            return path, '%s | line %d: want %r got %r' % (ctx[-1] if ctx else '', i + 1, a, b)
    return path, 'differ'


def main(argv):
    cpyc = argv.pop(0)
    opt, jobs, files, code = 0, os.cpu_count() or 2, [], False
    while argv:
        a = argv.pop(0)
        if a == '-O':
            opt = int(argv.pop(0))
        elif a == '--code':
            code = True
        elif a == '--jobs':
            jobs = int(argv.pop(0))
        elif os.path.isdir(a):
            for root, _, names in os.walk(a):
                files += [os.path.join(root, n) for n in names if n.endswith('.py')]
        else:
            files.append(a)
    files.sort()
    same = 0
    with ProcessPoolExecutor(jobs) as ex:
        for path, diff in ex.map(one, [(cpyc, f, opt, code) for f in files], chunksize=4):
            if diff is None:
                same += 1
            else:
                print('DIFF %s %s' % (path, diff))
    print('%d of %d files identical' % (same, len(files)))


if __name__ == '__main__':
    main(sys.argv[1:])
