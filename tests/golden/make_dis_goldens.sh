#!/usr/bin/env bash
# make_dis_goldens.sh - writes tests/golden/dis/3.N.txt: what each oracle CPython's dis.dis()
# prints for the golden pycs it wrote (tests/golden/pyc/3.N), as tools/oracle_dis.py lists them.
set -eu
cd "$(dirname "$0")/../.."
for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
  py=$(bash tools/oracle_python.sh "$v") || { echo "no CPython $v; tests/golden/dis/$v.txt left as is"; continue; }
  ls tests/golden/pyc/$v/*.pyc | PYTHONHASHSEED=0 "$py" tools/oracle_dis.py > tests/golden/dis/$v.txt
  echo "wrote tests/golden/dis/$v.txt"
done
if py=$(bash tools/oracle_python.sh 3.13); then
  ls tests/golden/pyc/3.13/*.pyc | PYTHONHASHSEED=0 "$py" tools/oracle_dis.py --offsets > tests/golden/dis/3.13-offsets.txt
  echo "wrote tests/golden/dis/3.13-offsets.txt"
fi
