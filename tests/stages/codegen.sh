#!/usr/bin/env bash
# codegen.sh - the code generator (src/compile/codegen*.c) through `cpyc codegen`: every code
# unit's instruction sequence before the CFG passes, with its metadata. Goldens written by
# tools/gen_codegen_golden.sh from CPython 3.13 need no oracle; a sample of the stdlib is
# compared with the oracle (tools/compare_codegen.py) when CPython 3.13 is installed.
set -u
CPYC=$1
TMP=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/stages/codegen

# The goldens: NAME.O<level>.txt for tests/stages/codegen/NAME.py (err_NAME for err/NAME.py),
# NAME.code.txt its finished code objects (codegen with the CFG passes and the assembler).
bad=""
n=0
for gold in "$dir"/golden/*.txt; do
  base=$(basename "$gold" .txt)
  case $base in
    *.code) name=${base%.code}; args=(--code) ;;   # the whole back end's code objects
    *) name=${base%.O*}; args=(-O "${base##*.O}") ;;
  esac
  case $name in err_*) src=$dir/err/${name#err_}.py ;; *) src=$dir/$name.py ;; esac
  n=$((n + 1))
  if ! "$CPYC" codegen "${args[@]}" "$src" > "$TMP/codegen_out.txt" 2>&1 ||
     ! cmp -s "$gold" "$TMP/codegen_out.txt"; then
    bad="$bad $base"
    diff "$gold" "$TMP/codegen_out.txt" | head -5 > "$TMP/codegen_diff_$base.txt"
  fi
done
if [ -z "$bad" ]; then echo "ok codegen: $n goldens"
else
  echo "FAIL codegen: goldens"
  for b in $bad; do echo "    $b"; sed 's/^/      /' "$TMP/codegen_diff_$b.txt"; done
fi

PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip codegen: stdlib sample (no CPython 3.13 oracle)"
  exit 0
}
lib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
# every 8th file of the stdlib, site-packages left out
find "$lib" -name '*.py' -not -path '*/site-packages/*' | LC_ALL=C sort | awk 'NR % 8 == 1' > "$TMP/codegen_sample.txt"
PYTHONHASHSEED=0 "$PY" "$root/tools/compare_codegen.py" "$CPYC" $(cat "$TMP/codegen_sample.txt") > "$TMP/codegen_cmp.txt" 2>&1
# known divergences of other stages (see known_diffs.txt) do not fail the group
unexpected=$(grep '^DIFF' "$TMP/codegen_cmp.txt" | while read -r _ path _; do
  grep -qxF "${path#$lib/}" "$dir/known_diffs.txt" || echo "$path"; done)
summary=$(tail -1 "$TMP/codegen_cmp.txt")
if [ -z "$unexpected" ] && [[ $summary == *identical ]]; then echo "ok codegen: stdlib sample ($summary)"
else
  echo "FAIL codegen: stdlib sample ($summary)"
  grep '^DIFF' "$TMP/codegen_cmp.txt" | cut -c1-300 | head -10 | sed 's/^/    /'
fi
