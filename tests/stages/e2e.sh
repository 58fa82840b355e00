#!/usr/bin/env bash
# e2e.sh - the whole pipeline (cpyc compile) against CPython 3.13's py_compile, byte for byte:
# committed goldens (tests/stages/e2e/src/*.py, their pycs at optimize 0, 1, 2 written by
# tests/stages/e2e/make_goldens.py) need no oracle; programs generated afresh by
# tools/gen_e2e_random.py (seed $E2E_SEED, else the day of the year; every other one stresses
# string interning and object sharing in the marshal stream) are compiled by the
# oracle (tools/oracle_pycompile.py) when CPython 3.13 is installed.
set -u
CPYC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")   # absolute: the goldens compile in their dir
TMP=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/stages/e2e

bad=""
n=0
for gold in "$dir"/pyc/*.pyc; do
  base=$(basename "$gold" .pyc)
  name=${base%.opt-*}
  level=${base##*.opt-}
  n=$((n + 1))
  out=$TMP/e2e_$base.pyc
  if ! (cd "$dir" && "$CPYC" compile --optimize "$level" --filename "src/$name.py" \
          --invalidation-mode unchecked-hash -o "$out" "src/$name.py") > "$TMP/e2e_err.txt" 2>&1 ||
     ! "$CPYC" cmp "$gold" "$out" >> "$TMP/e2e_err.txt" 2>&1; then
    bad="$bad $base"
    sed 's/^/      /' "$TMP/e2e_err.txt" | head -3 > "$TMP/e2e_why_$base.txt"
  fi
done
if [ "$n" -lt 15 ]; then echo "FAIL e2e: goldens (only $n pycs)"
elif [ -z "$bad" ]; then echo "ok e2e: $n golden pycs (code objects compiled twice, identifiers as constants)"
else
  echo "FAIL e2e: golden pycs"
  for b in $bad; do echo "    $b"; cat "$TMP/e2e_why_$b.txt"; done
fi

PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip e2e: generated programs against the oracle (no CPython 3.13 oracle)"
  exit 0
}
seed=${E2E_SEED:-$((10#$(date +%j)))}
gen=$TMP/e2e_gen
rm -rf "$gen"
python3 "$root/tools/gen_e2e_random.py" "$seed" 50 "$gen/src" || { echo "FAIL e2e: generator"; exit 0; }
for f in "$gen"/src/*.py; do
  for o in 0 2; do printf '%s\t%s\t%s\n' "$f" "$gen/$(basename "$f" .py).$o.oracle.pyc" "$o"; done
done > "$gen/jobs.txt"
"$PY" "$root/tools/oracle_pycompile.py" "$PY" 2 < "$gen/jobs.txt" > "$gen/status.txt"
bad=""
n=0
while IFS=$'\t' read -r src opyc o <&3 && read -r st <&4; do
  [ "$st" = ok ] || continue   # a generated program CPython rejects is no test of the back end
  n=$((n + 1))
  cpyc=${opyc%.oracle.pyc}.cpyc.pyc
  if ! "$CPYC" compile --optimize "$o" -o "$cpyc" "$src" > /dev/null 2>&1 ||
     ! "$CPYC" cmp "$opyc" "$cpyc" > /dev/null 2>&1; then
    bad="$bad $(basename "$src") -O$o"
  fi
done 3< "$gen/jobs.txt" 4< "$gen/status.txt"
if [ "$n" -lt 50 ]; then echo "FAIL e2e: generated programs, seed $seed (only $n compiled by the oracle)"
elif [ -z "$bad" ]; then echo "ok e2e: $n generated programs identical to the oracle's pycs (seed $seed, optimize 0/2)"
else
  echo "FAIL e2e: generated programs, seed $seed (E2E_SEED=$seed to repeat)"
  for b in $bad; do echo "    $b"; done | head -20
fi
