"""Writes tests/golden/pyc/3.N/specialized.pyc (3.11+): a module whose bytecode, as stored,
holds specialized instructions and non-zero inline caches, which CPython never writes but a
crafted or damaged file may. Loading it, CPython's co_code hands dis the base instructions
with zeroed caches; tests/check_dis.sh holds `cpyc dis` (and -C, -O) to that.

    for v in 3.11 3.12 3.13; do $(bash tools/oracle_python.sh $v) tests/golden/make_specialized.py; done
"""
import dis
import importlib.util
import marshal
import opcode
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = """\
x = a.b
y = g(1) + 2
for i in x:
    if i < y and i in x:
        a.c = i
        i = x[0]
"""


def cache_units(op):
    table = dis._inline_cache_entries
    return table[op] if isinstance(table, list) else table.get(dis.opname[op], 0)


def main():
    code = compile(SOURCE, "golden/specialized.py", "exec")
    stored = bytearray(code.co_code)
    all_opmap = getattr(dis, "_all_opmap", dis.opmap)
    offset = 0
    while offset < len(stored):
        op = stored[offset]
        variants = opcode._specializations.get(dis.opname[op])
        n = cache_units(op)
        if variants:
            stored[offset] = all_opmap[variants[-1]]
        for k in range(2 * n):   # recognisable, different bytes in every cache field
            stored[offset + 2 + k] = (offset + 7 * k + 1) & 255
        offset += 2 + 2 * n
    body = marshal.dumps(code)
    assert body.count(code.co_code) == 1
    data = importlib.util.MAGIC_NUMBER + bytes(12) + body.replace(code.co_code, bytes(stored))
    dest = os.path.join(HERE, "pyc", "%d.%d" % sys.version_info[:2], "specialized.pyc")
    with open(dest, "wb") as f:
        f.write(data)
    print("wrote", dest)


main()
