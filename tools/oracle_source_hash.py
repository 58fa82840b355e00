"""Prints importlib.util.source_hash of each file named on stdin: "HEX  PATH"."""
import importlib.util
import sys

for line in sys.stdin:
    path = line.rstrip("\n")
    with open(path, "rb") as f:
        print("%s  %s" % (importlib.util.source_hash(f.read()).hex(), path))
