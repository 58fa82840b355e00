#!/bin/bash
# Regenerates tests/stages/flowgraph/*.{codegen,opt,final}.txt from the oracle (CPython 3.13):
# the codegen sequences cpyc cfg-test reads and what optimize_cfg and the real code objects give.
set -e
cd "$(dirname "$0")/.."
PY=$(bash tools/oracle_python.sh 3.13)
for src in tests/stages/flowgraph/*.py; do
    base=${src%.py}
    tmp=$(mktemp -d)
    PYTHONHASHSEED=0 "$PY" tools/oracle_cfg.py all "$src" "$tmp"
    for k in codegen opt final; do mv "$tmp/$k.txt" "$base.$k.txt"; done
    rmdir "$tmp"
done
