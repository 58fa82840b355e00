#!/usr/bin/env bash
# astopt.sh - the AST optimizer (future.c, ast_opt.c, const_eval.c) and the docstring cleanup:
# `cpyc ast --optimize N` against ast.dump(ast.parse(src, optimize=N), include_attributes=True,
# indent=1) of CPython 3.13, `cpyc ast --cleandoc` against _testinternalcapi.compiler_cleandoc.
# Committed goldens (tools/gen_astopt_golden.py) always; live oracle on fresh random
# expressions and a stdlib sample when CPython 3.13 is installed.
# Usage: astopt.sh CPYC TMPDIR; prints "ok ..."/"FAIL ..."/"skip ..." lines.
# ASTOPT_STEP=1 compares every stdlib file (the full figure; about 10 minutes) instead of every 15th.
set -u
cd "$(dirname "$0")/../.."
CPYC=$1 tmp=$2/astopt
mkdir -p "$tmp"
rc=0
D=tests/astopt

# same NAME WANT GOT: one check line
same() {
  if cmp -s "$2" "$3"; then echo "ok   $1"; else
    echo "FAIL $1"; diff "$2" "$3" | head -10 | sed 's/^/     /'; rc=1; fi
}

echo "== astopt: committed goldens ($D, from tools/gen_astopt_golden.py)"
for src in "$D"/*.py; do
  [ "$src" = "$D/docstrings.py" ] && continue
  for lvl in 1 2; do
    "$CPYC" ast --optimize $lvl "$src" > "$tmp/got" 2> "$tmp/err"
    same "cpyc ast --optimize $lvl $src matches its golden" "${src%.py}.dump" "$tmp/got"
  done
done
"$CPYC" ast --cleandoc "$D/docstrings.py" > "$tmp/got" 2>&1
same "cpyc ast --cleandoc $D/docstrings.py matches compiler_cleandoc's golden" "$D/docstrings.cleandoc" "$tmp/got"
: > "$tmp/errs.got"
awk -v dir="$tmp" 'BEGIN { n = 0 }
  /^[ \t]/ && n { printf "%s\n", $0 >> (dir "/prog" n ".py"); next }
  { n++; printf "%s\n", $0 > (dir "/prog" n ".py") } END { print n > (dir "/nprogs") }' "$D/errors.txt"
for k in $(seq 1 "$(cat "$tmp/nprogs")"); do
  out=$("$CPYC" ast --optimize 1 --error-tsv --quiet "$tmp/prog$k.py" 2>/dev/null)
  [ -z "$out" ] && out=ok
  printf '%s\n' "$out" >> "$tmp/errs.got"
done
same "future-import errors of $D/errors.txt as CPython 3.13.0 places them" "$D/errors.want" "$tmp/errs.got"

: > "$tmp/deep.got"
for n in 9995 9996 9997; do
  for atom in a 1; do
    awk -v n=$n -v a=$atom 'BEGIN { s = "x = " a; for (i = 1; i < n; i++) s = s "+" a; print s }' > "$tmp/deep.py"
    out=$("$CPYC" ast --optimize 1 --quiet "$tmp/deep.py" 2>&1) && out=ok
    echo "$n $atom $out" >> "$tmp/deep.got"
  done
done
same "recursion limits of the optimizer and of the AST conversion, in CPython's order" "$D/deep.want" "$tmp/deep.got"

py=$(bash tools/oracle_python.sh 3.13) || py=
if [ -z "$py" ]; then
  echo "skip CPython 3.13 is not installed: no live comparison (random expressions, stdlib sample)"
  exit $rc
fi

echo "== astopt: fresh random constant expressions against live CPython 3.13"
python_dump() {   # python_dump LEVEL FILE > dump
  PYTHONHASHSEED=0 "$py" -W ignore -c 'import ast, sys
print(ast.dump(ast.parse(open(sys.argv[2], "rb").read(), sys.argv[2], optimize=int(sys.argv[1])), include_attributes=True, indent=1))' "$1" "$2"
}
for run in "11 2500" "12 2500" "13 2500 --format"; do
  set -- $run
  "$py" tools/gen_astopt_random.py "$@" > "$tmp/rnd$1.py"
  what="$2 random expressions (seed $1${3:+, $3})"
  if python_dump 1 "$tmp/rnd$1.py" > "$tmp/want"; then
    "$CPYC" ast --optimize 1 "$tmp/rnd$1.py" > "$tmp/got" 2>&1
    same "$what fold as CPython's" "$tmp/want" "$tmp/got"
  else
    echo "FAIL CPython 3.13 rejects the $what"; rc=1
  fi
done

step=${ASTOPT_STEP:-15}
echo "== astopt: stdlib sample (every ${step}th file) at optimize 1 and 2, and its docstrings"
lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
find "$lib" -name '*.py' -not -path '*/site-packages/*' | LC_ALL=C sort | awk -v s="$step" 'NR % s == 1 || s == 1' > "$tmp/sample"
for lvl in 1 2; do
  awk -v d="$tmp/want$lvl" '{ g = $0; gsub("/", "_", g); print $0 "\t" d "/" g }' "$tmp/sample" > "$tmp/in$lvl"
  PYTHONHASHSEED=0 "$py" tools/oracle_ast.py $lvl < "$tmp/in$lvl" > "$tmp/st$lvl" &
done
awk -v d="$tmp/doc" '{ g = $0; gsub("/", "_", g); print $0 "\t" d "/" g }' "$tmp/sample" > "$tmp/indoc"
PYTHONHASHSEED=0 "$py" tools/oracle_cleandoc.py < "$tmp/indoc" > "$tmp/stdoc"
wait
for lvl in 1 2 doc; do
  total=0 ident=0
  : > "$tmp/diffs$lvl"
  while IFS=$'\t' read -r src want && IFS= read -r st <&3; do
    [ "$st" = ok ] || continue
    total=$((total + 1))
    if [ $lvl = doc ]; then "$CPYC" ast --cleandoc "$src" > "$tmp/got" 2>/dev/null
    else "$CPYC" ast --optimize $lvl "$src" > "$tmp/got" 2>/dev/null; fi
    if cmp -s "$want" "$tmp/got"; then ident=$((ident + 1)); else echo "$src" >> "$tmp/diffs$lvl"; fi
  done < "$tmp/in$lvl" 3< "$tmp/st$lvl"
  what="optimized ASTs (optimize=$lvl)"
  [ $lvl = doc ] && what="cleaned docstrings"
  if [ "$total" -gt 0 ] && [ "$ident" = "$total" ]; then
    echo "ok   stdlib sample: $what identical on $ident of $total files"
  else
    echo "FAIL stdlib sample: $what identical on $ident of $total files"
    head -5 "$tmp/diffs$lvl" | sed 's/^/     /'
    rc=1
  fi
done
exit $rc
