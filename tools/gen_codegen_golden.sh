#!/bin/bash
# gen_codegen_golden.sh - writes tests/stages/codegen/golden/*.txt: what CPython 3.13's code generator
# produces for each program of tests/stages/codegen (tools/oracle_codegen.py), at -O 0 and, for a few,
# at -O 1 and -O 2. usage: bash tools/gen_codegen_golden.sh [PYTHON]
set -e
cd "$(dirname "$0")/.."
py=${1:-$(bash tools/oracle_python.sh 3.13)}
out=tests/stages/codegen/golden
mkdir -p "$out"
rm -f "$out"/*.txt
for f in tests/stages/codegen/*.py tests/stages/codegen/err/*.py; do
    name=$(echo "${f#tests/stages/codegen/}" | tr / _)
    name=${name%.py}
    PYTHONHASHSEED=0 "$py" tools/oracle_codegen.py "$f" > "$out/$name.O0.txt"
done
for f in tests/stages/codegen/names.py tests/stages/codegen/stmts.py; do
    name=$(basename "$f" .py)
    for o in 1 2; do PYTHONHASHSEED=0 "$py" tools/oracle_codegen.py -O $o "$f" > "$out/$name.O$o.txt"; done
done
# the finished code objects of the whole back end (tools/oracle_code.py)
for f in tests/stages/codegen/*.py; do
    name=$(basename "$f" .py)
    PYTHONHASHSEED=0 "$py" tools/oracle_code.py "$f" > "$out/$name.code.txt"
done
