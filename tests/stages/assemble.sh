#!/usr/bin/env bash
# assemble.sh - the assembler (src/compile/assemble.c) through `cpyc asm-check`: every code
# object of a pyc rebuilt as its final instruction sequence, reassembled, compared field by
# field. Golden pycs (tools/gen_assemble_golden.py) need no oracle; the stress sources and the
# installed stdlib pycs need CPython 3.13.
set -u
CPYC=$1
TMP=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
gold=$root/tests/stages/assemble/pyc

# check NAME CMD...: ok when CMD exits 0, else FAIL with its output indented.
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then echo "ok $name"; else echo "FAIL $name"; echo "$out" | tail -20 | sed 's/^/    /'; fi
  LAST=$out
}

check "assemble: golden pycs" "$CPYC" asm-check --stats "$gold"/*.pyc
stats=$LAST
check "assemble: golden pycs, pseudo JUMP/JUMP_NO_INTERRUPT" "$CPYC" asm-check --pseudo "$gold"/*.pyc
check "assemble: golden random sequences (tests/stages/assemble/cases.txt)" \
  "$CPYC" asm-check --cases "$root/tests/stages/assemble/cases.txt"

# The golden set must keep exercising every encoding it was written for.
missing=""
for want in short0= short4= short9= one_line0= one_line1= one_line2= no_columns= long= none= \
            'jumps [0-9]*/[1-9]' 'others [0-9]*/[1-9]' 'lasti=[1-9]' 'cells that are locals=[1-9]' \
            'other cells=[1-9]' 'free=[1-9]' 'hidden=[1-9]' 'generator-like codes=[1-9]'; do
  case $want in *=) pat="$want[1-9]" ;; *) pat=$want ;; esac
  grep -q -- "$pat" <<<"$stats" || missing="$missing '$want'"
done
if [ -z "$missing" ]; then echo "ok assemble: golden pycs cover every encoding"
else echo "FAIL assemble: golden pycs cover every encoding"; echo "    none of:$missing"; fi

PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip assemble: stress sources (no CPython 3.13 oracle)"
  echo "skip assemble: stdlib pycs (no CPython 3.13 oracle)"
  exit 0
}
dir=$TMP/assemble_stress
mkdir -p "$dir"
if "$PY" "$root/tools/gen_assemble_stress.py" "$dir" &&
   PYTHONHASHSEED=0 "$PY" -c 'import py_compile, sys
for p in sys.argv[1:]: py_compile.compile(p, p + "c", doraise=True)' "$dir"/bigjump.py "$dir"/bigtry.py; then
  check "assemble: stress (two EXTENDED_ARGs, 4-byte exception items)" \
    "$CPYC" asm-check --stats "$dir"/bigjump.pyc "$dir"/bigtry.pyc
  grep -q 'jumps [0-9]*/[0-9]*/[1-9]' <<<"$LAST" && grep -q 'bytes: [0-9]*/[0-9]*/[0-9]*/[1-9]' <<<"$LAST" ||
    echo "FAIL assemble: stress sources reach two EXTENDED_ARGs and 4-byte exception items"
else
  echo "FAIL assemble: stress (the oracle could not compile the stress sources)"
fi

if "$PY" "$root/tools/oracle_asm_cases.py" "$TMP/assemble_cases.txt" 400 1313; then
  check "assemble: 404 random sequences the oracle assembled (locations of every shape, pseudo jumps)" \
    "$CPYC" asm-check --cases "$TMP/assemble_cases.txt"
else
  echo "FAIL assemble: random sequences (the oracle's assemble_code_object failed)"
fi

lib=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
find "$lib" -name '*.cpython-313*.pyc' > "$TMP/assemble_stdlib.txt"
if [ -s "$TMP/assemble_stdlib.txt" ]; then
  check "assemble: stdlib pycs ($(wc -l < "$TMP/assemble_stdlib.txt") files)" \
    "$CPYC" asm-check --files-from "$TMP/assemble_stdlib.txt"
  echo "    ${LAST##*$'\n'}"
else
  echo "skip assemble: stdlib pycs (none under $lib)"
fi
