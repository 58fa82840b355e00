#!/usr/bin/env bash
# Seeds a fuzz corpus folder with small .pyc files of every installed CPython 3.8-3.13.
set -u
dir=$1
mkdir -p "$dir"
for v in 3.8 3.9 3.10 3.11 3.12 3.13; do
  py=$(bash "$(dirname "$0")/../tools/oracle_python.sh" "$v" 2>/dev/null) || continue
  lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  find "$lib" -path '*/site-packages' -prune -o -name '*.pyc' -size -3k -print 2>/dev/null | head -40 |
    while read -r f; do cp "$f" "$dir/$v-$(basename "$f")"; done
done
ls "$dir" | wc -l | sed 's/^/seed files: /'
