"""Random final instruction sequences assembled by the oracle (CPython 3.13's
_testinternalcapi.assemble_code_object), written as cases for `cpyc asm-check --cases FILE`:
locations of every shape the location table can hold (including ones the compiler never
makes: end before start, one column missing, line 0, huge deltas) and pseudo JUMP /
JUMP_NO_INTERRUPT in both directions, some over more than 255 and 65535 code units.
  python tools/oracle_asm_cases.py OUT [NCASES] [SEED] [small]
("small" leaves out the four long sequences: tests/stages/assemble/cases.txt is written so.)
"""
import opcode
import random
import sys

import _testinternalcapi

out = sys.argv[1]
ncases = int(sys.argv[2]) if len(sys.argv) > 2 else 400
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1313)
op = opcode.opmap
NCONSTS = 70000
big_consts = {i: i for i in range(NCONSTS)}


def location(prev):
    line = prev[0] if prev[0] >= 0 else 1
    r = rng.random()
    if r < 0.25 and prev[0] != -2:
        return prev                                         # merged with the previous one
    if r < 0.30:
        return (-1, -1, -1, -1)
    if r < 0.33:
        return (0, 0, rng.randrange(0, 5), rng.randrange(0, 9))
    r = rng.random()
    if r < 0.4:
        delta = 0
    elif r < 0.8:
        delta = rng.randrange(-3, 6)
    else:
        delta = rng.choice([-1, 1]) * rng.randrange(1, 200000)
    line = max(1, line + delta)
    col = rng.choice([rng.randrange(0, 90), rng.randrange(0, 300)])
    end = col + rng.choice([rng.randrange(0, 20), rng.randrange(0, 200)])
    r = rng.random()
    if r < 0.6:
        return (line, line, col, end)
    if r < 0.75:
        return (line, line + rng.randrange(1, 4), col, rng.randrange(0, 300))
    return rng.choice([(line, line, col, -1), (line, line, -1, end), (line, line, -1, -1),
                       (line, -1, col, end), (line, -1, -1, -1), (line, line - 1, col, end),
                       (line, line, end + 1, col), (line, line + 2, -1, -1)])


def case(npairs, bigargs):
    """(firstlineno, instructions) with jumps as ('J', opcode, label) and labels as ints."""
    items, labels, pending, placed = [], 0, [], []
    loc = (-2, -2, -2, -2)
    for k in range(npairs):
        if pending and rng.random() < 0.2:
            items.append(pending.pop())                     # a forward jump lands here
        if rng.random() < 0.1:
            items.append(labels)                            # a backward jump's target
            placed.append(labels)
            labels += 1
        arg = rng.randrange(NCONSTS) if bigargs and rng.random() < 0.5 else rng.randrange(3)
        loc = location(loc)
        items.append((op["LOAD_CONST"], arg, loc))
        loc = location(loc)
        items.append((op["POP_TOP"], 0, loc))
        if rng.random() < 0.08:
            kind = op[rng.choice(["JUMP", "JUMP_NO_INTERRUPT"])]
            loc = location(loc)
            if rng.random() < 0.1:
                items.append(labels)                        # a jump to itself
                items.append(("J", kind, labels, loc))
                placed.append(labels)
                labels += 1
            elif placed and rng.random() < 0.5:
                items.append(("J", kind, rng.choice(placed), loc))
            else:
                items.append(("J", kind, labels, loc))
                pending.append(labels)
                labels += 1
                # the jump must not land on the next instruction (it would be removed)
                loc = location(loc)
                items.append((op["LOAD_CONST"], 0, loc))
                items.append((op["POP_TOP"], 0, loc))
    items.extend(reversed(pending))
    items.append((op["RETURN_CONST"], 0, location(loc)))
    return rng.randrange(1, 1000), items


def assemble(firstlineno, items, consts):
    seq = _testinternalcapi.new_instruction_sequence()
    ids = {}
    for it in items:
        if isinstance(it, int):
            ids[it] = seq.new_label()
    flat, where = [], {}
    for it in items:
        if isinstance(it, int):
            seq.use_label(ids[it])
            where[it] = len(flat)
        elif it[0] == "J":
            _, kind, lab, loc = it
            seq.addop(kind, ids[lab], *loc)
            flat.append([kind, lab, loc])
        else:
            seq.addop(it[0], it[1], *it[2])
            flat.append(list(it))
    for f in flat:
        if f[0] in (op["JUMP"], op["JUMP_NO_INTERRUPT"]):
            f[1] = where[f[1]]
    md = {"name": "f", "qualname": "f", "consts": consts, "names": {}, "varnames": {},
          "cellvars": {}, "freevars": {}, "fasthidden": {}, "argcount": 0,
          "posonlyargcount": 0, "kwonlyargcount": 0, "firstlineno": firstlineno}
    co = _testinternalcapi.assemble_code_object("cases.py", seq, md)
    return flat, co


with open(out, "w") as f:
    sizes = [rng.randrange(1, 40) for _ in range(ncases)]
    if sys.argv[4:5] != ["small"]:
        sizes += [300, 700, 2000, 40000]
    for n, npairs in enumerate(sizes):
        firstlineno, items = case(npairs, bigargs=n % 3 == 0)
        flat, co = assemble(firstlineno, items, big_consts if n % 3 == 0 else {0: 0, 1: 1, 2: 2})
        f.write(f"case {n} {firstlineno} {len(flat)}\n")
        for o, a, loc in flat:
            f.write(f"{o} {a} {loc[0]} {loc[1]} {loc[2]} {loc[3]}\n")
        f.write(f"code {co.co_code.hex()}\nlines {co.co_linetable.hex()}\n")
