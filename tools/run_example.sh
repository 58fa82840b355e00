#!/usr/bin/env bash
# run_example.sh CPYC - the main job on the default input (examples/hello).
# cpyc has no code generator yet, so this shows what exists: CPython 3.13 (when installed)
# compiles the example package, and cpyc reads every pyc it wrote, prints its header and
# code-object tree, and checks that writing it back gives the same bytes.
set -eu
cpyc=$1
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if py=$(bash tools/oracle_python.sh 3.13); then
  cp -r examples/hello "$out/"
  "$py" -m compileall -q "$out/hello"
  echo "# CPython 3.13 compiled examples/hello; cpyc reads what it wrote:"
  pycs=$(find "$out/hello" -name '*.pyc' | sort)
else
  echo "# CPython 3.13 is not installed; cpyc reads the committed golden pycs instead:"
  pycs=$(ls tests/golden/pyc/3.13/*.pyc)
fi
for f in $pycs; do "$cpyc" inspect "$f"; echo; done
"$cpyc" inspect --verify --quiet $pycs
