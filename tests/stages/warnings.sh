#!/usr/bin/env bash
# warnings.sh - the SyntaxWarnings CPython 3.13's compile() issues (the tokenizer's "invalid
# decimal literal", the parser's "invalid escape sequence", the compiler's "'int' object is not
# callable", "\"is\" with 'str' literal", ...), printed as the warnings module prints them:
# `cpyc py_compile` of each program of tests/warnings/programs.txt against what
# `python3.13 -m py_compile` printed (tests/warnings/expected.txt, tools/oracle_warnings.py),
# then `cpyc compileall` against `python3.13 -m compileall` on old stdlib files that warn.
set -u
cpyc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") tmp=$2/warnings
rm -rf "$tmp"; mkdir -p "$tmp/progs"
cd "$(dirname "$0")/../.."
root=$PWD
python3 - "$root/tests/warnings/programs.txt" "$tmp/progs" <<'PY' || { echo "FAIL warnings: cannot split the programs"; exit 0; }
import sys
text = open(sys.argv[1], encoding="utf-8").read()
for i, p in enumerate(text.split("\n###\n"), 1):
    open("%s/w%d.py" % (sys.argv[2], i), "w", encoding="utf-8").write(p.strip("\n") + "\n")
PY
n=$(ls "$tmp/progs" | wc -l)
( cd "$tmp/progs" && for i in $(seq 1 "$n"); do
    "$cpyc" py_compile "w$i.py" 2> "../w$i.err"; rc=$?
    printf '=== w%d.py\t%d\n' "$i" "$rc"; cat "../w$i.err"
  done ) > "$tmp/got.txt"
if cmp -s "$tmp/got.txt" tests/warnings/expected.txt; then
  echo "ok warnings: $n of $n programs print CPython 3.13's warnings and errors (tests/warnings/expected.txt)"
else
  bad=$(diff <(awk '/^=== /{name=$2} {print name "\t" $0}' tests/warnings/expected.txt) \
             <(awk '/^=== /{name=$2} {print name "\t" $0}' "$tmp/got.txt") | grep '^[<>]' | cut -f1 | cut -c3- | sort -u | wc -l)
  echo "FAIL warnings: $bad of $n programs print other warnings than CPython 3.13's"
  diff tests/warnings/expected.txt "$tmp/got.txt" | head -20 | sed 's/^/     /'
fi

# live: old stdlib files (3.8's) that warn under 3.13, through both compileall command lines
py=$(bash tools/oracle_python.sh 3.13) || { echo "skip warnings: live compileall comparison (no CPython 3.13)"; exit 0; }
old=$(bash tools/oracle_python.sh 3.8) || { echo "skip warnings: live compileall comparison (no CPython 3.8 stdlib)"; exit 0; }
lib=$("$old" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
files="test/test_grammar.py test/test_httpservers.py test/test_ipaddress.py lib2to3/tests/data/py3_test_grammar.py
       test/test_fstring.py test/test_string_literals.py test/test_coroutines.py test/test_re.py sre_parse.py"
for side in cpython cpyc; do
  mkdir -p "$tmp/$side"
  for f in $files; do [ -f "$lib/$f" ] && mkdir -p "$tmp/$side/$(dirname "$f")" && cp "$lib/$f" "$tmp/$side/$f"; done
done
( cd "$tmp/cpython" && PYTHONWARNINGS= "$py" -m compileall -q . > ../cpython.out 2> ../cpython.err; echo "exit $?" >> ../cpython.out )
( cd "$tmp/cpyc" && "$cpyc" compileall -q -j 1 . > ../cpyc.out 2> ../cpyc.err; echo "exit $?" >> ../cpyc.out )
nw=$(grep -c 'Warning: ' "$tmp/cpython.err")
if [ "$nw" -eq 0 ]; then
  echo "FAIL warnings: CPython 3.13 issued no warning on 3.8's stdlib files (the live check means nothing)"
elif cmp -s "$tmp/cpython.err" "$tmp/cpyc.err" && cmp -s "$tmp/cpython.out" "$tmp/cpyc.out"; then
  echo "ok warnings: compileall of $(echo $files | wc -w) files of 3.8's stdlib: the same $nw warnings as python3.13 -m compileall"
else
  echo "FAIL warnings: compileall of 3.8's stdlib files warns otherwise than python3.13 -m compileall"
  diff "$tmp/cpython.err" "$tmp/cpyc.err" | head -10 | sed 's/^/     /'
fi

# live: random programs (tools/gen_warning_programs.py, seed $WARN_SEED, else the day of the
# year) through both compileall command lines: the same stdout (errors) and stderr (warnings)
seed=${WARN_SEED:-$(date +%j | sed 's/^0*//')}
for side in cpython cpyc; do python3 tools/gen_warning_programs.py "$seed" 300 "$tmp/gen_$side"; done
( cd "$tmp/gen_cpython" && PYTHONWARNINGS= "$py" -m compileall -q . > ../gen_cpython.out 2> ../gen_cpython.err; echo "exit $?" >> ../gen_cpython.out )
( cd "$tmp/gen_cpyc" && "$cpyc" compileall -q -j 1 . > ../gen_cpyc.out 2> ../gen_cpyc.err; echo "exit $?" >> ../gen_cpyc.out )
nw=$(grep -c 'Warning: ' "$tmp/gen_cpython.err"); ne=$(grep -c '^\*\*\* Error compiling' "$tmp/gen_cpython.out")
if cmp -s "$tmp/gen_cpython.err" "$tmp/gen_cpyc.err" && cmp -s "$tmp/gen_cpython.out" "$tmp/gen_cpyc.out"; then
  echo "ok warnings: 300 generated programs (seed $seed): the same $nw warnings and $ne errors as python3.13 -m compileall"
else
  echo "FAIL warnings: generated programs (WARN_SEED=$seed) print otherwise than python3.13 -m compileall"
  diff "$tmp/gen_cpython.err" "$tmp/gen_cpyc.err" | head -6 | sed 's/^/     /'
  diff "$tmp/gen_cpython.out" "$tmp/gen_cpyc.out" | head -6 | sed 's/^/     /'
fi
