"""The CFG stage of CPython 3.13 as plain text, for `cpyc cfg-test` to be compared with.

    python3.13 tools/oracle_cfg.py codegen FILE   # each code unit's codegen sequence + metadata
    python3.13 tools/oracle_cfg.py opt FILE       # _testinternalcapi.optimize_cfg of each unit
    python3.13 tools/oracle_cfg.py final FILE     # the instructions of the real code objects
    python3.13 tools/oracle_cfg.py all FILE DIR   # the three into DIR/{codegen,opt,final}.txt

Units are numbered by nesting ("0", "0.1", "0.1.0"): the module, then the nested sequences
compiler_codegen keeps, matched to the code objects compile() makes (a nested unit the
optimizer drops as dead code has no code object and is left out). compiler_codegen gives the
module's constants only; a nested unit's are rebuilt from its code object: optimize_cfg runs
once with a placeholder per constant, the placeholders that survive (alone or in folded
tuples) are matched to co_consts, and the rest (dropped by the optimizer) stay placeholders
("?" in the text). optimize_cfg is CPython's test entry: nparams 0 and firstlineno 1.

Format: "unit PATH", then "key value" lines (nlocals, nparams, firstlineno, flags, stacksize,
varnames/cellvars/freevars as hex names), "consts N" and one constant per line, "instrs N"
and one "OPNAME ARG LINE ENDLINE COL ENDCOL [eh TARGET DEPTH LASTI]" per line (ARG "-" when
the opcode has none; jump arguments are instruction indices; -1 for a missing location)."""
import ast
import dis
import opcode
import os
import sys
import _testinternalcapi as T

if sys.version_info[:2] != (3, 13):
    sys.exit("oracle_cfg.py: run it with CPython 3.13")

NAMES = {v: k for k, v in opcode.opmap.items()}
HASCONST = {opcode.opmap["LOAD_CONST"], opcode.opmap["RETURN_CONST"]}


class Placeholder:
    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i


def hexname(s):
    return s.encode("utf-8", "surrogatepass").hex() or "-"


def const_text(v):
    if isinstance(v, Placeholder): return "?:%d" % v.i
    if v is None: return "N"
    if v is True: return "T"
    if v is False: return "F"
    if v is Ellipsis: return "E"
    t = type(v)
    if t is int: return "i:%x" % v
    if t is float: return "f:" + v.hex()
    if t is complex: return "c:%s:%s" % (v.real.hex(), v.imag.hex())
    if t is str: return "s:" + v.encode("utf-8", "surrogatepass").hex()
    if t is bytes: return "b:" + v.hex()
    if t is tuple: return " ".join(["t:%d" % len(v)] + [const_text(x) for x in v])
    if t is frozenset: return " ".join(["z:%d" % len(v)] + [const_text(x) for x in v])
    if t is type((lambda: 0).__code__): return "C:" + hexname(v.co_qualname)
    raise TypeError("constant of type %s" % t.__name__)


def instr_text(op, arg, loc, eh=None):
    a = "-" if arg is None else str(arg)
    s = "%s %s %s" % (NAMES[op], a, " ".join("-1" if x is None else str(x) for x in loc))
    if eh:
        s += " eh %d %d %d" % eh
    return s


def seq_lines(seq, lines):
    insts = seq.get_instructions()
    lines.append("instrs %d" % len(insts))
    lines.extend(instr_text(op, arg, (l, el, c, ec)) for op, arg, l, el, c, ec in insts)


def nparams_of(code):
    f = code.co_flags
    return code.co_argcount + code.co_kwonlyargcount + bool(f & 4) + bool(f & 8)


def cell_order(code):
    """u_cellvars as codegen numbers them: sorted names, then __class__, __classdict__."""
    special = [n for n in ("__class__", "__classdict__") if n in code.co_cellvars]
    return sorted(n for n in code.co_cellvars if n not in special) + special


def recover(pattern, value, out):
    """Matches optimize_cfg's constant (placeholders inside) with the real one."""
    if isinstance(pattern, Placeholder):
        out[pattern.i] = value
    elif type(pattern) is tuple and type(value) is tuple and len(pattern) == len(value):
        for p, v in zip(pattern, value):
            recover(p, v, out)


def nested_consts(seq, code):
    insts = seq.get_instructions()
    n = 1 + max([arg for op, arg, *_ in insts if op in HASCONST] + [0])
    probe = [Placeholder(i) for i in range(n)]
    T.optimize_cfg(seq, probe, code.co_nlocals)
    found = {}
    if len(probe) == len(code.co_consts):
        for p, v in zip(probe, code.co_consts):
            recover(p, v, found)
    return [found.get(i, Placeholder(i)) for i in range(n)], len(found) < n


class Unit:
    def __init__(self, path, seq, code, consts, approx):
        self.path, self.seq, self.code, self.consts, self.approx = path, seq, code, consts, approx


def units_of(src, filename):
    tree = ast.parse(src, filename)
    seq, meta = T.compiler_codegen(tree, filename, 0)
    code = compile(src, filename, "exec", dont_inherit=True)
    consts = [None] * len(meta["consts"])
    for k, i in meta["consts"].items():
        consts[i] = k[1] if type(k) is tuple else k
    out = [Unit("0", seq, code, consts, False)]

    def walk(path, seq, code):
        kids = [c for c in code.co_consts if type(c) is type(code)]
        k = 0
        for j, sub in enumerate(seq.get_nested()):
            insts = sub.get_instructions()
            line = insts[0][2] if insts else None
            while k < len(kids) and kids[k].co_firstlineno != line:
                k += 1
            if k == len(kids):
                continue   # dead: its code object was dropped with the code that made it
            sub_code = kids[k]
            k += 1
            p = "%s.%d" % (path, j)
            cs, approx = nested_consts(sub, sub_code)
            out.append(Unit(p, sub, sub_code, cs, approx))
            walk(p, sub, sub_code)

    walk("0", seq, code)
    return out


def header(u, lines):
    c = u.code
    lines.append("unit " + u.path)
    lines.append("nlocals %d" % c.co_nlocals)
    lines.append("nparams %d" % nparams_of(c))
    lines.append("firstlineno %d" % c.co_firstlineno)
    lines.append("flags %d" % c.co_flags)
    for key, names in (("varnames", c.co_varnames), ("cellvars", cell_order(c)),
                       ("freevars", c.co_freevars)):
        lines.append(" ".join([key] + [hexname(n) for n in names]))


def consts_lines(consts, lines):
    lines.append("consts %d" % len(consts))
    lines.extend(const_text(v) for v in consts)


def codegen_text(units):
    lines = []
    for u in units:
        header(u, lines)
        if u.approx:
            lines.append("approx")
        consts_lines(u.consts, lines)
        seq_lines(u.seq, lines)
    return lines


def opt_text(units):
    lines = []
    for u in units:
        consts = list(u.consts)
        res = T.optimize_cfg(u.seq, consts, u.code.co_nlocals)
        lines.append("unit " + u.path)
        consts_lines(consts, lines)
        seq_lines(res, lines)
    return lines


def final_text(units):
    lines = []
    for u in units:
        c = u.code
        ins = [i for i in dis.get_instructions(c) if i.opname != "EXTENDED_ARG"]
        index = {}
        for k, i in enumerate(ins):
            index[i.offset] = k
        # an EXTENDED_ARG's offset is its instruction's
        for i in dis.get_instructions(c):
            if i.opname == "EXTENDED_ARG":
                index[i.offset] = None
        pending = []
        for off in sorted(index):
            if index[off] is None:
                pending.append(off)
            else:
                for p in pending:
                    index[p] = index[off]
                pending = []
        table = dis._parse_exception_table(c)
        lines.append("unit " + u.path)
        lines.append("stacksize %d" % c.co_stacksize)
        nplus = len(c.co_varnames) + len(c.co_freevars) + \
            len([n for n in c.co_cellvars if n not in c.co_varnames])
        lines.append("nlocalsplus %d" % nplus)
        consts_lines(c.co_consts, lines)
        lines.append("instrs %d" % len(ins))
        for i in ins:
            eh = None
            for e in table:
                if e.start <= i.offset < e.end:
                    eh = (index[e.target], e.depth, int(e.lasti))
                    break
            arg = i.arg
            if i.opcode in dis.hasjump:
                arg = index[i.argval]
            p = i.positions
            lines.append(instr_text(i.opcode, arg, (p.lineno, p.end_lineno, p.col_offset,
                                                    p.end_col_offset), eh))
    return lines


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        src = f.read()
    units = units_of(src, path)
    makers = {"codegen": codegen_text, "opt": opt_text, "final": final_text}
    if cmd == "all":
        outdir = sys.argv[3]
        for name, fn in makers.items():
            with open(os.path.join(outdir, name + ".txt"), "w") as f:
                f.write("\n".join(fn(units)) + "\n")
    else:
        sys.stdout.write("\n".join(makers[cmd](units)) + "\n")


if __name__ == "__main__":
    main()
