#!/usr/bin/env bash
# Writes tests/golden/dis-src/NAME.txt (and NAME--C-O.txt): what `python3.13 -m dis [-C -O]
# tests/golden/src/NAME.py` prints, code-object addresses normalized, for tests/check_dis.sh.
set -eu
cd "$(dirname "$0")/../.."
py=$(bash tools/oracle_python.sh 3.13)
mkdir -p tests/golden/dis-src
# constants.py is left out: its frozenset of -1, -2, -5 (hash(-1) == hash(-2)) is listed in the
# order of the set CPython built in memory, which cpyc does not reproduce yet (a pyc's order is).
for src in tests/golden/src/empty.py tests/golden/src/functions.py; do
  name=$(basename "$src" .py)
  PYTHONHASHSEED=0 "$py" -m dis "$src" | sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /' > "tests/golden/dis-src/$name.txt"
  PYTHONHASHSEED=0 "$py" -m dis -C -O "$src" | sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /' > "tests/golden/dis-src/$name--C-O.txt"
done
