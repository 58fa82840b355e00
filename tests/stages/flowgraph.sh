#!/usr/bin/env bash
# The CFG stage (src/compile/flowgraph*.c) through `cpyc cfg-test`: committed goldens written
# by tools/gen_flowgraph_goldens.sh from the oracle, then a sample of the oracle's stdlib
# compared code unit by code unit (optimize_cfg's sequences and the real code objects').
set -u
CPYC=$1
TMP=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
for cg in "$HERE"/flowgraph/*.codegen.txt; do
    base=${cg%.codegen.txt}
    name=flowgraph-golden-$(basename "$base")
    for mode in opt final; do
        flag=; [ $mode = final ] && flag=--final
        if "$CPYC" cfg-test $flag "$cg" > "$TMP/fg.$mode.txt" 2> "$TMP/fg.err" &&
           cmp -s "$TMP/fg.$mode.txt" "$base.$mode.txt"; then
            echo "ok $name-$mode"
        else
            echo "FAIL $name-$mode"
            diff "$base.$mode.txt" "$TMP/fg.$mode.txt" | head -5 | sed 's/^/    /'
            sed 's/^/    /' "$TMP/fg.err"
        fi
    done
done
PY=$(bash "$ROOT/tools/oracle_python.sh" 3.13) || { echo "skip flowgraph-stdlib-sample (no CPython 3.13 oracle)"; exit 0; }
LIB=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
find "$LIB" -path '*/site-packages' -prune -o -path '*/__pycache__' -prune -o -name '*.py' -print |
    sort | awk 'NR % 40 == 7' > "$TMP/fg.files"
if PYTHONHASHSEED=0 "$PY" "$ROOT/tools/cfg_compare.py" "$CPYC" --list "$TMP/fg.files" --show 5 \
       > "$TMP/fg.cmp" 2>&1; then
    echo "ok flowgraph-stdlib-sample ($(head -2 "$TMP/fg.cmp" | cut -d';' -f1 | tr '\n' ' '))"
else
    echo "FAIL flowgraph-stdlib-sample"
    head -30 "$TMP/fg.cmp" | sed 's/^/    /'
fi
