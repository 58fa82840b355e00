"""seed_compile.py - seeds the corpus of fuzz_compile: CPython 3.13's stdlib cut into small runs of
top-level statements, this repository's test programs, and the small limits cases.
    PYTHON3.13 fuzz/seed_compile.py DIR [MAX_LEN]
Run it with the oracle (3.13) so that the stdlib parses; deterministic (one cut per file)."""
import ast, os, random, subprocess, sys, sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def stdlib_cuts(max_len, rnd):
    lib = sysconfig.get_paths()['stdlib']
    for dirpath, dirs, files in os.walk(lib):
        dirs[:] = sorted(d for d in dirs if d != 'site-packages')
        for f in sorted(files):
            if not f.endswith('.py'):
                continue
            path = os.path.join(dirpath, f)
            data = open(path, 'rb').read()
            try:
                body = ast.parse(data).body
            except (SyntaxError, ValueError):
                yield f, data[:max_len]          # the few invalid test inputs, as they are
                continue
            lines = data.splitlines(keepends=True)
            if not body:
                continue
            # one run of consecutive top-level statements, at most max_len bytes
            i = rnd.randrange(len(body))
            start = body[i].lineno - 1
            if getattr(body[i], 'decorator_list', None):
                start = body[i].decorator_list[0].lineno - 1
            end = start
            for node in body[i:]:
                stop = node.end_lineno
                if sum(len(l) for l in lines[start:stop]) > max_len:
                    break
                end = stop
            if end > start:
                yield f, b''.join(lines[start:end])


def main():
    out = sys.argv[1]
    max_len = int(sys.argv[2]) if len(sys.argv) > 2 else 8192
    os.makedirs(out, exist_ok=True)
    rnd = random.Random(10)
    n = 0

    def put(name, data):
        nonlocal n
        if 0 < len(data) <= max_len:
            with open(os.path.join(out, name), 'wb') as fh:
                fh.write(data)
            n += 1

    for f, data in stdlib_cuts(max_len, rnd):
        put('lib-%d-%s' % (n, f), data)
    for dirpath, dirs, files in os.walk(os.path.join(ROOT, 'tests')):
        dirs.sort()
        for f in sorted(files):
            if f.endswith('.py'):
                put('test-%d-%s' % (n, f), open(os.path.join(dirpath, f), 'rb').read())
    # the invalid programs of tests/ast/errors.txt, one per "=== " header
    chunk = []
    for line in open(os.path.join(ROOT, 'tests', 'ast', 'errors.txt'), 'rb'):
        if line.startswith(b'=== '):
            put('err-%d.py' % n, b''.join(chunk))
            chunk = []
        else:
            chunk.append(line)
    put('err-%d.py' % n, b''.join(chunk))
    tmp = os.path.join(out, '.limits')
    subprocess.run([sys.executable, os.path.join(ROOT, 'tools', 'gen_limits_cases.py'), 'write', tmp], check=True)
    for f in sorted(os.listdir(tmp)):
        put('limits-' + f, open(os.path.join(tmp, f), 'rb').read())
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    print('seed files:', n)


main()
