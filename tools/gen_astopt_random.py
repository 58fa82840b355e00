"""Writes random constant expressions for the AST optimizer's tests (deterministic per seed).

Usage: gen_astopt_random.py SEED COUNT > FILE.py. Each line is `r = EXPR`, EXPR mixing ints
near the folding limits and of any size, floats (signed zeros, infinities, subnormals),
complex, bool, None, str, bytes and tuples under every unary and binary operator and
subscripts, so that CPython folds some and refuses others (errors, size limits).
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


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    print("# Random constant expressions: tools/gen_astopt_random.py %d %d" % (seed, count))
    for _ in range(count):
        print("r = " + expr(r, r.choice([1, 2, 2, 3])))


main()
