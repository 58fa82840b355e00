"""The oracle's symbol tables, for tests/stages/symtable.sh: reads "SOURCE<TAB>OUT" lines on
stdin and writes to OUT what `python -m symtable SOURCE` prints (Lib/symtable.py's main), or
with --raw what `cpyc symtable --raw` prints (every block's type, name, line, nested flag,
parameters and whole symbol flags, from _symtable), with --code what `cpyc symtable --code`
prints (per code object of compile(): name, first line, the co_flags scopes decide, cell
and free variables, parameters), or with --error-tsv the SyntaxError as
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


FLAG_MASK = 0x2BF   # the co_flags the symbol table decides (no future or docstring bits)


def code(co, out):
    n = co.co_argcount + co.co_kwonlyargcount + bool(co.co_flags & 4) + bool(co.co_flags & 8)
    names = co.co_varnames[:n]
    if co.co_name.startswith("<generic parameters of "):   # .defaults is a local if none
        names = [v for v in co.co_varnames[:2] if v in (".defaults", ".kwdefaults")]
    params = "".join(" " + repr(v) for v in names)
    out.write(f"{co.co_name!r} line {co.co_firstlineno} flags {co.co_flags & FLAG_MASK} "
              f"cells {sorted(co.co_cellvars)!r} frees {sorted(co.co_freevars)!r} params{params}\n")
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            code(c, out)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    for line in sys.stdin:
        src, out = line.rstrip("\n").split("\t")
        with open(out, "w", encoding="utf-8") as f:
            try:
                if mode == "--code":
                    with open(src, "rb") as g:
                        code(compile(g.read(), src, "exec", dont_inherit=True), f)
                elif mode == "--raw":
                    with open(src, "rb") as g:
                        raw(_symtable.symtable(g.read(), src, "exec"), 0, f)
                else:
                    with contextlib.redirect_stdout(f):
                        symtable.main([src])
                print("ok", flush=True)
            except (SyntaxError, RecursionError) as e:
                f.seek(0)
                f.truncate()
                if mode in ("--error-tsv", "--raw", "--code"):
                    if isinstance(e, SyntaxError):
                        msg = str(e.msg).replace("\n", " ").replace("\t", " ")
                        f.write(f"{type(e).__name__}\t{e.lineno}\t{e.offset}\t{msg}\n")
                    else:
                        f.write(f"{type(e).__name__}\tNone\tNone\t{e}\n")
                print("error", flush=True)


main()
