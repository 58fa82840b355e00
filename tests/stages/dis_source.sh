#!/usr/bin/env bash
# dis_source.sh - `cpyc dis [-C -O] FILE.py` against `python3.13 -m dis [-C -O] FILE.py`:
# committed goldens (tests/stages/dis_source/src/*.py: frozensets listed in the order CPython
# left them in memory; out/ written by tests/stages/dis_source/make_goldens.sh) need no
# oracle; the whole 3.13 stdlib (-C -O: every 30th file) is compared with the live oracle,
# `python3.13 -m dis` a fresh process per file, by tools/dis_source_stdlib.py (the oracle's
# listings cached: a few minutes the first time, seconds after).
set -u
CPYC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TMP=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/stages/dis_source
norm() { sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /'; }

bad="" n=0
for src in "$dir"/src/*.py; do
  name=$(basename "$src" .py)
  for opts in "" "-C -O"; do
    gold=$dir/out/$name${opts:+--C-O}.txt
    n=$((n + 1))
    # shellcheck disable=SC2086
    (cd "$dir" && "$CPYC" dis $opts "src/$name.py") 2>&1 | norm > "$TMP/dis_source_out.txt"
    diff "$gold" "$TMP/dis_source_out.txt" > "$TMP/dis_source_diff_$n.txt" || bad="$bad $n:$name${opts:+ $opts}"
  done
done
if [ "$n" -lt 4 ]; then echo "FAIL dis_source: goldens (only $n)"
elif [ -z "$bad" ]; then echo "ok dis_source: $n golden listings (frozensets in CPython's in-memory order)"
else
  echo "FAIL dis_source: golden listings"
  for b in $bad; do echo "    ${b#*:}"; sed 's/^/      /' "$TMP/dis_source_diff_${b%%:*}.txt" | head -6; done
fi

PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip dis_source: stdlib against the oracle (no CPython 3.13 oracle)"
  exit 0
}
for spec in "1:" "30:-C -O"; do
  every=${spec%%:*} opts=${spec#*:}
  # shellcheck disable=SC2086
  if PYTHONHASHSEED=0 "$PY" "$root/tools/dis_source_stdlib.py" --cpyc "$CPYC" --sample "$every" $opts \
       > "$TMP/dis_source_stdlib.txt" 2>&1; then
    echo "ok dis_source: stdlib ${opts:-plain}: $(tail -1 "$TMP/dis_source_stdlib.txt")"
  else
    echo "FAIL dis_source: stdlib ${opts:-plain}"
    sed 's/^/    /' "$TMP/dis_source_stdlib.txt" | head -12
  fi
done
