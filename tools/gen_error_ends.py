"""Generates tests/ast/error_ends.txt: the programs of tests/ast/errors.txt, each also indented
inside a function and with a comment after its last line, with the whole place CPython 3.13
gives their SyntaxError: line, offset, end line and end offset (the span a traceback underlines
with carets, which compileall and py_compile print). The ends depend on how far CPython's
tokenizer had read (errors raised "from a token on" end where it stands) and on the extent of
each token (NEWLINE's spans its comment and its newline), so the variants move them.
Run with the oracle:  $(bash tools/oracle_python.sh 3.13) tools/gen_error_ends.py

Format: a header line "=== NAME<TAB>TYPE<TAB>LINE<TAB>OFFSET<TAB>END_LINE<TAB>END_OFFSET<TAB>MESSAGE"
and then the program's lines, as `cpyc ast --error-tsv-ends` prints the first line. Only
SyntaxError and its subclasses are kept (they have a place).
"""
import ast
import os
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def programs():
    """(name, source) of each program of tests/ast/errors.txt."""
    name, lines = None, []
    with open(os.path.join(ROOT, "tests", "ast", "errors.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("=== "):
                if name is not None:
                    yield name, "".join(lines)
                name, lines = line[4:].split("\t", 1)[0], []
            else:
                lines.append(line)
    if name is not None:
        yield name, "".join(lines)


def variants(src):
    lines = src.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    yield "", src
    yield "-def", "def f():\n" + "".join("    " + l + "\n" for l in lines)
    if lines:
        yield "-comment", "\n".join(lines[:-1] + [lines[-1] + "  # note"]) + "\n"


def main():
    warnings.simplefilter("ignore")
    rows = []
    for name, src in programs():
        for suffix, prog in variants(src):
            try:
                ast.parse(prog.encode("utf-8"), "<test>")
                continue
            except SyntaxError as e:
                if any(l.startswith("===") for l in prog.splitlines()):
                    continue
                msg = str(e.msg).replace("\n", " ").replace("\t", " ")
                rows.append((name + suffix, type(e).__name__, e.lineno, e.offset, e.end_lineno,
                             e.end_offset, msg, prog))
            except (ValueError, MemoryError, RecursionError, UnicodeDecodeError):
                continue
    with open(os.path.join(ROOT, "tests", "ast", "error_ends.txt"), "w", encoding="utf-8") as f:
        for row in rows:
            f.write("=== %s\t%s\t%s\t%s\t%s\t%s\t%s\n" % row[:7])
            prog = row[7]
            f.write(prog if prog.endswith("\n") else prog + "\n")
    print("%d programs" % len(rows))


main()
