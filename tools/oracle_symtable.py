"""The oracle's symbol tables, for tests/stages/symtable.sh: reads "SOURCE<TAB>OUT" lines on
stdin and writes to OUT what `python -m symtable SOURCE` prints (Lib/symtable.py's main), or
with --raw what `cpyc symtable --raw` prints (every block's type, name, line, nested flag,
parameters and whole symbol flags, from _symtable), or with --error-tsv the SyntaxError as
TYPE<TAB>LINE<TAB>OFFSET<TAB>MESSAGE. Prints "ok" or "error" per line. Run with
PYTHONHASHSEED=0 (set order decides the order of some symbols)."""
import contextlib
import sys
import symtable
import _symtable


def raw(table, level, out):
    pad = "  " * level
    params = "".join(" " + repr(v) for v in table.varnames)
    out.write(f"{pad}{table.type} {table.name!r} line {table.lineno} nested {int(bool(table.nested))} params{params}\n")
    for name, flags in table.symbols.items():
        out.write(f"{pad}  {name!r} {flags}\n")
    for child in table.children:
        raw(child, level + 1, out)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    for line in sys.stdin:
        src, out = line.rstrip("\n").split("\t")
        with open(out, "w", encoding="utf-8") as f:
            try:
                if mode == "--raw":
                    with open(src, "rb") as g:
                        raw(_symtable.symtable(g.read(), src, "exec"), 0, f)
                else:
                    with contextlib.redirect_stdout(f):
                        symtable.main([src])
                print("ok", flush=True)
            except (SyntaxError, RecursionError) as e:
                f.seek(0)
                f.truncate()
                if mode == "--error-tsv" or mode == "--raw":
                    if isinstance(e, SyntaxError):
                        msg = str(e.msg).replace("\n", " ").replace("\t", " ")
                        f.write(f"{type(e).__name__}\t{e.lineno}\t{e.offset}\t{msg}\n")
                    else:
                        f.write(f"{type(e).__name__}\tNone\tNone\t{e}\n")
                print("error", flush=True)


main()
