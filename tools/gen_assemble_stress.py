"""Writes the assembler's stress sources to a directory (run by tests/stages/assemble.sh and
compiled there by the oracle): code too big to commit as golden pycs.
  bigjump.py  a forward jump over > 65535 code units and > 65535 constants: two EXTENDED_ARGs
  bigtry.py   a try body of > 2**18 code units: exception-table items of four bytes
"""
import os
import sys

out = sys.argv[1]
with open(os.path.join(out, "bigjump.py"), "w") as f:
    f.write("def big(x):\n    if x:\n")
    f.writelines(f"        x = {i}\n" for i in range(66000))
    f.write("    while x:\n        x -= 1\n    return x\n")
with open(os.path.join(out, "bigtry.py"), "w") as f:
    f.write("try:\n")
    f.writelines(f"    a = {i % 200}\n" for i in range(132000))
    f.write("except Exception as e:\n    print(e)\n")
