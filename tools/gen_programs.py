"""Generates valid programs that combine the grammar's constructs, and compares the AST dumps
of `cpyc ast` with CPython 3.13's. Run with the oracle:
    $(bash tools/oracle_python.sh 3.13) tools/gen_programs.py campaign --count 20000 [--seed S]
    $(bash tools/oracle_python.sh 3.13) tools/gen_programs.py sample --count 3000 --out tests/ast/generated.txt

Expressions of every form (operators at every precedence, comprehensions, lambdas, walruses,
starred items, f-strings with conversions, specs and '=', every literal form) are placed in
every position that takes one: subscripts and slices, call arguments, f-string fields, match
subjects and patterns, decorators, annotations, defaults, type parameters and their bounds and
defaults, targets, conditions, iterables, with items, return, yield, raise, assert, del.
Programs come from a random generator seeded with (seed, program number); those CPython
rejects are dropped. `sample` writes each program with the MD5 of CPython's dump
(ast.dump(..., include_attributes=True, indent=1) and a newline) as "=== NAME<TAB>MD5" and
the program's lines, which tests/run_ast.sh checks without the oracle.
"""
import argparse
import ast
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ["a", "b", "x", "y", "obj", "items", "match", "case", "type", "_", "T", "\u00e9t\u00e9", "\u03c0"]
BINOPS = {10: ["+", "-"], 11: ["*", "/", "//", "%", "@"], 9: ["<<", ">>"], 8: ["&"], 7: ["^"], 6: ["|"]}
CMPOPS = ["<", ">", "==", ">=", "<=", "!=", "in", "not in", "is", "is not"]
# precedence levels: a form of level L stands where level <= L is wanted, else it takes parentheses
WALRUS, LAMBDA, IFEXP, OR, AND, NOT, CMP, BOR, BXOR, BAND, SHIFT, ARITH, TERM, UNARY, POWER, AWAIT, PRIMARY = range(-1, 16)


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.depth = 0
        self.in_async = False
        self.in_func = False
        self.indent = 0

    def chance(self, p):
        return self.r.random() < p

    def name(self):
        return self.r.choice(NAMES)

    # ---------------------------------------------------------------- literals
    def number(self):
        r = self.r
        return r.choice([str(r.randrange(0, 1000)), "0", "1_000", "0x%X" % r.randrange(4096), "0o17", "0b1010",
                         "%d.%d" % (r.randrange(100), r.randrange(100)), "1e10", "1.5E-3", ".5", "5.", "3j",
                         "1.5j", "0_0", "1_0.0_1e+1_0", str(2 ** 70), "0xdead_beef"])

    def string_body(self, quote, raw, fstring):
        r = self.r
        parts = []
        for _ in range(r.randrange(0, 4)):
            parts.append(r.choice(["abc", " ", "x y", "\u00e9", "\u4e2d", "\U0001F600", "'" if quote == '"' else '"',
                                   "\\n", "\\t", "\\\\", "\\x41", "\\u00e9", "\\N{BULLET}", "\\101", "\\'", '\\"',
                                   "{{", "}}"] if not raw else ["abc", " ", "\\d", "\\n", "\u00e9", "{{", "}}"]))
        s = "".join(parts)
        if s.endswith(quote[0]) and not s.endswith("\\" + quote[0]):
            s += "x"   # a quote before the closing ones would end the string early
        if not fstring:
            s = s.replace("{{", "{").replace("}}", "}")
        return s

    def string(self, allow_f=True):
        r = self.r
        kind = r.choice(["s", "s", "b", "f", "f"] if allow_f and self.depth < 4 else ["s", "b"])
        quote = r.choice(['"', "'", '"""', "'''"])
        if kind == "b":
            prefix = r.choice(["b", "B", "br", "Rb", "rb"])
            body = "".join(r.choice(["abc", " ", "\\x00", "\\n", "\\\\"]) for _ in range(r.randrange(3)))
            if "r" in prefix.lower():
                body = body.replace("\\", "")
            return prefix + quote + body + quote
        if kind == "s":
            prefix = r.choice(["", "", "u", "U", "r", "R"])
            return prefix + quote + self.string_body(quote, "r" in prefix.lower(), False) + quote
        prefix = r.choice(["f", "F", "rf", "fR"])
        raw = "r" in prefix.lower()
        out = []
        for _ in range(r.randrange(1, 4)):
            if self.chance(0.5):
                out.append(self.string_body(quote, raw, True))
            out.append(self.fstring_field(quote, raw))
        return prefix + quote + "".join(out) + quote

    def fstring_field(self, quote, raw):
        r = self.r
        self.depth += 1
        e = self.expr(r.choice([LAMBDA, IFEXP, OR]) if self.chance(0.7) else PRIMARY)
        if e.startswith("{"):
            e = " " + e
        if self.chance(0.2) and "\n" not in e and "#" not in e:
            e = e + r.choice(["=", " = ", "="])
        if self.chance(0.3):
            e += "!" + r.choice("rsa")
        if self.chance(0.3):
            spec = r.choice([">10", "<{w}", "^{w}.{p}", ".2f", "#x", "{w}", "", "%H:%M", "=^{w}"])
            spec = spec.replace("{w}", "{" + self.expr(PRIMARY) + "}").replace("{p}", "{" + self.name() + "}")
            e += ":" + spec
        self.depth -= 1
        return "{" + e + "}"

    # ---------------------------------------------------------------- expressions
    def expr(self, level=LAMBDA):
        """An expression that can stand where `level` is wanted."""
        s, own = self.form(level)
        return s if own >= level else "(" + s + ")"

    def form(self, level):
        r = self.r
        self.depth += 1
        try:
            if self.depth > 3 or self.chance(0.45):
                return self.atom(leaf=True), PRIMARY
            choices = ["atom", "atom", "primary", "primary", "binop", "unary", "power", "cmp", "bool",
                       "not", "ifexp", "lambda", "walrus", "display", "comp"]
            if self.in_async:
                choices.append("await")
            if self.in_func:
                choices.append("yield")
            k = r.choice(choices)
            if k == "atom":
                return self.atom(), PRIMARY
            if k == "primary":
                return self.primary(), PRIMARY
            if k == "binop":
                lv = r.choice(list(BINOPS))
                return "%s %s %s" % (self.expr(lv), r.choice(BINOPS[lv]), self.expr(lv + 1)), lv
            if k == "unary":
                return r.choice(["-", "+", "~", "- "]) + self.expr(UNARY), UNARY
            if k == "power":
                return "%s ** %s" % (self.expr(AWAIT), self.expr(UNARY)), POWER
            if k == "cmp":
                n = r.randrange(1, 3)
                return " ".join([self.expr(BOR)] + ["%s %s" % (r.choice(CMPOPS), self.expr(BOR)) for _ in range(n)]), CMP
            if k == "bool":
                op, lv = r.choice([("and", AND), ("or", OR)])
                return " {} ".format(op).join(self.expr(lv + 1) for _ in range(r.randrange(2, 4))), lv
            if k == "not":
                return "not " + self.expr(NOT), NOT
            if k == "ifexp":
                return "%s if %s else %s" % (self.expr(OR), self.expr(OR), self.expr(LAMBDA)), IFEXP
            if k == "lambda":
                return "lambda%s: %s" % (self.params(lam=True), self.expr(LAMBDA)), LAMBDA
            if k == "walrus":
                return "%s := %s" % (self.name(), self.expr(LAMBDA)), WALRUS
            if k == "await":
                return "await " + self.expr(PRIMARY), AWAIT
            if k == "yield":
                return r.choice(["yield", "yield " + self.star_exprs(), "yield from " + self.expr()]), WALRUS - 1
            if k == "display":
                return self.display(), PRIMARY
            return self.comprehension(), PRIMARY
        finally:
            self.depth -= 1

    def atom(self, leaf=False):
        r = self.r
        k = r.choice(["name", "name", "number", "string", "const"] + ([] if leaf else ["concat", "paren"]))
        if k == "name":
            return self.name()
        if k == "number":
            return self.number()
        if k == "string":
            return self.string()
        if k == "const":
            return r.choice(["None", "True", "False", "..."])
        if k == "concat":
            first = self.string()
            bytes_ = first.lstrip("rRuUfF").startswith(("b", "B"))
            more = [self.string() for _ in range(r.randrange(1, 3))]
            more = [m for m in more if m.lstrip("rRuUfF").startswith(("b", "B")) == bytes_]
            return " ".join([first] + more)
        return "(" + self.expr(WALRUS) + ")"

    def primary(self):
        r = self.r
        s = self.atom()
        if s[0].isdigit() or s[0] == ".":
            s = "(" + s + ")"   # 1.x would be the float 1. and a name
        for _ in range(r.randrange(1, 3)):
            k = r.choice(["attr", "call", "call", "sub", "slice"])
            if k == "attr":
                s += "." + self.name()
            elif k == "call":
                s += "(" + self.call_args() + ")"
            elif k == "sub":
                s += "[" + self.subscript() + "]"
            else:
                s += "[" + self.slice() + "]"
        return s

    def call_args(self):
        r = self.r
        if self.chance(0.1):
            return self.expr(OR) + " for " + self.name() + " in " + self.expr(OR)
        args = []
        for _ in range(r.randrange(0, 4)):
            args.append(r.choice([self.expr(), self.expr(), "*" + self.expr(BOR), self.name() + ":=" + self.expr()]))
        dstar = False
        for _ in range(r.randrange(0, 3)):
            a = r.choice([self.name() + "=" + self.expr(), "**" + self.expr(BOR)] + ([] if dstar else ["*" + self.expr(BOR)]))
            dstar = dstar or a.startswith("**")
            args.append(a)
        return ", ".join(args) + (", " if args and self.chance(0.2) else "")

    def subscript(self):
        r = self.r
        k = r.choice(["one", "walrus", "tuple", "star"])
        if k == "one":
            return self.expr()
        if k == "walrus":
            return self.name() + " := " + self.expr()
        if k == "star":
            return "*" + self.expr(r.choice([BOR, OR, LAMBDA])) + r.choice(["", ",", ", " + self.expr()])
        return ", ".join(r.choice([self.expr(), self.slice(), "*" + self.expr(BOR)]) for _ in range(r.randrange(1, 4))) + \
            r.choice(["", ","])

    def slice(self):
        r = self.r
        lo = self.expr() if self.chance(0.6) else ""
        hi = self.expr() if self.chance(0.6) else ""
        s = lo + ":" + hi
        if self.chance(0.4):
            s += ":" + (self.expr() if self.chance(0.6) else "")
        return s

    def display(self):
        r = self.r
        k = r.choice(["list", "tuple", "set", "dict"])
        items = [r.choice([self.expr(WALRUS), self.expr(), "*" + self.expr(BOR)]) for _ in range(r.randrange(0 if k != "set" else 1, 4))]
        if k == "list":
            return "[" + ", ".join(items) + "]"
        if k == "tuple":
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if k == "set":
            return "{" + ", ".join(items) + "}"
        kv = [r.choice(["%s: %s" % (self.expr(), self.expr()), "**" + self.expr(BOR)]) for _ in range(r.randrange(0, 4))]
        return "{" + ", ".join(kv) + "}"

    def comp_for(self):
        r = self.r
        s = " async for " if self.in_async and self.chance(0.3) else " for "
        s += self.targets() + " in " + self.expr(OR)
        for _ in range(r.randrange(0, 2)):
            s += " if " + self.expr(OR)
        return s

    def comprehension(self):
        r = self.r
        clauses = "".join(self.comp_for() for _ in range(r.randrange(1, 3)))
        k = r.choice(["list", "set", "dict", "gen"])
        if k == "dict":
            return "{%s: %s%s}" % (self.expr(), self.expr(), clauses)
        elt = self.expr(WALRUS)
        return {"list": "[%s%s]", "set": "{%s%s}", "gen": "(%s%s)"}[k] % (elt, clauses)

    def star_exprs(self):
        r = self.r
        items = [r.choice([self.expr(), self.expr(), "*" + self.expr(BOR)]) for _ in range(r.randrange(1, 3))]
        if len(items) == 1 and items[0].startswith("*"):
            items.append(self.expr())
        return ", ".join(items) + ("," if self.chance(0.15) else "")

    def target(self):
        r = self.r
        k = r.choice(["name", "name", "attr", "sub", "tuple", "list"])
        if k == "name":
            return self.name()
        if k == "attr":
            return self.primary() + "." + self.name()
        if k == "sub":
            return self.primary() + "[" + r.choice([self.subscript(), self.slice()]) + "]"
        inner = ", ".join(r.choice([self.name(), "*" + self.name(), self.name() + ".x"]) for _ in range(r.randrange(1, 3)))
        return ("(%s,)" if k == "tuple" else "[%s]") % inner

    def targets(self):
        ts = [self.target() for _ in range(self.r.randrange(1, 3))]
        return ", ".join(ts)

    def params(self, lam=False):
        r = self.r
        out = []
        names = iter(["p%d" % i for i in range(20)])

        def one(default=False):
            n = next(names)
            if not lam and self.chance(0.4):
                n += ": " + self.expr()
            if default:
                n += ("=" if lam or ":" not in n else " = ") + self.expr()
            return n
        pos = [one() for _ in range(r.randrange(0, 3))]
        dflt = [one(True) for _ in range(r.randrange(0, 2))]
        if pos and self.chance(0.3):
            out = pos + ["/"] + dflt
        else:
            out = pos + dflt
        if self.chance(0.4):
            star = "*" + next(names)
            if not lam and self.chance(0.3):
                star += ": " + r.choice([self.expr(), "*" + self.expr(BOR)])
            out.append(star)
            out += [one(self.chance(0.5)) for _ in range(r.randrange(0, 2))]
        elif self.chance(0.2):
            out += ["*", one(self.chance(0.5))]
        if self.chance(0.3):
            out.append("**" + one())
        s = ", ".join(out)
        if lam:
            return (" " + s) if s else ""
        return s + ("," if s and self.chance(0.1) else "")

    def type_params(self):
        r = self.r
        if not self.chance(0.3):
            return ""
        tps = []
        for i in range(r.randrange(1, 4)):
            k = r.choice(["T", "T", "*", "**"])
            n = "T%d" % i
            if k == "T":
                if self.chance(0.3):
                    n += ": " + self.expr()
                if self.chance(0.3):
                    n += " = " + self.expr()
                tps.append(n)
            else:
                tps.append(k + n + (" = " + ("*" if k == "*" and self.chance(0.5) else "") + self.expr(BOR)
                                    if self.chance(0.3) else ""))
        return "[" + ", ".join(tps) + "]"

    # ---------------------------------------------------------------- patterns
    def pattern(self, depth=0):
        r = self.r
        k = r.choice(["lit", "capture", "wild", "value", "group", "seq", "map", "cls", "or", "as"] if depth < 3
                     else ["lit", "capture", "wild", "value"])
        if k == "lit":
            return r.choice(["1", "-1", "1.5", "-2j", "1 + 2j", "-1 - 2.5j", "None", "True", "False", '"s"',
                             "b'x'", "'a' 'b'", "0x1f"])
        if k == "capture":
            return r.choice(["a", "rest", "match", "case", "type"])
        if k == "wild":
            return "_"
        if k == "value":
            return r.choice(["a.b", "Color.RED", "x.y.z"])
        if k == "group":
            return "(" + self.pattern(depth + 1) + ")"
        if k == "seq":
            items = [self.pattern(depth + 1) for _ in range(r.randrange(0, 3))]
            if self.chance(0.4):
                items.insert(r.randrange(len(items) + 1), r.choice(["*rest", "*_"]))
            if r.choice([True, False]):
                return "[" + ", ".join(items) + "]"
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        if k == "map":
            items = ["%s: %s" % (r.choice(['"k"', "1", "a.b", "None", "-1"]), self.pattern(depth + 1))
                     for _ in range(r.randrange(0, 3))]
            if self.chance(0.3):
                items.append("**rest")
            return "{" + ", ".join(items) + "}"
        if k == "cls":
            pos = [self.pattern(depth + 1) for _ in range(r.randrange(0, 2))]
            kw = ["%s=%s" % (r.choice(["x", "y"]), self.pattern(depth + 1)) for _ in range(r.randrange(0, 2))]
            return r.choice(["Point", "a.B", "int"]) + "(" + ", ".join(pos + kw) + ")"
        if k == "or":
            return " | ".join(self.pattern(3) for _ in range(r.randrange(2, 4)))
        return self.pattern(3) + " as " + r.choice(["n", "m"])

    # ---------------------------------------------------------------- statements
    def line(self, s):
        return "    " * self.indent + s + "\n"

    def block(self):
        self.indent += 1
        body = "".join(self.stmt() for _ in range(self.r.randrange(1, 3)))
        self.indent -= 1
        return body

    def simple(self):
        r = self.r
        k = r.choice(["expr", "assign", "aug", "ann", "del", "pass", "return", "raise", "assert", "import",
                      "from", "global", "type", "break"])
        if k == "expr":
            return self.star_exprs()
        if k == "assign":
            value = r.choice([self.star_exprs(), self.expr()] + (["yield " + self.expr()] if self.in_func else []))
            return " = ".join([self.targets() for _ in range(r.randrange(1, 3))] + [value])
        if k == "aug":
            return "%s %s= %s" % (r.choice([self.name(), self.primary() + "." + self.name()]),
                                  r.choice(["+", "-", "*", "/", "//", "%", "**", ">>", "<<", "&", "^", "|", "@"]), self.expr())
        if k == "ann":
            t = r.choice([self.name(), "(" + self.name() + ")", self.primary() + ".a", self.primary() + "[0]"])
            return t + ": " + self.expr() + ((" = " + self.star_exprs()) if self.chance(0.6) else "")
        if k == "del":
            return "del " + ", ".join(r.choice([self.name(), self.primary() + ".a", self.primary() + "[" + self.slice() + "]",
                                                "(" + self.name() + ", " + self.name() + ")"]) for _ in range(r.randrange(1, 3)))
        if k == "pass":
            return r.choice(["pass", "..."])
        if k == "return":
            return "return" + ((" " + self.star_exprs()) if self.chance(0.7) else "")
        if k == "raise":
            return r.choice(["raise", "raise " + self.expr(), "raise %s from %s" % (self.expr(), self.expr())])
        if k == "assert":
            return "assert " + self.expr() + ((", " + self.expr()) if self.chance(0.5) else "")
        if k == "import":
            return "import " + ", ".join(r.choice(["os", "a.b.c", "x as y", "a.b as c"]) for _ in range(r.randrange(1, 3)))
        if k == "from":
            return r.choice(["from . import a", "from .. x import (a as b, c,)", "from a.b import *",
                             "from ...m import n as o, p", "from .m import (q)"])
        if k == "global":
            return r.choice(["global", "nonlocal"]) + " " + ", ".join(r.sample(["a", "b", "x", "match"], r.randrange(1, 3)))
        if k == "type":
            return "type %s%s = %s" % (r.choice(["X", "match", "type"]), self.type_params(), self.expr())
        return r.choice(["break", "continue"])

    def stmt(self):
        r = self.r
        if self.indent >= 3 or self.chance(0.5):
            n = r.randrange(1, 3)
            return self.line("; ".join(self.simple() for _ in range(n)) + (";" if self.chance(0.1) else ""))
        k = r.choice(["if", "while", "for", "try", "with", "def", "class", "match"])
        if k == "if":
            s = self.line("if %s:" % self.expr(WALRUS)) + self.block()
            for _ in range(r.randrange(0, 2)):
                s += self.line("elif %s:" % self.expr(WALRUS)) + self.block()
            if self.chance(0.4):
                s += self.line("else:") + self.block()
            return s
        if k == "while":
            s = self.line("while %s:" % self.expr(WALRUS)) + self.block()
            return s + (self.line("else:") + self.block() if self.chance(0.3) else "")
        if k == "for":
            a = "async " if self.in_async and self.chance(0.3) else ""
            s = self.line("%sfor %s in %s:" % (a, self.targets(), self.star_exprs())) + self.block()
            return s + (self.line("else:") + self.block() if self.chance(0.3) else "")
        if k == "try":
            s = self.line("try:") + self.block()
            star = "*" if self.chance(0.3) else ""
            n = r.randrange(0 if self.chance(0.3) else 1, 3)
            for i in range(n):
                what = r.choice(["", " " + self.expr(), " %s as e" % self.expr(), " (A, B) as e"])
                if star and not what:
                    what = " E"
                s += self.line("except%s%s:" % (star, what)) + self.block()
            if n and self.chance(0.3):
                s += self.line("else:") + self.block()
            if not n or self.chance(0.3):
                s += self.line("finally:") + self.block()
            return s
        if k == "with":
            a = "async " if self.in_async and self.chance(0.3) else ""
            items = [self.expr() + ((" as " + self.target()) if self.chance(0.5) else "") for _ in range(r.randrange(1, 3))]
            head = ", ".join(items)
            if self.chance(0.3):
                head = "(" + head + ("," if self.chance(0.5) else "") + ")"
            return self.line("%swith %s:" % (a, head)) + self.block()
        if k == "def":
            s = "".join(self.line("@" + self.expr(WALRUS)) for _ in range(r.randrange(0, 2)))
            is_async = self.chance(0.3)
            head = "%sdef %s%s(%s)%s:" % ("async " if is_async else "", r.choice(["f", "match", "g"]), self.type_params(),
                                           self.params(), (" -> " + self.expr()) if self.chance(0.3) else "")
            saved = self.in_async, self.in_func
            self.in_async, self.in_func = is_async, True
            s += self.line(head) + self.block()
            self.in_async, self.in_func = saved
            return s
        if k == "class":
            s = "".join(self.line("@" + self.expr(WALRUS)) for _ in range(r.randrange(0, 2)))
            args = self.call_args() if self.chance(0.5) else None
            if args and " for " in args:
                args = self.name()
            saved = self.in_async, self.in_func
            self.in_async = self.in_func = False
            s += self.line("class C%s%s:" % (self.type_params(), "" if args is None else "(" + args + ")")) + self.block()
            self.in_async, self.in_func = saved
            return s
        subject = r.choice([self.expr(WALRUS), self.star_exprs(), "*" + self.expr(BOR) + ", " + self.expr()])
        s = self.line("match %s:" % subject)
        self.indent += 1
        for _ in range(r.randrange(1, 3)):
            pat = self.pattern()
            if self.chance(0.2):
                pat = pat + ", " + r.choice(["*rest", self.pattern(2)])
            guard = (" if " + self.expr(WALRUS)) if self.chance(0.3) else ""
            s += self.line("case %s%s:" % (pat, guard)) + self.block()
        self.indent -= 1
        return s

    def program(self):
        return "".join(self.stmt() for _ in range(self.r.randrange(1, 3)))


def oracle_dump(src):
    """CPython's dump of src (as `cpyc ast` prints it), or None when it does not parse."""
    try:
        tree = ast.parse(src.encode("utf-8"), "<gen>")
        return ast.dump(tree, include_attributes=True, indent=1) + "\n"
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def programs(count, seed):
    """Yields (number, source, dump) for `count` programs CPython accepts."""
    n = made = 0
    while made < count:
        g = Gen(random.Random("%d/%d" % (seed, n)))
        n += 1
        src = g.program()
        if any(l.startswith("===") for l in src.split("\n")):
            continue
        want = oracle_dump(src)
        if want is None:
            continue
        made += 1
        yield n - 1, src, want


def cpyc_dump(cpyc, path):
    r = subprocess.run([cpyc, "ast", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode:
        return None, r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
    return r.stdout.decode("utf-8", "surrogatepass"), None


def campaign(args):
    warnings.simplefilter("ignore")
    total = same = 0
    shown = 0
    with tempfile.TemporaryDirectory(prefix="cpyc-gen-") as tmp, ThreadPoolExecutor(args.jobs) as ex:
        batch = []

        def flush():
            nonlocal total, same, shown
            paths = []
            for n, src, want in batch:
                p = os.path.join(tmp, "%d.py" % n)
                with open(p, "w", encoding="utf-8") as f:
                    f.write(src)
                paths.append(p)
            for (n, src, want), (got, err) in zip(batch, ex.map(lambda p: cpyc_dump(args.cpyc, p), paths)):
                total += 1
                if got == want:
                    same += 1
                    continue
                if shown < args.show:
                    shown += 1
                    if got is None:
                        print("MISS #%d: cpyc rejects it: %s\n%s" % (n, err, src))
                    else:
                        a, b = want.splitlines(), got.splitlines()
                        k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                        print("MISS #%d: dump line %d: want %r got %r\n%s" % (
                            n, k + 1, a[k] if k < len(a) else "<end>", b[k] if k < len(b) else "<end>", src))
            for p in paths:
                os.unlink(p)
            batch.clear()
        for item in programs(args.count, args.seed):
            batch.append(item)
            if len(batch) == 200:
                flush()
        flush()
    print("generated programs (seed %d): %d of %d dumps identical to CPython's" % (args.seed, same, total))
    return 0 if same == total else 1


def sample(args):
    warnings.simplefilter("ignore")
    rows = list(programs(args.count, args.seed))
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        for n, src, want in rows:
            f.write("=== gen%05d\t%s\n" % (n, hashlib.md5(want.encode("utf-8", "surrogatepass")).hexdigest()))
            f.write(src)
    print("%d programs written to %s (seed %d; CPython %s)" % (len(rows), args.out, args.seed, sys.version.split()[0]))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["campaign", "sample", "show"])
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--cpyc", default=os.path.join(ROOT, "build", "cpyc"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "ast", "generated.txt"))
    args = ap.parse_args()
    if args.mode == "show":
        warnings.simplefilter("ignore")
        for n, src, want in programs(args.count, args.seed):
            print("# program %d\n%s" % (n, src))
        return 0
    return campaign(args) if args.mode == "campaign" else sample(args)


if __name__ == "__main__":
    sys.exit(main())
