"""Writes random constant expressions for the AST optimizer's tests (deterministic per seed).

Usage: gen_astopt_random.py SEED COUNT [--format] > FILE.py. Each line is `r = EXPR`, EXPR
mixing ints near the folding limits and of any size, floats (signed zeros, infinities,
subnormals), complex, bool, None, str, bytes and tuples under every unary and binary
operator and subscripts, so that CPython folds some and refuses others (errors, size
limits). With --format, EXPR is 'FORMAT' % ARGS for the rewrite of %-formatting to
f-strings: conversions with flags, widths and precisions of every length, literal text,
too few or too many items, starred items.
"""
import random
import sys

INTS = ["0", "1", "2", "3", "7", "-1", "-7", "15", "127", "128", "255", "2**64", "2**63",
        "-(2**63)", "9007199254740993", "18446744073709551615", "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456", "12345678901234567890123456789012345678901234567890",
        "-98765432109876543210987654321098765432109876543210987654321", "10**30", "3**40",
        "1" + "0" * 200, "-" + "9" * 310, "0x7fff", "0x8000", "0x3fffffff", "0x40000000"]
FLOATS = ["0.0", "-0.0", "0.5", "1.5", "-2.5", "1e308", "1e-308", "5e-324", "1e400", "-1e400",
          "0.1", "3.0", "-7.0", "2.0", "1e16", "123.456", "1e22", "4.9e-324", "1e-320"]
OTHER = ["1j", "-1j", "(1+2j)", "(3-4j)", "0j", "(-0.0-0j)", "1e300j", "True", "False", "None",
         "'ab'", "''", "'é'", "'😀x'", "b'xy'", "b''", "()", "(1, 2)", "((1,), 2, (3, (4,)))", "('a', 1.0)"]
BIN = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@"]
UN = ["-", "+", "~", "not "]


def atom(r):
    pool = r.choice([INTS, INTS, FLOATS, OTHER])
    return r.choice(pool)


def expr(r, depth):
    k = r.random()
    if depth <= 0 or k < 0.3:
        return atom(r)
    if k < 0.45:
        return "(%s%s)" % (r.choice(UN), expr(r, depth - 1))
    if k < 0.5:
        return "(%s)[%s]" % (expr(r, depth - 1), r.choice(["0", "1", "-1", "2", "True", "10**20", "1.0"]))
    if k < 0.55:
        return "(%s, %s)" % (expr(r, depth - 1), expr(r, depth - 1))
    return "(%s %s %s)" % (expr(r, depth - 1), r.choice(BIN), expr(r, depth - 1))


PIECES = ["%s", "%r", "%a", "%d", "%%", "%", "%5s", "%-5s", "%05s", "%.3s", "%12s", "%123s", "%.12r",
          "%.123a", "%+s", "% s", "%#r", "%-s", "%1.1s", "%-12.34s", "%0s", "%.s", "%5.s", "%*s",
          "%(x)s", "%c", "%1", "%-", "%.", "\u00e9", "\U0001f600", "x", " ", "\\n", "%%%s", "%-%",
          "%00s", "%--5s"]
ARGS = ["a", "b", "1", "'s'", "f(x)", "*c", "(1, 2)", "x.y"]


def format_expr(r):
    fmt = "".join(r.choice(PIECES) for _ in range(r.randrange(0, 5)))
    args = [r.choice(ARGS) for _ in range(r.randrange(0, 4))]
    if len(args) == 1 and (r.random() < 0.5 or args[0] == "*c"):
        items = "(%s,)" % args[0]
    elif not args and r.random() < 0.3:
        items = "a"
    else:
        items = "(%s)" % ", ".join(args)
    prefix = r.choice(["", "", "b", "r", "f"])
    if prefix == "b":
        fmt = fmt.replace("\u00e9", "e").replace("\U0001f600", "x")
    q = r.choice(["'", '"'])
    return "%s%s%s%s %% %s" % (prefix, q, fmt, q, items)


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    fmt = sys.argv[3:] == ["--format"]
    r = random.Random(seed)
    print("# Random %s: tools/gen_astopt_random.py %s" % (
        "%-formats" if fmt else "constant expressions", " ".join(sys.argv[1:])))
    for _ in range(count):
        print("r = " + (format_expr(r) if fmt else expr(r, r.choice([1, 2, 2, 3]))))


main()
