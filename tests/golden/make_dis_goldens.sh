#!/usr/bin/env bash
# make_dis_goldens.sh - writes tests/golden/dis/3.N[-OPTIONS].txt: what each oracle CPython's
# dis.dis() prints for the golden pycs it wrote (tests/golden/pyc/3.N), as tools/oracle_dis.py
# lists them: plain, with -C (show_caches=True, 3.11+), and for 3.13 with -O (show_offsets=True)
# and -C -O. tests/check_dis.sh reads the options back from the file name.
set -eu
cd "$(dirname "$0")/../.."
golden() {  # golden VERSION [OPTION...]
  local v=$1; shift
  local name=$v; for o in "$@"; do name=$name$o; done   # e.g. 3.13-C-O
  ls tests/golden/pyc/$v/*.pyc | PYTHONHASHSEED=0 "$py" tools/oracle_dis.py "$@" > tests/golden/dis/$name.txt
  echo "wrote tests/golden/dis/$name.txt"
}
for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
  py=$(bash tools/oracle_python.sh "$v") || { echo "no CPython $v; tests/golden/dis/$v*.txt left as is"; continue; }
  golden $v
  case $v in 3.8|3.9|3.10) ;; *) golden $v -C ;; esac
  [ $v = 3.13 ] && { golden $v -O; golden $v -C -O; }
done
