"""Writes src/targets/py3_N_opcodes.c: the opcode facts `dis` of CPython 3.N uses, read from the
running interpreter's own `dis`/`opcode` modules. Run it once with each oracle:

    $(bash tools/oracle_python.sh 3.13) tools/gen_opcodes.py

For every byte value it records the name dis prints, the base op it deoptimizes to, the number
of inline cache entries and the named fields they hold (opcode._cache_format), and how dis turns the argument into text (one of the DisArgKind names
in src/targets/targets.h). The name tables BINARY_OP, COMPARE_OP and CALL_INTRINSIC_* index are
copied as they are.
"""
import dis
import opcode
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
V = sys.version_info[:2]
TAG = "%d_%d" % V

all_opname = getattr(dis, "_all_opname", dis.opname)
all_opmap = getattr(dis, "_all_opmap", dis.opmap)


def deopt(op):
    if hasattr(dis, "_deoptop"):
        return dis._deoptop(op)
    return op


def cache_entries(op):
    table = getattr(opcode, "_inline_cache_entries", None)
    if table is None:
        return 0
    if isinstance(table, dict):
        return table.get(all_opname[op], 0)
    return table[op] if op < len(table) else 0


def cache_format(op):
    """The named fields of op's inline cache, in order: [(name, entries)]; their sizes add up
    to cache_entries(op) (checked)."""
    fmt = list(getattr(opcode, "_cache_format", {}).get(all_opname[op], {}).items())
    if sum(size for _, size in fmt) != cache_entries(op):
        sys.exit("%s: cache format %r does not cover its %d entries" % (all_opname[op], fmt,
                                                                       cache_entries(op)))
    return fmt


def has_arg(op):
    if hasattr(dis, "hasarg"):
        return op in dis.hasarg
    return op >= opcode.HAVE_ARGUMENT


def backward(op):
    if hasattr(dis, "_is_backward_jump"):
        return bool(dis._is_backward_jump(op))
    return False


def in_list(op, name):
    return op in getattr(dis, name, ())


def arg_kind(op):
    """Mirrors the order in which this version's dis tests the argument's meaning."""
    if not has_arg(op):
        return "DA_NONE"
    name = all_opname[op]
    if in_list(op, "hasconst"):
        # 3.11 resolves only LOAD_CONST; its other const ops (KW_NAMES) print the number alone
        probe = getattr(dis, "_get_const_value", None)
        if probe and probe(op, 0, ("probe",)) is getattr(dis, "UNKNOWN", None):
            return "DA_RAW"
        return "DA_CONST"
    if in_list(op, "hasname"):
        if V >= (3, 11) and name == "LOAD_GLOBAL":
            return "DA_GLOBAL"
        if V >= (3, 12) and name == "LOAD_ATTR":
            return "DA_ATTR"
        if V >= (3, 12) and name == "LOAD_SUPER_ATTR":
            return "DA_SUPER_ATTR"
        return "DA_NAME"
    if in_list(op, "hasjump") or in_list(op, "hasexc"):
        if V >= (3, 13):
            if op in dis.hasjabs:
                return "DA_JABS"
            if op in dis.hasjrel:
                return "DA_JBACK" if backward(op) else "DA_JREL"
            return "DA_RAW"
    if in_list(op, "hasjabs"):
        return "DA_JABS"
    if in_list(op, "hasjrel"):
        return "DA_JBACK" if backward(op) else "DA_JREL"
    if name in ("LOAD_FAST_LOAD_FAST", "STORE_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST"):
        return "DA_LOCAL_PAIR"
    if in_list(op, "haslocal"):
        return "DA_LOCAL"
    if V >= (3, 11) and in_list(op, "hasfree"):
        return "DA_LOCAL"          # 3.11+: an index into the localsplus names, like locals
    if in_list(op, "hascompare"):
        return "DA_COMPARE"
    if in_list(op, "hasfree"):
        return "DA_FREE"
    special = {"FORMAT_VALUE": "DA_FORMAT_VALUE", "MAKE_FUNCTION": "DA_FUNC_FLAGS",
               "SET_FUNCTION_ATTRIBUTE": "DA_FUNC_FLAGS", "CONVERT_VALUE": "DA_CONVERT",
               "BINARY_OP": "DA_BINOP", "CALL_INTRINSIC_1": "DA_INTRINSIC1",
               "CALL_INTRINSIC_2": "DA_INTRINSIC2"}
    if name in special:
        # MAKE_FUNCTION lost its argument in 3.13 (SET_FUNCTION_ATTRIBUTE took the flags)
        return special[name]
    return "DA_RAW"


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def str_table(name, items):
    if not items:
        return "static const char *const %s[1] = {NULL};\n" % name, 0
    body = ",\n".join("    " + c_str(s) for s in items)
    return "static const char *const %s[] = {\n%s,\n};\n" % (name, body), len(items)


def main():
    rows, formats = [], {}
    for op in range(256):
        # dis reads the argument (and the caches) of a specialized instruction as its base's
        fmt = cache_format(deopt(op))
        if fmt and deopt(op) not in formats:
            formats[deopt(op)] = "static const DisCacheField cache_%s[] = {%s, {NULL, 0}};\n" % (
                all_opname[deopt(op)], ", ".join("{%s, %d}" % (c_str(n), k) for n, k in fmt))
        rows.append("    [%d] = {%s, %s, %d, %d, %s}," % (
            op, c_str(all_opname[op]), arg_kind(deopt(op)), cache_entries(deopt(op)), deopt(op),
            "cache_" + all_opname[deopt(op)] if fmt else "NULL"))
    nb = [r for _, r in getattr(opcode, "_nb_ops", ())]
    tables = [str_table("cmp_op", list(dis.cmp_op)), str_table("nb_ops", nb),
              str_table("intrinsic1", list(getattr(opcode, "_intrinsic_1_descs", ()))),
              str_table("intrinsic2", list(getattr(opcode, "_intrinsic_2_descs", ())))]
    flags = getattr(dis, "FUNCTION_ATTR_FLAGS", None) or getattr(dis, "MAKE_FUNCTION_FLAGS")
    tables.append(str_table("func_flags", list(flags)))
    out = []
    out.append("/* py3_%s_opcodes.c - the opcodes of CPython %d.%d as its dis module describes them.\n"
               "   Generated by tools/gen_opcodes.py under CPython %d.%d.%d; do not edit. */\n"
               % (TAG, V[0], V[1], V[0], V[1], sys.version_info[2]))
    out.append('#include "targets.h"\n\n')
    out.extend(formats[op] for op in sorted(formats))
    if formats:
        out.append("\n")
    out.append("static const DisOp ops[256] = {\n" + "\n".join(rows) + "\n};\n\n")
    for text, _ in tables:
        out.append(text + "\n")
    n = [count for _, count in tables]
    out.append("const DisOpcodes cpyc_opcodes_%s = {\n" % TAG)
    out.append("    .ops = ops,\n")
    out.append("    .extended_arg = %d,\n" % dis.opmap["EXTENDED_ARG"])
    for (field, count) in zip(("cmp_op", "nb_ops", "intrinsic1", "intrinsic2", "func_flags"), n):
        out.append("    .%s = %s, .n_%s = %d,\n" % (field, field, field, count))
    out.append("};\n")
    path = os.path.join(ROOT, "src", "targets", "py3_%d_opcodes.c" % V[1])
    with open(path, "w") as f:
        f.write("".join(out))
    print("wrote", path)


main()
