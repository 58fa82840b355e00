#!/usr/bin/env bash
# Seeds a fuzz corpus folder with small sources: the tokenizer suite and stdlib files of CPython 3.13.
set -u
dir=$1
here=$(dirname "$0")
mkdir -p "$dir"
cp "$here"/../tests/tokenize/invalid/*.py "$here"/../tests/tokenize/valid/*.py "$dir"/ 2>/dev/null
if py=$(bash "$here/../tools/oracle_python.sh" 3.13 2>/dev/null); then
  lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  find "$lib" -path '*/site-packages' -prune -o -name '*.py' -size -4k -print 2>/dev/null | head -300 |
    while read -r f; do cp "$f" "$dir/std-$(echo "$f" | md5sum | cut -c1-12).py"; done
fi
ls "$dir" | wc -l | sed 's/^/seed files: /'
