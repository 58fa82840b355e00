#!/usr/bin/env bash
# thirdparty.sh - code no one here wrote: `cpyc compile` against CPython 3.13's py_compile (a
# fresh process per file, tools/oracle_pycompile.py) at optimize 0, 1 and 2 on every
# $THIRDPARTY_SAMPLE-th (default 4th) source of a tree of third-party projects: the directory
# in $CPYC_THIRDPARTY, else the largest site-packages of the pyenv interpreters (this
# project's machines carry some 10,000 files of real projects in 3.11's). Every pyc the oracle
# writes must be written alike; the trees are the oracle's, so no golden files.
set -u
CPYC=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
PY=$(bash "$root/tools/oracle_python.sh" 3.13 2>/dev/null) || {
  echo "skip thirdparty: pycs of third-party projects (no CPython 3.13 oracle)"; exit 0; }
dir=${CPYC_THIRDPARTY:-}
if [ -z "$dir" ] && command -v pyenv > /dev/null; then
  best=0
  for v in $(pyenv versions --bare 2>/dev/null); do
    for d in "$(pyenv prefix "$v" 2>/dev/null)"/lib/python*/site-packages; do
      [ -d "$d" ] || continue
      n=$(find "$d" -name '*.py' | wc -l)
      if [ "$n" -gt "$best" ]; then best=$n; dir=$d; fi
    done
  done
  [ "$best" -ge 2000 ] || dir=""
fi
if [ -z "$dir" ]; then
  echo "skip thirdparty: pycs of third-party projects (no tree of them: set CPYC_THIRDPARTY)"; exit 0
fi
out=$("$PY" "$root/tools/conformance.py" --cpyc "$CPYC" --versions 3.13 --stages pyc,pyc-O1,pyc-O2 \
        --corpus "$dir" --corpus-name thirdparty --sample "${THIRDPARTY_SAMPLE:-4}" --show 10 2>&1)
rows=$(grep -c '^pyc.* 3.13 thirdparty: files' <<<"$out")
bad=$(grep '^pyc.* 3.13 thirdparty: files' <<<"$out" |
      awk -F'[:,] ' '{ c = $3; i = $4; sub(/.* /, "", c); sub(/.* /, "", i); if (c != i || c < 100) print }')
if [ "$rows" = 3 ] && [ -z "$bad" ]; then
  echo "ok thirdparty: $(grep '^pyc 3.13' <<<"$out" | sed 's/.*compiled by CPython \([0-9]*\).*/\1/') pycs of $dir identical at optimize 0, 1, 2"
else
  echo "FAIL thirdparty: pycs of $dir against the oracle"
  echo "$out" | head -40 | sed 's/^/    /'
fi
