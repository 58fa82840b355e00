#!/usr/bin/env bash
# run.sh - runs every test group of cpyc; ends with one line "N passed, N failed".
# Groups that need an oracle CPython skip cleanly (and say so) when it is not installed.
set -u
cd "$(dirname "$0")/.."
BUILD=${CPYC_BUILD:-build}
CPYC=$BUILD/cpyc
VERSIONS="3.8 3.9 3.10 3.11 3.12 3.13"
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "skip $*"; }
# check NAME COMMAND...: one test, passing when the command exits 0; its output shown on failure.
check() {
  local name=$1; shift
  if out=$("$@" 2>&1); then pass "$name${out:+: $(tail -n1 <<<"$out")}"; else fail "$name"; sed 's/^/     /' <<<"$out" | head -20; fi
}
# group NAME COMMAND...: a command printing one "ok"/"FAIL"/"skip" line per check (other lines
# shown indented); each line counts, and a non-zero exit without a FAIL line is one failure.
group() {
  local name=$1 g_fail=0 st rest; shift
  while IFS= read -r line; do
    st=${line%% *}; rest=${line#"$st"}; rest=${rest# }; rest=${rest#"${rest%%[! ]*}"}
    case $st in
      ok) pass "$rest" ;;
      FAIL) fail "$rest"; g_fail=1 ;;
      skip) skip "$rest" ;;
      __rc) [ "$rest" = 0 ] || [ $g_fail = 1 ] || fail "$name exited $rest without naming a failure" ;;
      *) echo "     $line" ;;
    esac
  done < <("$@" 2>&1; echo "__rc $?")
}
# oracle_out FILE COMMAND...: runs an oracle script into FILE; false (and a FAIL naming it) when
# it fails or prints nothing, so that an empty expectation is never compared
oracle_out() {
  local file=$1; shift
  if "$@" > "$file" 2> "$file.err" && [ -s "$file" ]; then return 0; fi
  fail "oracle failed: $* (exit status or empty output)"; head -5 "$file.err" | sed 's/^/     /'; return 1
}

echo "== unit tests"
if out=$("$BUILD/unit_tests" 2>&1); then :; fi
echo "$out" | grep -v '^unit:'
u_pass=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' <<<"$out")
u_fail=$(sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' <<<"$out")
if [ -z "$u_pass" ]; then fail "unit tests did not run to the end"; else
  passed=$((passed + u_pass)); failed=$((failed + u_fail)); echo "unit: $u_pass passed, $u_fail failed"; fi

echo "== golden pycs (written by each CPython, committed)"
for v in $VERSIONS; do
  for f in tests/golden/pyc/$v/*.pyc; do
    check "inspect --verify $f" "$CPYC" inspect --verify --quiet "$f"
  done
  for f in tests/golden/pyc/$v/*.facts; do
    check "inspect shows what CPython $v knows of ${f%.facts}.pyc" bash tests/check_facts.sh "$CPYC" "${f%.facts}.pyc" "$f"
  done
  check "hash() of str and bytes as CPython $v (golden)" bash tests/check_hashes.sh "$CPYC" "$v" "tests/golden/hashes/$v.txt"
done

echo "== malformed pycs: one clear line naming file and offset, exit 1, never a crash"
group tests/check_malformed.sh bash tests/check_malformed.sh "$CPYC" "$tmp/bad"

echo "== inputs the fuzzers found (tests/fuzz-regressions): handled without a crash"
for f in tests/fuzz-regressions/*; do
  "$CPYC" inspect --verify "$f" > /dev/null 2>&1; rc=$?
  if [ $rc -le 1 ]; then pass "$(basename "$f") (exit $rc)"; else fail "$(basename "$f"): exit $rc"; fi
done

# the fuzz targets build only with clang's libFuzzer (make fuzz*): here they must at least compile
for f in fuzz/*.c; do
  check "$f compiles" "${CC:-cc}" -fsyntax-only -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    -Wall -Wextra -Werror -Iinclude -Isrc "$f"
done

echo "== parser: invalid programs and AST dumps as CPython 3.13 (tests/run_ast.sh)"
group tests/run_ast.sh bash tests/run_ast.sh "$CPYC" "$tmp/ast"
echo "== cpyc dis: golden listings of each CPython's dis.dis(), damaged input"
group tests/check_dis.sh bash tests/check_dis.sh "$CPYC"

echo "== live oracles (PYTHONHASHSEED=0)"
for v in $VERSIONS; do
  py=$(bash tools/oracle_python.sh "$v") || { skip "CPython $v is not installed"; continue; }
  oracle_out "$tmp/lib-$v" "$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' || continue
  lib=$(cat "$tmp/lib-$v")
  find "$lib" -path "$lib/site-packages" -prune -o -name '*.pyc' -print | sort > "$tmp/pycs-$v"
  if [ -s "$tmp/pycs-$v" ]; then
    check "CPython $v stdlib pycs re-serialize identically ($(wc -l < "$tmp/pycs-$v") files)" \
      "$CPYC" inspect --verify --quiet --jobs 2 --files-from "$tmp/pycs-$v"
  else fail "no pycs found in CPython $v's stdlib ($lib)"; fi
  find "$lib" -path "$lib/site-packages" -prune -o -name '*.py' -print | sort > "$tmp/srcs-$v"
  if oracle_out "$tmp/want-sh-$v" "$py" tools/oracle_source_hash.py < "$tmp/srcs-$v"; then
    xargs -d '\n' "$CPYC" hash --target "$v" source < "$tmp/srcs-$v" > "$tmp/got-sh-$v"
    check "source_hash of CPython $v stdlib sources ($(wc -l < "$tmp/srcs-$v") files)" cmp "$tmp/want-sh-$v" "$tmp/got-sh-$v"
  fi
  if PYTHONHASHSEED=0 oracle_out "$tmp/hashes-$v" "$py" tools/oracle_hashes.py 1500 "${v/./}"; then
    check "hash() of 3000 str and bytes values as CPython $v" bash tests/check_hashes.sh "$CPYC" "$v" "$tmp/hashes-$v"
  fi
done

echo "== tokenizer: invalid-source suite (golden) and cpyc tokenize against python3.13 -m tokenize"
group tests/run_tokenize.sh bash tests/run_tokenize.sh "$CPYC"

echo "== back-end and CLI stage groups (tests/stages/*.sh: each prints ok/FAIL/skip lines)"
for t in tests/stages/*.sh; do
  [ -e "$t" ] || continue
  group "$t" bash "$t" "$CPYC" "$tmp"
done

echo "== conformance ratchet (tests/conformance/baseline.tsv)"
if py=$(bash tools/oracle_python.sh any); then
  group tools/conformance.py "$py" tools/conformance.py --cpyc "$CPYC" --check
else
  skip "no Python to run the conformance harness"
fi

echo "$passed passed, $failed failed${skipped:+, $skipped skipped}"
[ "$failed" -eq 0 ]
