"""Writes src/targets/py3_13_opmeta.c, the 3.13 target's opmeta: CPython 3.13's opcode
metadata as the CFG and the assembler use it (flags, inline cache sizes, stack effects as
functions of oparg), for the opcodes of src/compile/opcode.h. Reads
Include/internal/pycore_opcode_metadata.h (facts: flags, _PyOpcode_Caches,
_PyOpcode_num_popped/num_pushed) and the pseudo-instructions' stack effects of
Python/compile.c's stack_effect (listed below), then checks every effect against the running
interpreter's _opcode.stack_effect. Run it with the 3.13 oracle:

    $(bash tools/oracle_python.sh 3.13) tools/gen_opmeta.py [/tmp/cpy/Python-3.13.5]
"""
import _opcode
import opcode
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.version_info[:2] != (3, 13):
    sys.exit("gen_opmeta.py: run it with CPython 3.13")
SRC = sys.argv[1] if len(sys.argv) > 1 else "/tmp/cpy/Python-3.13.5"
hdr = open(os.path.join(SRC, "Include/internal/pycore_opcode_metadata.h")).read()

names = dict(opcode.opmap)            # name -> number (real and pseudo)


def switch_body(func):
    m = re.search(r"int %s\(int opcode, int oparg\)\s*\{\s*switch\(opcode\) \{(.*?)default:" % func,
                  hdr, re.S)
    cases, out = [], {}
    for line in m.group(1).splitlines():
        line = line.strip()
        c = re.match(r"case (\w+):$", line)
        if c:
            cases.append(c.group(1))
            continue
        r = re.match(r"return (.*);$", line)
        if r:
            for name in cases:
                out[name] = r.group(1)
            cases = []
    return out


popped = switch_body("_PyOpcode_num_popped")
pushed = switch_body("_PyOpcode_num_pushed")

FLAGS = {"HAS_ARG_FLAG": "OPF_ARG", "HAS_CONST_FLAG": "OPF_CONST", "HAS_NAME_FLAG": "OPF_NAME",
         "HAS_JUMP_FLAG": "OPF_JUMP", "HAS_FREE_FLAG": "OPF_FREE", "HAS_LOCAL_FLAG": "OPF_LOCAL",
         "HAS_EVAL_BREAK_FLAG": "OPF_EVAL_BREAK"}
flags = {}
for name, body in re.findall(r"\[(\w+)\] = \{ true, [-\w]+, ([^}]*) \},", hdr):
    flags[name] = sorted(FLAGS[f.strip()] for f in body.split("|") if f.strip() in FLAGS)
caches = {n: int(v) for n, v in re.findall(
    r"\[(\w+)\] = (\d+),", re.search(r"_PyOpcode_Caches\[256\] = \{(.*?)\};", hdr, re.S).group(1))}

# Python/compile.c's stack_effect for pseudo-instructions: (normal flow, jump taken).
PSEUDO_EFFECT = {"POP_BLOCK": (0, 0), "JUMP": (0, 0), "JUMP_NO_INTERRUPT": (0, 0),
                 "SETUP_FINALLY": (0, 1), "SETUP_CLEANUP": (0, 2), "SETUP_WITH": (0, 1),
                 "STORE_FAST_MAYBE_NULL": (-1, -1), "LOAD_CLOSURE": (1, 1), "LOAD_METHOD": (1, 1),
                 "LOAD_SUPER_METHOD": (-1, -1), "LOAD_ZERO_SUPER_METHOD": (-1, -1),
                 "LOAD_ZERO_SUPER_ATTR": (-1, -1)}
BLOCK_PUSH = {"SETUP_FINALLY", "SETUP_WITH", "SETUP_CLEANUP"}
SCOPE_EXIT = {"RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE"}
UNCOND = {"JUMP", "JUMP_NO_INTERRUPT", "JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}
ASSEMBLER_ONLY = {"JUMP_FORWARD", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}
targets = {}
for pname, body in re.findall(r"\[(\w+)-256\] = \{ \{ ([^}]*) \} \},", hdr):
    targets[pname] = [t.strip() for t in body.split(",") if t.strip() != "0"]

# Check each effect against the interpreter (it covers every oparg we tabulate).
def cexpr(e, oparg):
    e = e.replace("0xFF", "255")
    e = re.sub(r"\(\(oparg == 3\) \? 1 : 0\)", "(1 if oparg == 3 else 0)", e)
    return eval(e, {"oparg": oparg})

for name, num in names.items():
    for jump in (False, True):
        for arg in (0, 1, 2, 3, 7, 256, 513):
            try:
                want = _opcode.stack_effect(num, arg if _opcode.has_arg(num) else None,
                                            jump=jump)
            except ValueError:
                want = None
            if name in PSEUDO_EFFECT:
                got = PSEUDO_EFFECT[name][jump]
            elif name in popped and name in pushed:
                got = cexpr(pushed[name], arg) - cexpr(popped[name], arg)
            else:
                got = None
            if want != got:
                sys.exit("gen_opmeta.py: %s(%d, jump=%s): header %r, interpreter %r"
                         % (name, arg, jump, got, want))
    if num < 256 and opcode._inline_cache_entries.get(name, 0) != caches.get(name, 0):
        sys.exit("gen_opmeta.py: cache size of %s differs" % name)

out = ["/* py3_13_opmeta.c - CPython 3.13's opcode metadata for the CFG and the assembler (generated",
       "   by tools/gen_opmeta.py from pycore_opcode_metadata.h; do not edit). */",
       '#include "compile/opmeta.h"', "",
       "static const OpInfo ops[OP__COUNT] = {"]
flag_rows = []
effect_rows = []
for name, num in sorted(names.items(), key=lambda kv: kv[1]):
    f = list(flags.get(name, []))
    if name in BLOCK_PUSH: f.append("OPF_BLOCK_PUSH")
    if name in SCOPE_EXIT: f.append("OPF_SCOPE_EXIT")
    if name in UNCOND: f.append("OPF_UNCOND_JUMP")
    if name in ASSEMBLER_ONLY: f.append("OPF_ASSEMBLER")
    if num >= 256: f.append("OPF_PSEUDO")
    valid = name in flags or name in PSEUDO_EFFECT
    if valid: f.append("OPF_VALID")
    t = targets.get(name, [])
    tt = ", ".join("OP_" + x for x in t) if t else "0"
    # the stack effect when no oparg or branch changes it (None: one does)
    fixed = None
    if name in PSEUDO_EFFECT and PSEUDO_EFFECT[name][0] == PSEUDO_EFFECT[name][1]:
        fixed = PSEUDO_EFFECT[name][0]
    elif name in popped and name in pushed and "oparg" not in pushed[name] + popped[name]:
        fixed = cexpr(pushed[name], 0) - cexpr(popped[name], 0)
    # the table's form of the effect (the CFG's stack depth pass reads it, calling
    # stack_effect only for OPMETA_EFFECT_CALL): a + b*oparg + c*(oparg & 1) when every
    # oparg gives that, the same taken or not (the header's effects do not tell the branch)
    kind, a, b, c = "OPMETA_EFFECT_CALL", 0, 0, 0
    if fixed is not None:
        kind, a = "OPMETA_EFFECT_FIXED", fixed
    elif valid and name in popped and name in pushed and name not in PSEUDO_EFFECT:
        try:
            eff = lambda o: cexpr(pushed[name], o) - cexpr(popped[name], o)
            a = eff(0)
            b = (eff(2) - a) // 2
            c = eff(1) - a - b
            if all(eff(o) == a + b * o + c * (o & 1) for o in range(0, 70000, 7)) and \
                    all(eff(o) == a + b * o + c * (o & 1) for o in range(0, 600)):
                kind = "OPMETA_EFFECT_FIXED" if b == c == 0 else "OPMETA_EFFECT_LINEAR"
        except SyntaxError:
            pass
    if not valid or kind == "OPMETA_EFFECT_CALL":
        kind, a, b, c = "OPMETA_EFFECT_CALL", 0, 0, 0
    flag_rows.append("    [OP_%s] = %s," % (name, " | ".join(f) or "0"))
    plain = kind == "OPMETA_EFFECT_FIXED" and not {"OPF_LOCAL", "OPF_CONST"} & set(f)
    effect_rows.append("    [OP_%s] = {%s, %d, %d, %d, %s, %s, 0}," % (
        name, kind, a, b, c, " | ".join(f) or "0", "true" if plain else "false"))
    out.append("    [OP_%s] = {\"%s\", %s, %d, %d, {%s}, %s, %d, %d, %d}," % (
        name, name, " | ".join(f) or "0", caches.get(name, 0), num if num < 256 else 0, tt,
        kind, a, b, c))
out.append("};")
out.append("")
out.append("/* ops[op].flags by themselves (OpTable.flags). */")
out.append("static const uint16_t flags[OP__COUNT] = {")
out.extend(flag_rows)
out.append("};")
out.append("")
out.append("/* ops[op]'s effect fields and flags (OpTable.effects), and whether the superinstruction")
out.append("   walk only adds the effect. */")
out.append("static const OpEffect effects[OP__COUNT] = {")
out.extend(effect_rows)
out.append("};")
out.append("")
out.append("/* pushed - popped; OPMETA_INVALID_EFFECT for an opcode without one. */")
out.append("static int stack_effect(int op, int oparg, bool jump)")
out.append("{")
out.append("    (void)oparg;")
out.append("    switch (op) {")
groups = {}
for name, num in sorted(names.items(), key=lambda kv: kv[1]):
    if name in PSEUDO_EFFECT:
        a, b = PSEUDO_EFFECT[name]
        expr = str(a) if a == b else "jump ? %d : %d" % (b, a)
    elif name in popped and name in pushed:
        expr = "(%s) - (%s)" % (pushed[name], popped[name])
    else:
        continue
    groups.setdefault(expr, []).append(name)
for expr, ns in groups.items():
    for n in ns:
        out.append("    case OP_%s:" % n)
    out.append("        return %s;" % expr)
out.append("    default:")
out.append("        return OPMETA_INVALID_EFFECT;")
out.append("    }")
out.append("}")
out.append("")
out.append('const OpTable opmeta_3_13 = {"3.13", ops, stack_effect, flags, effects};')
with open(os.path.join(ROOT, "src", "targets", "py3_13_opmeta.c"), "w") as fh:
    fh.write("\n".join(out) + "\n")
