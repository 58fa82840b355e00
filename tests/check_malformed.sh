#!/usr/bin/env bash
# check_malformed.sh CPYC DIR - builds malformed pycs in DIR and checks that `cpyc inspect`
# rejects each with exit status 1 and exactly one line on stderr that names the file and says
# where (a byte offset) or which Python wrote it. Prints "ok NAME" per case; exit 1 on failure.
set -u
cpyc=$1; dir=$2
mkdir -p "$dir"
status=0
hdr='\xf3\x0d\x0d\x0a\0\0\0\0\0\0\0\0\0\0\0\0'   # 3.13 magic (3571), timestamp pyc (printf escapes)

expect() {  # expect NAME FILE PATTERN
  local name=$1 file=$2 pattern=$3 out err rc
  out=$("$cpyc" inspect "$file" 2>"$dir/stderr"); rc=$?
  err=$(cat "$dir/stderr")
  if [ $rc -ne 1 ] || [ -n "$out" ] || [ "$(wc -l < "$dir/stderr")" -ne 1 ] ||
     ! grep -qF -- "$file" "$dir/stderr" || ! grep -qE -- "$pattern" "$dir/stderr"; then
    echo "FAIL $name: exit $rc, stderr: $err"; status=1
  else
    echo "ok $name"
  fi
}

mk() { printf "$2" > "$dir/$1"; }                 # mk NAME PRINTF-BYTES
mkh() { printf "$hdr$2" > "$dir/$1"; }  # with a 3.13 header

mk empty ''
expect "empty file" "$dir/empty" "offset 0: too short"
mk text 'print("hello")\n'
expect "not a pyc" "$dir/text" "offset 0: bad magic number"
mk short-header '\xf3\x0d\x0d\x0a\0\0'
expect "header cut short" "$dir/short-header" "offset 6: pyc header truncated"
mk unknown-magic '\x01\x00\x0d\x0a\0\0\0\0\0\0\0\0\0\0\0\0N'
expect "unknown magic" "$dir/unknown-magic" "magic number 1\\) is not supported"
for f in tests/golden/pyc/foreign/python*.pyc; do
  v=$(basename "$f" .pyc); v=${v#python}
  cp "$f" "$dir/foreign-$v.pyc"
  expect "pyc of Python $v" "$dir/foreign-$v.pyc" "pyc of Python ${v%%.*}(\\.${v#*.})?"
done
mk bad-flags '\xf3\x0d\x0d\x0a\x04\0\0\0\0\0\0\0\0\0\0\0N'
expect "invalid flags" "$dir/bad-flags" "offset 4: invalid flags 0x4"
mkh no-object ''
expect "no object after the header" "$dir/no-object" "offset 16: EOF read where object expected"
mkh unknown-type '\x99'
expect "unknown type code" "$dir/unknown-type" "offset 16: bad marshal data \\(unknown type code 0x99\\)"
mkh bad-ref '\x29\x01\x72\x05\0\0\0'
expect "reference out of range" "$dir/bad-ref" "offset 18: bad marshal data \\(invalid reference 5"
mkh absurd-tuple '\x28\xff\xff\xff\x7f'
expect "absurd tuple length" "$dir/absurd-tuple" "offset 17: .*tuple size 2147483647 exceeds"
mkh absurd-str '\x75\x00\x00\x00\x40abc'
expect "absurd str length" "$dir/absurd-str" "offset 17: .*str size 1073741824 exceeds"
mkh negative-len '\x73\xff\xff\xff\xff'
expect "negative bytes length" "$dir/negative-len" "offset 17: .*bytes size -1 out of range"
mkh not-code 'N'
expect "module is not a code object" "$dir/not-code" "offset 16: module is a NoneType, not a code object"
{ printf "$hdr"; for _ in $(seq 3000); do printf '\x5b\x01\x00\x00\x00'; done; printf 'N'; } > "$dir/deep"
expect "nesting deeper than marshal allows" "$dir/deep" "recursion limit exceeded"
# Every truncation of a real pyc, of each version.
for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
  src=tests/golden/pyc/$v/functions.pyc
  size=$(stat -c %s "$src")
  bad=0
  for ((n = 0; n < size; n += 7)); do
    head -c "$n" "$src" > "$dir/cut"
    out=$("$cpyc" inspect "$dir/cut" 2>"$dir/stderr"); rc=$?
    if [ $rc -ne 1 ] || [ -n "$out" ] || [ "$(wc -l < "$dir/stderr")" -ne 1 ] || ! grep -q "offset" "$dir/stderr"; then
      echo "FAIL $v pyc cut at $n bytes: exit $rc: $(cat "$dir/stderr")"; bad=1; status=1; break
    fi
  done
  [ $bad -eq 0 ] && echo "ok every 7th truncation of a $v pyc ($size bytes)"
done
exit $status
