#!/usr/bin/env bash
# unparse.sh - the annotation unparser (src/compile/unparse.c) against the text CPython 3.13
# stores for `from __future__ import annotations`: committed cases, then live stdlib files.
set -u
cpyc=$1 tmp=$2/unparse
mkdir -p "$tmp"
cd "$(dirname "$0")/../.."
# compare CASES NAME: CASES holds "source-hex<TAB>expected-hex" lines
compare() {
  cut -f1 "$1" | "$cpyc" unparse > "$tmp/got" || { echo "FAIL $2: cpyc unparse exited $?"; return; }
  paste <(cut -f2 "$1") "$tmp/got" | awk -F'\t' '$1 != $2' > "$tmp/diff"
  local total bad
  total=$(wc -l < "$1"); bad=$(wc -l < "$tmp/diff")
  if [ "$total" -eq 0 ]; then echo "FAIL $2: no cases"; return; fi
  if [ "$bad" -eq 0 ]; then echo "ok $2: $total of $total expressions as CPython 3.13 writes them"; return; fi
  echo "FAIL $2: $bad of $total expressions differ"
  head -5 "$tmp/diff" | while IFS=$'\t' read -r want got; do
    echo "     want: $(printf %s "$want" | xxd -r -p)"; echo "     got:  $(printf %s "$got" | xxd -r -p)"; done
}
compare tests/compile/unparse.golden "unparse: committed cases (tests/compile/unparse.golden)"
if py=$(bash tools/oracle_python.sh 3.13); then
  lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  if "$py" tools/oracle_unparse.py "$lib/ast.py" "$lib/enum.py" "$lib/functools.py" > "$tmp/live"; then
    compare "$tmp/live" "unparse: expressions of ast.py, enum.py, functools.py against live python3.13"
  else
    echo "FAIL unparse: the oracle script tools/oracle_unparse.py failed"
  fi
else
  echo "skip unparse: live comparison (no CPython 3.13)"
fi
