"""The typo harness: real modules with one everyday typo each, the syntax error CPython 3.13
reports (type, line, offset, message) against `cpyc ast --error-tsv`. Run with the oracle:
    $(bash tools/oracle_python.sh 3.13) tools/typo_harness.py campaign --count 10000 [--seed S] [--root DIR]
    $(bash tools/oracle_python.sh 3.13) tools/typo_harness.py sample --count 1000 --out tests/ast/typos.txt
    $(bash tools/oracle_python.sh 3.13) tools/typo_harness.py show N --seed S --out FILE   (one program again)

Each program takes a module of the oracle's standard library and applies one edit, chosen by a
random generator seeded with (seed, program number), so every program can be made again (with
--root, the modules are the .py files under DIR, e.g. a site-packages of third-party code): a
comma, colon, bracket, quote or operator deleted, a bracket doubled, a keyword replaced by
another, a token repeated, a line indented or dedented, two tokens swapped, any token deleted,
or a bracket, operator, keyword or atom inserted. Edits CPython still accepts are not
counted (nor kept). `campaign` edits whole modules and compares at once; `sample` edits one
top-level statement of a module (at most WINDOW lines, so the committed file stays small) and
writes the programs with CPython's answers in the format of tests/ast/errors.txt, which
tests/run_ast.sh checks without the oracle.
"""
import argparse
import ast
import io
import keyword
import os
import random
import subprocess
import sys
import sysconfig
import tempfile
import tokenize
import warnings
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ["comma", "colon", "bracket", "quote", "operator", "double-bracket", "keyword",
         "repeat", "indent", "dedent", "swap", "delete", "insert"]
# what "insert" puts before a token: brackets, operators, keywords and soft keywords
INSERTS = ["(", ")", "[", "]", "{", "}", ",", ":", "*", "**", "=", ":=", ".", "->", "lambda",
           "not", "in", "if", "else", "for", "async", "await", "yield", "return", "import",
           "from", "as", "match", "case", "type", "print", "1", "'s'", "f'{x}'", "x"]
BRACKETS = set("()[]{}")
OPERATORS = {"+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "~", "<", ">",
             "<=", ">=", "==", "!=", "=", ":=", "->", ".", "+=", "-=", "*=", "/=", "//=", "%=",
             "**=", "@=", "&=", "|=", "^=", ">>=", "<<="}
WINDOW = 40


def modules(root=None):
    """The .py files under root (the oracle's stdlib, test/ included, by default), sorted;
    read_module later keeps those that are UTF-8 and parse."""
    lib = root or sysconfig.get_paths()["stdlib"]
    found = []
    for dirpath, dirnames, filenames in os.walk(lib):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__",) and (root or d != "site-packages"))
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return found


def read_module(path):
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return text


def tokens(text):
    """(type, string, start offset, end offset) of each token, offsets into text."""
    starts = [0]
    for line in io.StringIO(text).readlines():
        starts.append(starts[-1] + len(line))
    out = []
    for t in tokenize.generate_tokens(io.StringIO(text).readline):
        if t.type in (tokenize.ENDMARKER, tokenize.DEDENT, tokenize.INDENT, tokenize.NL,
                      tokenize.NEWLINE, tokenize.COMMENT) or not t.string:
            continue
        a = starts[t.start[0] - 1] + t.start[1]
        b = starts[t.end[0] - 1] + t.end[1]
        out.append((t.type, t.string, a, b))
    return out


def edit(text, rng):
    """One typo in text: (kind, description, new text), or None when the kind finds no place."""
    kind = rng.choice(KINDS)
    if kind in ("indent", "dedent"):
        lines = io.StringIO(text).readlines()   # lines end at "\n" only, as the tokenizer's
        cands = [i for i, l in enumerate(lines) if l.strip() and not l.lstrip().startswith("#")
                 and (kind == "indent" or l[:1] in " \t")]
        if not cands:
            return None
        i = rng.choice(cands)
        line = lines[i]
        if kind == "indent":
            lines[i] = " " * rng.choice([1, 2, 4]) + line
        else:
            body = line.lstrip(" \t")
            ind = line[:len(line) - len(body)]
            lines[i] = ind[:max(0, len(ind) - rng.choice([1, 4, len(ind)]))] + body
        return kind, "line %d" % (i + 1), "".join(lines)
    try:
        toks = tokens(text)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    OP, NAME = tokenize.OP, tokenize.NAME
    pick = {
        "comma": lambda t: t[0] == OP and t[1] == ",",
        "colon": lambda t: t[0] == OP and t[1] == ":",
        "bracket": lambda t: t[0] == OP and t[1] in BRACKETS,
        "double-bracket": lambda t: t[0] == OP and t[1] in BRACKETS,
        "quote": lambda t: t[0] in (tokenize.STRING, tokenize.FSTRING_START, tokenize.FSTRING_END),
        "operator": lambda t: t[0] == OP and t[1] in OPERATORS,
        "keyword": lambda t: t[0] == NAME and keyword.iskeyword(t[1]),
        "repeat": lambda t: True,
        "swap": lambda t: True,
        "delete": lambda t: True,
        "insert": lambda t: True,
    }[kind]
    cands = [t for t in toks if pick(t)]
    if not cands:
        return None
    k = rng.randrange(len(cands))
    ty, s, a, b = cands[k]
    where = "offset %d %r" % (a, s)
    if kind == "swap":   # the token and the next one change places (same line only)
        if k + 1 >= len(cands) or "\n" in text[a:cands[k + 1][3]]:
            return None
        _, s2, a2, b2 = cands[k + 1]
        return kind, where, text[:a] + s2 + text[b:a2] + s + text[b2:]
    if kind == "delete":
        return kind, where, text[:a] + text[b:]
    if kind == "insert":
        ins = rng.choice(INSERTS)
        return kind, where + " <- " + ins, text[:a] + ins + rng.choice(["", " "]) + text[a:]
    if kind in ("comma", "colon", "bracket", "operator"):
        return kind, where, text[:a] + text[b:]
    if kind == "double-bracket":
        return kind, where, text[:b] + s + text[b:]
    if kind == "repeat":
        return kind, where, text[:b] + rng.choice(["", " "]) + s + text[b:]
    if kind == "keyword":
        other = rng.choice([k for k in keyword.kwlist if k != s])
        return kind, where + " -> " + other, text[:a] + other + text[b:]
    # quote: drop the opening or the closing quote character of a string or f-string
    quotes = [i for i in range(a, b) if text[i] in "'\""]
    if not quotes:
        return None
    i = rng.choice([quotes[0], quotes[-1]])
    return kind, where, text[:i] + text[i + 1:]


def window(text, rng):
    """One top-level statement of the module (with its decorators) of at most WINDOW lines."""
    tree = ast.parse(text)
    lines = io.StringIO(text).readlines()
    spans = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if node.end_lineno - first < WINDOW and node.end_lineno - first >= 1:
            spans.append((first, node.end_lineno))
    if not spans:
        return None
    first, last = rng.choice(spans)
    return "".join(lines[first - 1:last])


def oracle_error(src):
    """CPython's answer for src: None when it parses, else "TYPE<TAB>LINE<TAB>OFFSET<TAB>MSG"."""
    try:
        ast.parse(src.encode("utf-8", "surrogatepass"), "<typo>")
        return None
    except SyntaxError as e:
        msg = str(e.msg).replace("\n", " ").replace("\t", " ")
        return "%s\t%s\t%s\t%s" % (type(e).__name__, e.lineno, e.offset, msg)
    except (ValueError, RecursionError, MemoryError):
        return None


def make(n, seed, windowed, mods, texts, root=None):
    """Program number n: (module, kind, where, source, expected), or None when it is none."""
    rng = random.Random("%d/%d" % (seed, n))
    path = rng.choice(mods)
    if path not in texts:
        texts[path] = read_module(path)
    text = texts[path]
    if text is None:
        return None
    if windowed:
        text = window(text, rng)
        if text is None:
            return None
    e = edit(text, rng)
    if e is None:
        return None
    kind, where, src = e
    if windowed and (not src.endswith("\n") or any(l.startswith("===") for l in src.split("\n"))):
        return None
    want = oracle_error(src)
    if want is None:
        return None
    return os.path.relpath(path, root or sysconfig.get_paths()["stdlib"]), kind, where, src, want


def programs(count, seed, windowed, root=None):
    """Yields (number, module, kind, where, source, expected) for `count` programs CPython rejects."""
    mods = modules(root)
    texts = {}
    n = made = 0
    while made < count:
        item = make(n, seed, windowed, mods, texts, root)
        n += 1
        if item is not None:
            made += 1
            yield (n - 1,) + item


def cpyc_error(cpyc, path):
    r = subprocess.run([cpyc, "ast", "--error-tsv", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if r.returncode == 0:
        return "accepted"
    out = r.stdout.decode("utf-8", "replace").strip().splitlines()
    return out[-1] if out else "exit %d, no answer" % r.returncode


def campaign(args):
    warnings.simplefilter("ignore")
    by_kind = {k: [0, 0] for k in KINDS}
    misses = []
    with tempfile.TemporaryDirectory(prefix="cpyc-typo-") as tmp, ThreadPoolExecutor(args.jobs) as ex:
        batch = []

        def flush():
            paths = []
            for item in batch:
                p = os.path.join(tmp, "%d.py" % item[0])
                with open(p, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
                    f.write(item[4])
                paths.append(p)
            for item, got in zip(batch, ex.map(lambda p: cpyc_error(args.cpyc, p), paths)):
                by_kind[item[2]][0] += 1
                if got == item[5]:
                    by_kind[item[2]][1] += 1
                else:
                    misses.append((item, got))
            for p in paths:
                os.unlink(p)
            batch.clear()
        for item in programs(args.count, args.seed, args.window, args.root):
            batch.append(item)
            if len(batch) == 200:
                flush()
        flush()
    total = sum(v[0] for v in by_kind.values())
    same = sum(v[1] for v in by_kind.values())
    for k in KINDS:
        print("%-15s %5d programs, %5d as CPython" % (k, by_kind[k][0], by_kind[k][1]))
    for (n, mod, kind, where, src, want), got in misses[:args.show]:
        print("MISS #%d %s %s %s\n     want %s\n     got  %s" % (n, mod, kind, where, want, got))
    print("typo campaign (seed %d%s%s): %d of %d programs with CPython's type, line, offset and message"
          % (args.seed, ", windows" if args.window else "", ", modules of " + args.root if args.root else "",
             same, total))
    return 0 if same == total else 1


def sample(args):
    warnings.simplefilter("ignore")
    rows = list(programs(args.count, args.seed, True))
    with open(args.out, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        for n, mod, kind, where, src, want in rows:
            name = "typo%05d" % n
            f.write("=== %s\t%s\n" % (name, want))
            f.write(src if src.endswith("\n") else src + "\n")
    print("%d programs written to %s (seed %d; CPython %s)" % (len(rows), args.out, args.seed,
                                                              sys.version.split()[0]))
    return 0


def show(args):
    """Writes program number args.number to args.out (or stdout) and prints what CPython says."""
    warnings.simplefilter("ignore")
    item = make(args.number, args.seed, args.window, modules(args.root), {}, args.root)
    if item is None:
        print("program %d is not one (no edit, or CPython accepts it)" % args.number)
        return 1
    mod, kind, where, src, want = item
    if args.out is None:
        sys.stdout.write(src)
        sys.stdout.flush()
        print("%s %s %s\nCPython: %s" % (mod, kind, where, want), file=sys.stderr)
        return 0
    with open(args.out, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
        f.write(src)
    print("%s %s %s\nCPython: %s" % (mod, kind, where, want))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["campaign", "sample", "show"])
    ap.add_argument("number", type=int, nargs="?", help="show: the program's number")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--cpyc", default=os.path.join(ROOT, "build", "cpyc"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=40)
    ap.add_argument("--root", help="campaign, show: edit the .py files under this directory "
                    "(e.g. a site-packages of third-party code) instead of the oracle's stdlib")
    ap.add_argument("--window", action="store_true", help="campaign: edit one top-level statement")
    ap.add_argument("--out", help="sample: the suite written (default tests/ast/typos.txt); "
                    "show: the program's file (default standard output)")
    args = ap.parse_args()
    if args.out is None and args.mode == "sample":
        args.out = os.path.join(ROOT, "tests", "ast", "typos.txt")
    sys.setrecursionlimit(10000)
    return {"campaign": campaign, "sample": sample, "show": show}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
