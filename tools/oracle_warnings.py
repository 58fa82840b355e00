"""Writes tests/warnings/expected.txt: what `python3.13 -m py_compile FILE` prints on stderr
(the SyntaxWarnings CPython's compile() issues, through the warnings module, and any error)
and its exit status, for each program of tests/warnings/programs.txt (separated by lines
"###"), each compiled as a file named wN.py in the current directory (so the warnings'
source lines are read back from it, as linecache does).
Run with the oracle:  $(bash tools/oracle_python.sh 3.13) tools/oracle_warnings.py
Format: "=== wN.py<TAB>EXIT" and then the stderr lines."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def programs(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [p.strip("\n") + "\n" for p in text.split("\n###\n")]


def main():
    progs = programs(os.path.join(ROOT, "tests", "warnings", "programs.txt"))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, prog in enumerate(progs, 1):
            name = "w%d.py" % i
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(prog)
            env = dict(os.environ, PYTHONHASHSEED="0")
            env.pop("PYTHONWARNINGS", None)
            r = subprocess.run([sys.executable, "-m", "py_compile", name], cwd=tmp, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out.append("=== %s\t%d\n" % (name, r.returncode))
            out.append(r.stderr.decode("utf-8", "surrogateescape"))
    with open(os.path.join(ROOT, "tests", "warnings", "expected.txt"), "w", encoding="utf-8",
              errors="surrogateescape") as f:
        f.write("".join(out))
    print("%d programs" % len(progs))


if __name__ == "__main__":
    main()
