#!/usr/bin/env bash
# bench_parse.sh CPYC - front-end speed over the 3.13 stdlib (or $BENCH_DIR): the best of 5 runs.
set -u
cpyc=$1
dir=${BENCH_DIR:-}
if [ -z "$dir" ]; then
  py=$(bash "$(dirname "$0")/oracle_python.sh" 3.13) || { echo "bench: no CPython 3.13 (set BENCH_DIR)"; exit 0; }
  dir=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
fi
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$dir" -path "$dir/site-packages" -prune -o -name '*.py' -print | sort > "$list"
for _ in 1 2 3 4 5; do "$cpyc" ast --bench < "$list"; done | sort -t: -k2 -n | tail -n 1
