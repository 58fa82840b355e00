#!/usr/bin/env bash
# run_tokenize.sh - the tokenizer's tests: the committed suite of invalid sources against what
# CPython 3.13 said of them (tests/tokenize/invalid.golden, from tests/tokenize/make_cases.py),
# then, when CPython 3.13 is installed, `cpyc tokenize` against `python -m tokenize` live on
# the suite. Prints "ok ..." / "FAIL ..." lines and ends with "tokenize: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
CPYC=${1:-build/cpyc}
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# golden: each case's compile() error and the tokenize module's error line
while IFS=$'\t' read -r name mode want; do
  f=tests/tokenize/invalid/$name
  if [ "$mode" = check ]; then
    got=$("$CPYC" tokenize --check "$f" 2>&1); rc=$?
    [ $rc -eq 0 ] && got=ok
    [ $rc -gt 1 ] && got="exit $rc: $got"
  else
    "$CPYC" tokenize "$f" > /dev/null 2> "$tmp/err"; rc=$?
    got=$(sed ':a;N;$!ba;s/\n/\\n/g' "$tmp/err"); [ -z "$got" ] && [ $rc -eq 0 ] && got=ok
    [ $rc -gt 1 ] && got="exit $rc: $got"
  fi
  if [ "$got" == "$want" ]; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "FAIL $f ($mode)"; echo "     want: $want"; echo "     got:  $got"; fi
done < tests/tokenize/invalid.golden
[ "$failed" -eq 0 ] && word=ok || word=FAIL
echo "$word invalid sources as CPython 3.13 reports them: $passed of $((passed + failed)) (golden)"

# live: the whole token stream of each case and of a few valid files, when the oracle exists
if py=$(bash tools/oracle_python.sh 3.13 2>/dev/null); then
  ls tests/tokenize/invalid/*.py tests/tokenize/valid/*.py 2>/dev/null | awk -v t="$tmp" '{printf "%s\t%s/w%d\n", $0, t, NR}' > "$tmp/pairs"
  lp=0 lf=0
  # the oracle must answer for every case ("ok" or "error" once per line), else nothing is compared
  "$py" tools/oracle_tokens.py < "$tmp/pairs" > "$tmp/st1" &&
    "$py" tools/oracle_tokens.py --exact < <(sed 's/\t\(.*\)$/\t\1e/' "$tmp/pairs") > "$tmp/st2" &&
    [ "$(wc -l < "$tmp/st1")" = "$(wc -l < "$tmp/pairs")" ] && [ "$(wc -l < "$tmp/st2")" = "$(wc -l < "$tmp/pairs")" ] ||
    { lf=$((lf + 1)); echo "FAIL tools/oracle_tokens.py failed or did not answer for every case"; : > "$tmp/pairs"; }
  while IFS=$'\t' read -r src want; do
    for e in "" e; do
      "$CPYC" tokenize ${e:+-e} "$src" > "$tmp/out" 2> "$tmp/err"
      if cmp -s "$tmp/out" "$want$e" && cmp -s "$tmp/err" "$want$e.err"; then lp=$((lp + 1))
      else lf=$((lf + 1)); echo "FAIL cpyc tokenize ${e:+-e }$src differs from python3.13 -m tokenize"
        diff "$want$e" "$tmp/out" | head -5; diff "$want$e.err" "$tmp/err" | head -3; fi
    done
  done < "$tmp/pairs"
  [ "$lf" -eq 0 ] && word=ok || word=FAIL
  echo "$word cpyc tokenize [-e] as python3.13 -m tokenize: $lp of $((lp + lf)) (live)"
  passed=$((passed + lp)); failed=$((failed + lf))
  lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  if out=$("$py" tools/check_ptokens.py "$CPYC" tests/tokenize/valid/*.py $(ls "$lib"/*.py | head -120)); then
    passed=$((passed + 1)); echo "ok   parser tokens as CPython 3.13's: $(tail -n1 <<<"$out") (live)"
  else failed=$((failed + 1)); echo "FAIL parser tokens differ from CPython 3.13's:"; sed 's/^/     /' <<<"$out" | head -8; fi
  if ! "$py" tools/oracle_nfkc.py in > "$tmp/nfkc.in" || ! "$py" tools/oracle_nfkc.py out > "$tmp/nfkc.want" ||
     [ ! -s "$tmp/nfkc.in" ] || [ "$(wc -l < "$tmp/nfkc.in")" != "$(wc -l < "$tmp/nfkc.want")" ]; then
    failed=$((failed + 1)); echo "FAIL tools/oracle_nfkc.py failed (or its outputs are empty or unequal in length)"
  elif "$CPYC" tokenize --nfkc < "$tmp/nfkc.in" > "$tmp/nfkc.got" && cmp -s "$tmp/nfkc.want" "$tmp/nfkc.got"; then passed=$((passed + 1))
    echo "ok   NFKC of $(wc -l < "$tmp/nfkc.in") identifiers as CPython 3.13 (live)"
  else failed=$((failed + 1)); echo "FAIL NFKC of identifiers differs from CPython 3.13:"
    diff "$tmp/nfkc.want" "$tmp/nfkc.got" | head -6; fi
else
  echo "skip CPython 3.13 is not installed: live tokenize comparison"
fi
echo "tokenize: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
