#!/usr/bin/env bash
# check_dis.sh CPYC - `cpyc dis` against the listings each CPython's dis.dis() printed for the
# golden pycs (tests/golden/dis, written by make_dis_goldens.sh; -C and -O as each file's name
# says), and on damaged input: one
# error line, exit 1, never a crash. The live comparison over each stdlib is the "dis" stage
# of tools/conformance.py. Prints one "ok"/"FAIL" line per check.
set -u
cpyc=$1
status=0
say() { if [ "$1" = 0 ]; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi; }
# compare VERSION GOLDEN [OPTION...]: cpyc dis OPTIONS of the golden pycs of VERSION against GOLDEN
compare() {
  local v=$1 want=$2; shift 2
  local what="dis${*:+ $*} of the golden pycs of $v as CPython $v lists them"
  got=$(ls tests/golden/pyc/$v/*.pyc | "$cpyc" dis "$@" --files-from - | sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /')
  if d=$(diff <(printf '%s\n' "$got") "$want"); then
    say 0 "$what"
  else say 1 "$what"; head -10 <<<"$d" | sed 's/^/     /'; fi
}
for want in tests/golden/dis/*.txt; do
  name=$(basename "$want" .txt)          # 3.N, or 3.N-C-O for a listing with -C -O
  v=${name%%-*}
  opts=(); o=${name#"$v"}
  while [ -n "$o" ]; do o=${o#-}; opts+=("-${o%%-*}"); o=${o#"${o%%-*}"}; done
  compare "$v" "$want" "${opts[@]}"
  # dis of 3.8-3.10 has no show_caches: -C must leave the listing as it is
  case $name in 3.8|3.9|3.10) compare "$v" "$want" -C ;; esac
done
# a pyc of a version cpyc does not read: one line naming that version, exit 1
for f in tests/golden/pyc/foreign/*; do
  v=$(basename "$f" .pyc); v=${v#python}; case $v in 2.*) v=2 ;; esac
  err=$("$cpyc" dis "$f" 2>&1 >/dev/null); rc=$?
  if [ $rc = 1 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q "of Python $v (magic" <<<"$err"; then
    say 0 "dis $(basename "$f"): $err"
  else say 1 "dis $(basename "$f"): exit $rc: $err"; fi
done
# source: compiled and listed as `python3.13 -m dis [-C] [-O] FILE.py` lists it (goldens written
# by tests/golden/make_dis_src_goldens.sh; code-object addresses normalized)
norm() { sed -E 's/ at 0x[0-9a-f]+, file / at 0x?, file /'; }
for want in tests/golden/dis-src/*.txt; do
  name=$(basename "$want" .txt); src=tests/golden/src/${name%%--*}.py
  opts=(); case $name in *--C-O) opts=(-C -O) ;; esac
  if d=$(diff <("$cpyc" dis "${opts[@]}" "$src" 2>&1 | norm) "$want"); then
    say 0 "dis ${opts[*]:+${opts[*]} }$src as python3.13 -m dis lists it (golden)"
  else say 1 "dis ${opts[*]:+${opts[*]} }$src as python3.13 -m dis lists it (golden)"; head -10 <<<"$d" | sed 's/^/     /'; fi
done
for f in tests/fuzz-regressions/*; do
  "$cpyc" dis "$f" > /dev/null 2>&1; rc=$?
  if [ $rc -le 1 ]; then say 0 "dis $(basename "$f") (exit $rc)"; else say 1 "dis $(basename "$f"): exit $rc"; fi
done
exit $status
