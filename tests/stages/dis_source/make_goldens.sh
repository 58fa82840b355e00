#!/usr/bin/env bash
# Writes tests/stages/dis_source/out/NAME.txt and NAME--C-O.txt: what `python3.13 -m dis
# [-C -O] src/NAME.py` prints (PYTHONHASHSEED=0, code-object addresses normalized to 0x?).
set -eu
cd "$(dirname "$0")"
py=$(bash ../../../tools/oracle_python.sh 3.13)
for src in src/*.py; do
  name=$(basename "$src" .py)
  PYTHONHASHSEED=0 "$py" -m dis "$src" | sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /' > "out/$name.txt"
  PYTHONHASHSEED=0 "$py" -m dis -C -O "$src" | sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /' > "out/$name--C-O.txt"
done
