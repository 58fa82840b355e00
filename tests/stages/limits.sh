#!/usr/bin/env bash
# limits.sh - hostile inputs and limits (issue 10): each case of tools/gen_limits_cases.py
# (deep nesting, long lines, huge literals, NUL bytes, invalid UTF-8, truncated and mutated
# modules) must end as CPython 3.13's py_compile ends, recorded in tests/stages/limits/
# expected.tsv by that script: the same pyc bytes (their sha256), or the same error type and
# line, or where CPython itself crashes ("crash"), any clean error; never a crash, and each
# within a few seconds. Needs no oracle.
set -u
CPYC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TMP=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$TMP/limits
rm -rf "$dir"
python3 "$root/tools/gen_limits_cases.py" write "$dir" || { echo "FAIL limits: generator"; exit 0; }

# outcome NAME: what cpyc compile does with NAME.py, in the expected.tsv form
outcome() {
  local name=$1 rc
  (cd "$dir" && timeout 10 "$CPYC" compile --filename "$name.py" --invalidation-mode unchecked-hash \
     -o "$name.pyc" "$name.py") > "$dir/$name.out" 2> "$dir/$name.err"
  rc=$?
  if [ $rc = 0 ]; then echo "ok $(sha256sum < "$dir/$name.pyc" | cut -d' ' -f1)"; return; fi
  if [ $rc = 124 ]; then echo "timeout"; return; fi
  if [ $rc -gt 128 ]; then echo "crash signal $((rc - 128))"; return; fi
  local type line
  type=$(grep -oE '^(Sorry: )?[A-Za-z]+(Error|Exception)' "$dir/$name.err" | tail -1 | sed 's/^Sorry: //')
  line=$(grep -oE '^ *File "[^"]*", line [0-9]+' "$dir/$name.err" | tail -1 | grep -oE '[0-9]+$')
  echo "error ${type:-?} ${line:-0}"
}

n=0
bad=0
start=$SECONDS
while IFS=$'\t' read -r name want; do
  n=$((n + 1))
  t0=$SECONDS
  got=$(outcome "$name")
  # where CPython itself crashes, any clean error of cpyc's is the right end (a crash is not)
  case $want:$got in crash*:error*) got=$want ;; esac
  if [ "$got" != "$want" ]; then
    [ $bad = 0 ] && echo "FAIL limits: cases ending otherwise than CPython 3.13"
    bad=$((bad + 1))
    echo "    $name: want '$want', got '$got' ($((SECONDS - t0)) s)"
    head -c 300 "$dir/$name.err" | tail -3 | sed 's/^/      /'
  fi
  rm -f "$dir/$name.pyc"
done < "$root/tests/stages/limits/expected.tsv"
if [ $n -lt 100 ]; then echo "FAIL limits: only $n cases in expected.tsv"
elif [ $bad = 0 ]; then echo "ok limits: $n hostile inputs end as CPython 3.13 ends ($((SECONDS - start)) s)"
fi
