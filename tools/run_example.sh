#!/usr/bin/env bash
# run_example.sh CPYC - the main job on the default input (examples/hello): `cpyc compileall`
# compiles the package; where CPython 3.13 is installed it imports the package from the pycs alone
# (legacy layout, sources removed) and `cpyc dis` lists greet.pyc. While the back end cannot
# compile the package yet, CPython compiles it instead and cpyc reads, checks and lists its pycs.
set -eu
cpyc=$1
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp -r examples/hello "$out/"
py=$(bash tools/oracle_python.sh 3.13 2>/dev/null) || py=
echo "\$ cpyc compileall -b $out/hello"
if "$cpyc" compileall -b "$out/hello"; then
  pycs=$(find "$out/hello" -name '*.pyc' | sort)
  if [ -n "$py" ]; then
    rm "$out/hello/"*.py
    echo "# CPython 3.13 imports the package from cpyc's pycs alone:"
    (cd "$out" && "$py" -c 'import hello; print(hello.greet("pycs", shout=True), sorted(hello.PUNCTUATION))')
  fi
else
  echo "# cpyc's back end cannot compile the package yet (see above)."
  rm -rf "$out/hello"; cp -r examples/hello "$out/"
  if [ -n "$py" ]; then
    "$py" -m compileall -q -b "$out/hello"
    echo "# CPython 3.13 compiled it instead; cpyc reads what it wrote:"
    pycs=$(find "$out/hello" -name '*.pyc' | sort)
  else
    echo "# CPython 3.13 is not installed either; cpyc reads the committed golden pycs:"
    pycs=$(ls tests/golden/pyc/3.13/*.pyc)
  fi
fi
for f in $pycs; do "$cpyc" inspect "$f" | head -n 12; echo "    ..."; done
greet=$(ls $pycs | grep greet | head -n1 || true)
if [ -n "$greet" ]; then echo "\$ cpyc dis $(basename "$greet")"; "$cpyc" dis "$greet" | head -n 40; fi
"$cpyc" inspect --verify --quiet $pycs
