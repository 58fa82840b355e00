"""Generates the invalid-source suite of the tokenizer: tests/tokenize/invalid/NNN.py and
tests/tokenize/invalid.golden, whose lines are
    NNN.py <TAB> check <TAB> what compile(source, 'NNN.py', 'exec') raises
    NNN.py <TAB> tokenize <TAB> what `python -m tokenize` writes to stderr ("ok" when nothing)
Run from the repository root with the oracle:
    $(bash tools/oracle_python.sh 3.13) tests/tokenize/make_cases.py
"""
import io
import os
import sys
import tokenize
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tools"))


def cases():
    c = []
    add = c.append
    # indentation
    add(b"if x:\n  y\n z\n")
    add(b"if x:\n    y\n  z\n")
    add(b"if x:\n\ty\n        z\n")
    add(b"if x:\n        y\n\tz\n")
    add(b"if x:\n \ty\n\t z\n")
    add(b"def f():\n\tif x:\n\t\ty\n  \tz\n")
    add(b"class C:\n    def f(self):\n        pass\n   x = 1\n")
    add(b"if x:\n  \\\n y\n z\n")
    add(b"if x:\n    y = (1,\n2)\n  z\n")
    src = b""
    for i in range(100):
        src += b" " * i + b"if x:\n"
    src += b" " * 100 + b"pass\n"
    add(src)
    # unterminated strings, every prefix
    prefixes = ["", "b", "r", "u", "f", "rb", "br", "fr", "rf", "B", "R", "U", "F", "Rb", "bR", "fR", "Rf", "RB", "FR"]
    for p in prefixes:
        for q in ["'", '"']:
            add(("x = %s%sabc\n" % (p, q)).encode())
            add(("x = %s%s%s%sabc\n\n" % (p, q, q, q)).encode())
        add(("y = 1\nx = %s'abc\\\n" % p).encode())
        add(("x = [%s\"\"\"a\nb\nc\n" % p).encode())
        add(("x = %s'ab\\'c\n" % p).encode())
        add(("x = %s'ab\\'\n" % p).encode())
    # f-strings
    for s in [b'f"}"', b'f"{"', b'f"{x"', b'f"{x!"', b'f"a}b"', b"f'{x:{y:{z:{w}}}}'", b'f"{x:\n}"',
              b'f"{x\n', b"f'{a['b']}", b'f"{)}"', b'f"{x)}"', b'f"{[}"', b"f'''{x\n",
              b'f"{x}}"', b'f"{{}"', b'f"{x!r"', b'x = f"abc\n', b"x = f'''abc\n", b'f"{f"{f"{"}"}"}"',
              b'f"\\N{x}}"', b'rf"{x}}"', b'f"{x:}}"', b'f"{x:{y}}}"', b'f"{1:\'}"', b"f'{x:\\'}'"]:
        add(b"x = " + s + b"\n")
    add(b"x = " + b'f"{' * 150 + b'1' + b'}"' * 150 + b"\n")
    add(b"x = " + b'f"{' * 149 + b'1' + b'}"' * 149 + b"\n")
    # numbers
    for n in ["0x", "0xg", "0x_", "0x1_", "0x__1", "0o", "0o8", "0o18", "0o_", "0o1_", "0b", "0b2", "0b12",
              "0b_", "0b1_", "1_", "1__0", "1_a", "1a", "1abc", "1.5a", "1.5e", "1e", "1e+", "1e-x", "1.e5x",
              "1jx", "1.5jk", "0777", "00777", "0_7", "0_", "09", "012.5x", "1_000_", "0x1g", "0o7a", "0b1a",
              "1e1_", "1.0_", "1_.0", ".5_", "5.e", "0e", "0j_", "1__", "0.", "1.__1", "0xx",
              "1ee1", "12L", "0O1_8", "1elf", "1andx", "1andy", "1or2", "1orx", "1notx", "1elsex", "1fork"]:
        add(("x = %s\n" % n).encode())
    # brackets
    for b in ["x = )", "x = ]", "x = }", "x = (]", "x = [}", "x = {)", "x = (\n]", "x = [1,\n2,\n)",
              "x = (", "x = [", "x = {", "x = (\n\n", "f(a, [b,\n c", "x = {1: (2,\n",
              "x = ((((", "y = 1\nx = [(\n"]:
        add((b + "\n").encode())
    add(b"x = " + b"(" * 201 + b")" * 201 + b"\n")
    add(b"x = " + b"[" * 200 + b"]" * 200 + b"\n")
    add(b"x = " + b"{" * 199 + b"(" * 2 + b"\n")
    # line continuation
    for s in [b"x = 1 \\ 2\n", b"x = \\\n", b"x = \\", b"x = (1 \\ 2)\n", b"\\ x\n", b"x = 1\n\\\n",
              b"if x:\n    \\ y\n", b"x = 1 \\  \n", b"x = \\#\n"]:
        add(s)
    # characters
    for ch in ["\u20ac", "\u00a0", "\u2028", "\u200b", "\u00b7", "\u2160", "\U0001F600",
               "\u0660", "\u037e", "\u00bd", "\u2122", "\u0300", "\uff08", "\u3000", "\u00ab", "\u2019", "\u201c"]:
        add(("x = a%sb\n" % ch).encode())
        add(("x = %s\n" % ch).encode())
    for b in range(1, 32):
        if b not in (9, 10, 12, 13):
            add(b"x = 1" + bytes([b]) + b"\n")
    add(b"x = 1\x7f\n")
    # bad UTF-8 in names
    for s in [b"\xff = 1\n", b"x = a\xc3\n", b"x = 1\ny = 2 \xe9\n", b"\xe9t\xe9 = 1\n", b"x = \xed\xa0\x80\n",
              b"x = \xf0\x9f\x98\n", b"x = \xc0\xaf\n"]:
        add(s)
    # decoding
    for s in [b"x = 1\0\n", b"# coding: foo\nx\n", b"\xef\xbb\xbf# coding: latin-1\nx\n",
              b"#!/bin/python\n# -*- coding: nonesuch -*-\n", b"# coding: ascii\nx = 1\n# \xff\n",
              b"\xef\xbb\xbf# coding: utf8\nx = 1\n", b"# vim:fileencoding=bogus\n", b"x\0",
              b"# coding: cp1252\nx = '\x81'\n", b"# coding: euc-jp\nx = '\xa4'\n", b"# coding: utf8\nx = 1 # \xff\n",
              b"# coding: shift_jis\nx = '\x82\xa0\x82'\n", b"# coding: koi8-r\n\xc1 = 1\n", b"# coding: latin-1\n\xe9 = 1\n",
              b"# coding: latin-1\n\xd7 = 1\n", b"# -*- coding: iso-8859-15 -*-\nx = '\xa4'\ny = (\n",
              b"#!/usr/bin/env python\n# coding: ascii\nx = 1\n\xe9\n", b"x = 1 # coding: latin-1\n\xe9 = 1\n",
              b"\n\n# coding: latin-1\n\xe9 = 1\n", b"# coding: utf-8\n\xe9 = 1\n"]:
        add(s)
    return c


def compile_error(path, data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(data, path, "exec")
        except SyntaxError as e:
            def n(v):
                return "None" if v is None else str(v)
            return "%s: %s (%s, %s, %s, %s)" % (type(e).__name__, e.msg, n(e.lineno), n(e.offset),
                                                n(e.end_lineno), n(e.end_offset))
        except Exception as e:
            return "%s: %s" % (type(e).__name__, e)
    return "ok"


def main():
    import oracle_tokens
    out_dir = os.path.join("tests", "tokenize", "invalid")
    os.makedirs(out_dir, exist_ok=True)
    lines = []
    for i, data in enumerate(cases()):
        name = "%03d.py" % i
        path = os.path.join(out_dir, name)
        with open(path, "wb") as f:
            f.write(data)
        lines.append("%s\tcheck\t%s" % (name, compile_error(path, data).replace("\n", "\\n")))
        _, err = oracle_tokens.render(path, False)
        lines.append("%s\ttokenize\t%s" % (name, err.rstrip("\n").replace("\n", "\\n") or "ok"))
    with open(os.path.join("tests", "tokenize", "invalid.golden"), "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(l + "\n" for l in lines))
    print("%d cases" % len(lines))


main()
