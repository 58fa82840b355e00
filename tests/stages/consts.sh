#!/usr/bin/env bash
# consts.sh - the type codes and references of compile/refs.c through `cpyc refs-check`: each
# pyc's code tree rebuilt without type codes or sharing, constants merged as the compiler
# merges them, refs_assign, marshal bytes compared with the file. Golden pycs written by the
# oracle (tests/stages/consts/make_goldens.py, one rule per source) need no oracle; a sample
# of the stdlib compiled by the oracle (tools/oracle_pycompile.py) at optimize 0, 1, 2 does.
set -u
CPYC=$1
TMP=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
gold=$root/tests/stages/consts/pyc

# check NAME CMD...: ok when CMD exits 0, else FAIL with its output indented.
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then echo "ok $name"; else echo "FAIL $name"; echo "$out" | tail -20 | sed 's/^/    /'; fi
}

check "consts: golden pycs (ints, floats, strings, tuples, bytes, frozensets, classes, identifiers, code tables)" \
  "$CPYC" refs-check -q "$gold"/*.pyc
# Without the interpreter's interned texts the sources written to need them must differ.
out=$("$CPYC" refs-check -q --no-env "$gold"/*.pyc 2>&1)
if grep -q 'differ .*classes.opt-0' <<<"$out" && grep -q 'differ .*frozensets.opt-0' <<<"$out" &&
   [ "$(grep -c '^differ' <<<"$out")" = 6 ]; then
  echo "ok consts: golden pycs need the oracle's interned texts exactly where written to"
else
  echo "FAIL consts: golden pycs need the oracle's interned texts exactly where written to"
  echo "$out" | tail -8 | sed 's/^/    /'
fi

PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip consts: stdlib sample compiled by the oracle (no CPython 3.13 oracle)"
  exit 0
}
lib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
dir=$TMP/consts_stdlib
mkdir -p "$dir"
# every 40th stdlib source (about 45), each at optimize 0, 1 and 2
(cd "$lib" && find . -name '*.py' -not -path './site-packages/*' | LC_ALL=C sort | awk 'NR % 40 == 1') |
  while read -r f; do
    for o in 0 1 2; do printf '%s\t%s\t%s\n' "$lib/${f#./}" "$dir/$(echo "${f#./}" | tr / _).$o.pyc" "$o"; done
  done > "$dir/jobs.txt"
"$PY" "$root/tools/oracle_pycompile.py" "$PY" 2 < "$dir/jobs.txt" > "$dir/status.txt"
ls "$dir"/*.pyc > "$dir/pycs.txt" 2>/dev/null
n=$(wc -l < "$dir/pycs.txt")
if [ "$n" -lt 100 ]; then
  echo "FAIL consts: stdlib sample compiled by the oracle (only $n pycs written)"
  grep -v '^ok$' "$dir/status.txt" | head -5 | sed 's/^/    /'
else
  check "consts: $n stdlib pycs compiled by the oracle (sample, optimize 0/1/2)" \
    "$CPYC" refs-check -q --files-from "$dir/pycs.txt"
fi
