"""bench_cpython_compile.py - CPython's own speed at what `cpyc compile --bench` does: source
bytes to pyc bytes (compile(src, path, 'exec') + marshal.dumps) over a list of files on stdin,
in one process, CPU time. Run it with the interpreter to measure, e.g.
    $(pyenv prefix 3.13.0)/bin/python tools/bench_cpython_compile.py < /tmp/list
"""
import marshal
import sys
import time


def main():
    optimize = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    paths = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    total = src_bytes = out_bytes = failed = files = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                src = f.read()
        except OSError:
            failed += 1
            continue
        files += 1
        t0 = time.process_time()
        try:
            code = compile(src, path, "exec", dont_inherit=True, optimize=optimize)
            data = marshal.dumps(code)
        except (SyntaxError, ValueError):
            data = b""
            failed += 1
        total += time.process_time() - t0
        src_bytes += len(src)
        out_bytes += len(data)
    print("%d files, %.1f MB of source in %.3f s of CPU: %.1f MB/s (Python %s compile() + "
          "marshal.dumps; %.1f MB of marshal data; %d failed)"
          % (files, src_bytes / 1e6, total, src_bytes / 1e6 / total if total else 0.0,
             sys.version.split()[0], out_bytes / 1e6, failed))


if __name__ == "__main__":
    main()
