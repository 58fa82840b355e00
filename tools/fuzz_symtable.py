"""Random differential test of the symbol table: writes random programs of nested defs,
classes, lambdas, comprehensions, generics and global/nonlocal/walrus over a few names, and
compares `cpyc symtable --raw --error-tsv` with the oracle's _symtable (every flag, the
block tree, or the SyntaxError) and `cpyc symtable --code` with the code objects the oracle
compiles (when it does). Run with the oracle:
    PYTHONHASHSEED=0 $(bash tools/oracle_python.sh 3.13) tools/fuzz_symtable.py CPYC [N] [SEED]
Prints the programs that differ (kept in /tmp/fuzz_symtable/) and a summary.
"""
import io
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NAMES = ["a", "b", "c", "x", "__p", "_C__p", "__class__", "super", "T", "self", "__classdict__"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def name(self):
        return self.r.choice(NAMES[:6] if self.r.random() < 0.7 else NAMES)

    # @n: a name, @e: a smaller expression
    EXPRS = ["lambda @n: @e", "[@e for @n in @e]", "(@e for @n in @e if @e)",
             "{@e: @e for @n in @e for @n in @e}", "(@n := @e)", "@e(@e)", "super()",
             "{@e for @n in @e}", "(@e, @e)"]

    def expr(self, depth):
        if depth <= 0 or self.r.random() < 0.3:
            return self.name() if self.r.random() < 0.8 else "1"
        parts = self.r.choice(self.EXPRS).split("@")
        return parts[0] + "".join((self.name() if p[0] == "n" else self.expr(depth - 1)) + p[1:]
                                  for p in parts[1:])

    def block(self, depth, indent, in_func):
        lines = []
        for _ in range(self.r.randrange(1, 4)):
            lines += self.stmt(depth, indent, in_func)
        return lines

    def stmt(self, depth, indent, in_func):
        pad = "    " * indent
        k = self.r.randrange(12 if depth > 0 else 6)
        if k == 0:
            return [f"{pad}{self.name()} = {self.expr(2)}"]
        if k == 1:
            return [f"{pad}{self.expr(3)}"]
        if k == 2 and self.r.random() < 0.4:
            return [f"{pad}global {self.name()}"]
        if k == 3 and self.r.random() < 0.4:
            return [f"{pad}nonlocal {self.name()}"]
        if k in (2, 3):
            return [f"{pad}return {self.expr(2)}" if in_func else f"{pad}{self.name()} += 1"]
        if k == 4:
            return [f"{pad}{self.name()}: int = {self.expr(1)}"]
        if k == 5:
            return [f"{pad}del {self.name()}"]
        tp = ""
        if self.r.random() < 0.25:
            tp = "[" + ", ".join(self.r.sample(["T", "U", "*Ts", "**P", "T: a", "__V", "U = b"], 2)) + "]"
        if k in (6, 7, 8):
            args = ", ".join(self.r.sample(["self", "a", "b", "__p", "*c", "x=a"], self.r.randrange(0, 3)))
            return [f"{pad}def f{tp}({args}):"] + self.block(depth - 1, indent + 1, True)
        if k in (9, 10):
            return [f"{pad}class C{tp}:"] + self.block(depth - 1, indent + 1, False)
        return [f"{pad}for {self.name()} in {self.expr(1)}:"] + self.block(depth - 1, indent + 1, in_func)

    def program(self):
        return "\n".join(self.block(4, 0, False)) + "\n"


class CodeWorker:
    """The oracle's compile() in a child process: 3.13.0's compiler crashes on some odd
    programs (a crash counts as no code to compare)."""
    def __init__(self):
        self.p = None

    def dump(self, path):
        if self.p is None or self.p.poll() is not None:
            self.p = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "oracle_symtable.py"),
                                       "--code"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True)
        self.p.stdin.write("%s\t%s.code\n" % (path, path))
        self.p.stdin.flush()
        status = self.p.stdout.readline().strip()
        text = ""
        if os.path.exists(path + ".code"):
            with open(path + ".code") as f:
                text = f.read()
            os.remove(path + ".code")
        return text, status == "ok"


def main():
    cpyc = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    import ast
    import warnings
    import oracle_symtable
    warnings.simplefilter("ignore")
    out = "/tmp/fuzz_symtable"
    os.makedirs(out, exist_ok=True)
    gen = Gen(random.Random(seed))
    coder = CodeWorker()
    bad = errors = ncompiled = 0
    for i in range(n):
        src = gen.program()
        path = os.path.join(out, "p%d.py" % i)
        with open(path, "w") as f:
            f.write(src)
        try:
            ast.parse(src)
        except SyntaxError:
            os.remove(path)
            continue   # rejected by the parser
        want = oracle_symtable.dump(path, "--raw")[0]
        errors += want.startswith("SyntaxError")
        got = subprocess.run([cpyc, "symtable", "--raw", "--error-tsv", path], capture_output=True,
                             text=True).stdout
        # what compile.c takes from the table: each oracle code object's line must be ours
        cwant, compiled = coder.dump(path)
        ncompiled += compiled
        if got == want and compiled:
            cgot = subprocess.run([cpyc, "symtable", "--code", path], capture_output=True,
                                  text=True).stdout.splitlines()
            if any(line not in cgot for line in cwant.splitlines()):
                got = "--code differs"
        if got != want:
            bad += 1
            print("DIFF", path)
        else:
            os.remove(path)
    print("%d programs (%d symtable errors, %d compiled), %d differ" % (n, errors, ncompiled, bad))
    return bad != 0


if __name__ == "__main__":
    sys.exit(main())
