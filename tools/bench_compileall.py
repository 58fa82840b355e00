"""bench_compileall.py - `make bench`: python3.13 -m compileall against cpyc compileall on a copy of
the 3.13 stdlib (without site-packages), alternating on the same path; then cpyc -j 1 against -j 2.
Reports the median wall and CPU times (user+system; the CPU ratio is the steadier one on a loaded
machine), the ratios, MB/s, files/s, peak RSS, cpyc's per-step times (CPYC_STATS), the pipeline's
per-stage CPU (cpyc compile --bench --stages over the same files), system calls per file (strace,
when installed) and how many pycs are byte-identical; appends the table to
docs/bench_compileall.log with the date and commit.
Run with CPython 3.13: python3.13 tools/bench_compileall.py CPYC [RUNS]"""
import hashlib, os, re, shutil, statistics, subprocess, sys, sysconfig, tempfile, time

cpyc = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
stdlib = sysconfig.get_paths()['stdlib']
scratch = tempfile.mkdtemp(prefix='cpyc-bench-')
tree = os.path.join(scratch, 'lib')
shutil.copytree(stdlib, tree, symlinks=True,
                ignore=lambda d, names: [n for n in names if n in ('site-packages', '__pycache__')])
sources = [os.path.join(d, n) for d, _, ns in os.walk(tree) for n in ns if n.endswith('.py')]
mb = sum(os.path.getsize(p) for p in sources) / 1e6


CPU, SYS = {}, {}


def run(cmd, env=None):
    """(wall seconds, peak RSS in MB, stderr) of one run; its CPU seconds (user+system) go to
    CPU[the command line], the system part to SYS."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    CPU.setdefault(' '.join(cmd), []).append(usage.ru_utime + usage.ru_stime)
    SYS.setdefault(' '.join(cmd), []).append(usage.ru_stime)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, err.decode(errors='replace')


def pycs():
    out = {}
    for d, _, ns in os.walk(tree):
        for n in ns:
            if n.endswith('.pyc'):
                with open(os.path.join(d, n), 'rb') as f:
                    out[os.path.relpath(os.path.join(d, n), tree)] = hashlib.sha1(f.read()).digest()
    return out


py_cmd = [sys.executable, '-m', 'compileall', '-q', '-f', tree]
cp_cmd = [cpyc, 'compileall', '-q', '-f', tree]
py_t, cp_t, py_rss, cp_rss = [], [], 0, 0
for i in range(runs):
    t, rss, _ = run(py_cmd)
    py_t.append(t); py_rss = max(py_rss, rss)
    if i == runs - 1:
        theirs = pycs()
    if i == runs - 1:   # the last cpyc run starts from no pycs: what it writes is its own
        for d, dirs, _ in os.walk(tree):
            if '__pycache__' in dirs:
                shutil.rmtree(os.path.join(d, '__pycache__'))
    t, rss, _ = run(cp_cmd + ['-j', '1'])
    cp_t.append(t); cp_rss = max(cp_rss, rss)
ours = pycs()
same = sum(1 for k, v in theirs.items() if ours.get(k) == v)
j1, j2 = [], []
for i in range(runs):
    j1.append(run(cp_cmd + ['-j', '1'])[0])
    j2.append(run(cp_cmd + ['-j', '2'])[0])
_, _, stats = run(cp_cmd + ['-j', '1'], env=dict(os.environ, CPYC_STATS='1'))
stats = (re.findall(r'cpyc-stats: .*', stats) or ['(no stats)'])[-1]
p = subprocess.run([cpyc, 'compile', '--bench', '--stages'], input='\n'.join(sorted(sources)) + '\n',
                   capture_output=True, text=True)
stages = ', '.join('%s %s' % m for m in re.findall(r'(?m)^\s+(\S.*?)\s+([\d.]+) s ', p.stdout)) or '(none)'
calls = 'strace not installed'
if shutil.which('strace'):
    p = subprocess.run(['strace', '-f', '-c', '-o', os.path.join(scratch, 'strace.txt')] + cp_cmd + ['-j', '1'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = [l for l in open(os.path.join(scratch, 'strace.txt')) if l.strip().endswith('total')]
    if total:
        n = int(total[0].split()[3])
        calls = '%.1f per source file (%d in all)' % (n / len(sources), n)
shutil.rmtree(scratch)

med = statistics.median
py_m, cp_m = med(py_t), med(cp_t)
rows = [
    ('tree', '%d .py files, %.1f MB (3.13 stdlib copy)' % (len(sources), mb)),
    ('python3.13 -m compileall -q -f', '%.3f s median of %d, peak RSS %.0f MB' % (py_m, runs, py_rss)),
    ('cpyc compileall -q -f -j 1', '%.3f s median of %d, peak RSS %.0f MB, %.1f MB/s, %.0f files/s'
     % (cp_m, runs, cp_rss, mb / cp_m, len(sources) / cp_m)),
    ('speed-up -j 1 (wall)', '%.1fx' % (py_m / cp_m)),
    ('speed-up -j 1 (CPU time)', '%.1fx (%.2f s against %.2f s; the machine load of other jobs counts less)'
     % (med(CPU[' '.join(py_cmd)]) / med(CPU[' '.join(cp_cmd + ['-j', '1'])]),
        med(CPU[' '.join(py_cmd)]), med(CPU[' '.join(cp_cmd + ['-j', '1'])]))),
    ('load average at the end', '%.1f' % os.getloadavg()[0]),
    ('cpyc -j 1 / -j 2 (wall)', '%.3f s / %.3f s: %.2fx' % (med(j1), med(j2), med(j1) / med(j2))),
    ('cpyc -j 1 / -j 2 (CPU)', '%.2f s / %.2f s (system %.2f s / %.2f s)'
     % (med(CPU[' '.join(cp_cmd + ['-j', '1'])]), med(CPU[' '.join(cp_cmd + ['-j', '2'])]),
        med(SYS[' '.join(cp_cmd + ['-j', '1'])]), med(SYS[' '.join(cp_cmd + ['-j', '2'])]))),
    ('byte-identical pycs', '%d of the %d CPython wrote (cpyc wrote %d)' % (same, len(theirs), len(ours))),
    ('cpyc steps (-j 1)', stats.replace('cpyc-stats: ', '') + ' (wall, summed)'),
    ('pipeline CPU per stage', stages + ' s'),
    ('system calls', calls),
]
commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
head = '%s  commit %s' % (time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), commit or '?')
table = head + '\n' + '\n'.join('  %-32s %s' % r for r in rows) + '\n'
print(table, end='')
log = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'docs', 'bench_compileall.log')
with open(log, 'a') as f:
    f.write(table + '\n')
