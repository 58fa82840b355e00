#!/usr/bin/env bash
# run_ast.sh - the parser's tests, on committed files generated under the oracle (so they check
# without it): invalid programs (tests/ast/errors.txt, tools/gen_ast_errors.py) and stdlib
# statements with one typo each (tests/ast/typos.txt, tools/typo_harness.py), whose type, line,
# offset and message must all match; generated valid programs (tests/ast/generated.txt,
# tools/gen_programs.py) whose dump must have CPython's MD5; then `cpyc ast` against live
# CPython 3.13 on tests/ast/valid/*.py (skipped, and said so, without it).
# Usage: run_ast.sh CPYC TMPDIR; prints "ok ..."/"FAIL ..."/"skip ..." lines.
set -u
cd "$(dirname "$0")/.."
CPYC=$1 tmp=$2
mkdir -p "$tmp"
rc=0

# split FILE DIR: the programs of FILE ("=== NAME<TAB>EXPECTED" lines, then the program's lines)
# as DIR/NAME.py with DIR/NAME.want
split() {
  rm -rf "$2" && mkdir -p "$2"
  awk -v dir="$2" '
    /^=== / { split(substr($0, 5), f, "\t"); name = f[1]; file = dir "/" name ".py";
              sub(/^=== [^\t]*\t/, ""); print > (dir "/" name ".want"); close(dir "/" name ".want"); printf "" > file; next }
    { print >> file; close(file) }' "$1"
}

# programs KIND FILE LABEL: each program of FILE against what CPython said of it (generated
# under the oracle): KIND "error", `cpyc ast --error-tsv`'s type, line, offset and message;
# KIND "md5", the MD5 of `cpyc ast`'s dump. Every one must match; sets $same and $total.
programs() {
  local kind=$1 file=$2 label=$3 got
  split "$file" "$tmp/prog"
  total=0 same=0
  : > "$tmp/prog-diffs"
  for want in "$tmp"/prog/*.want; do
    [ -e "$want" ] || continue
    src=${want%.want}.py
    total=$((total + 1))
    if [ "$kind" = error ]; then got=$("$CPYC" ast --error-tsv "$src" 2>/dev/null | tail -n 1)
    elif [ "$kind" = ends ]; then got=$("$CPYC" ast --error-tsv-ends "$src" 2>/dev/null | tail -n 1)
    else got=$("$CPYC" ast "$src" 2>&1 | md5sum); got=${got%% *}; fi
    if [ "$got" = "$(cat "$want")" ]; then same=$((same + 1)); else
      printf '%s: want %s | got %s\n' "$(basename "$src")" "$(cat "$want")" "$got" >> "$tmp/prog-diffs"; fi
  done
  if [ "$total" -gt 0 ] && [ "$same" -eq "$total" ]; then
    echo "ok   $label as CPython 3.13: $same of $total"
  else
    echo "FAIL $label as CPython 3.13: $same of $total (every one must match)"
    head -20 "$tmp/prog-diffs" | sed 's/^/     /'
    rc=1
  fi
}

echo "== parser: syntax errors as CPython 3.13 reports them"
programs error tests/ast/typos.txt "stdlib statements with one typo each (tests/ast/typos.txt, tools/typo_harness.py)"
programs error tests/ast/errors.txt "invalid programs (tests/ast/errors.txt)"
base=$(cat tests/ast/errors.baseline 2>/dev/null || echo 0)
if [ "$same" -lt "$base" ]; then echo "FAIL invalid programs: $same below the baseline $base"; rc=1; fi
[ -n "${CPYC_AST_UPDATE:-}" ] && [ "$same" -gt "$base" ] && echo "$same" > tests/ast/errors.baseline
esame=$same etotal=$total

# the whole span (end line and end offset too: what a traceback underlines), as a ratchet: a few
# programs CPython reads further than cpyc before raising are known to differ
echo "== parser: syntax errors' spans (end line, end offset) as CPython 3.13 reports them"
prev_rc=$rc
programs ends tests/ast/error_ends.txt "invalid programs' spans (tests/ast/error_ends.txt, tools/gen_error_ends.py)" >"$tmp/ends.out"
rc=$prev_rc
base=$(cat tests/ast/error_ends.baseline 2>/dev/null || echo 0)
if [ "$same" -lt "$base" ]; then
  cat "$tmp/ends.out"; echo "FAIL invalid programs' spans: $same below the baseline $base"; rc=1
else
  echo "ok   invalid programs' spans as CPython 3.13: $same of $total (baseline $base)"
  [ "$same" -lt "$total" ] && sed -n '2,7p' "$tmp/ends.out"
fi
[ -n "${CPYC_AST_UPDATE:-}" ] && [ "$same" -gt "$base" ] && echo "$same" > tests/ast/error_ends.baseline

echo "== parser: generated valid programs, dumps as CPython 3.13's"
programs md5 tests/ast/generated.txt "generated programs' dumps (tests/ast/generated.txt, tools/gen_programs.py)"

echo "== parser: inputs the fuzzer found (tests/ast/fuzz-regressions): an answer within 5 s, never a crash"
for f in tests/ast/fuzz-regressions/*; do
  timeout 5 "$CPYC" ast "$f" > /dev/null 2>&1; r=$?
  if [ $r -le 1 ]; then echo "ok   $(basename "$f") (exit $r)"; else echo "FAIL $(basename "$f"): exit $r"; rc=1; fi
done

echo "== parser: AST dumps of committed snippets against live CPython 3.13"
if py=$(bash tools/oracle_python.sh 3.13); then
  for f in tests/ast/valid/*.py; do
    printf '%s\t%s\n' "$f" "$tmp/want.txt" | PYTHONHASHSEED=0 "$py" tools/oracle_ast.py > "$tmp/st"
    if [ "$(cat "$tmp/st")" != ok ]; then echo "FAIL $f: CPython does not parse it"; rc=1; continue; fi
    if "$CPYC" ast "$f" > "$tmp/got.txt" 2> "$tmp/got.err" && cmp -s "$tmp/want.txt" "$tmp/got.txt"; then
      echo "ok   cpyc ast $f is identical to CPython's dump"
    else
      echo "FAIL cpyc ast $f differs from CPython's dump"
      diff "$tmp/want.txt" "$tmp/got.txt" | head -10 | sed 's/^/     /'
      head -5 "$tmp/got.err" | sed 's/^/     /'
      rc=1
    fi
  done
else
  echo "skip CPython 3.13 is not installed: AST dumps not compared"
fi
[ $rc -eq 0 ] && echo "parser: all checks passed ($esame of $etotal invalid programs, $same of $total generated programs as CPython)"
exit $rc
