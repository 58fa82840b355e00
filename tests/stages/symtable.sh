#!/usr/bin/env bash
# symtable.sh - the symbol table stage (src/compile/symtable*.c) through `cpyc symtable`:
#  - committed goldens (tests/stages/symtable/golden/*.py: .out as python -m symtable prints,
#    .raw every block's full flags; from tools/gen_symtable_golden.py under the oracle);
#  - the committed suite of symtable SyntaxErrors (tests/stages/symtable/errors.txt, from
#    tools/gen_symtable_errors.py): type, line, offset and message;
#  - the live oracle over its stdlib: python -m symtable's output on every 3rd file and the
#    raw dump on the next ones (CPYC_SYMTABLE_FULL=1: both on every file).
# Usage: symtable.sh CPYC TMPDIR; prints "ok ..."/"FAIL ..."/"skip ..." lines.
set -u
case $1 in /*) CPYC=$1 ;; *) CPYC=$PWD/$1 ;; esac
tmp=$2
cd "$(dirname "$0")/../.."
mkdir -p "$tmp"
rc=0
dir=tests/stages/symtable

echo "== symtable: committed goldens ($dir/golden)"
for f in "$dir"/golden/*.py; do
  b=${f%.py}
  if "$CPYC" symtable "$f" > "$tmp/st.out" 2> "$tmp/st.err" && cmp -s "$b.out" "$tmp/st.out" &&
     "$CPYC" symtable --raw "$f" > "$tmp/st.raw" 2>> "$tmp/st.err" && cmp -s "$b.raw" "$tmp/st.raw"; then
    echo "ok   cpyc symtable $f is python -m symtable's (golden)"
  else
    echo "FAIL cpyc symtable $f differs from the golden"
    { diff "$b.out" "$tmp/st.out"; diff "$b.raw" "$tmp/st.raw"; head -5 "$tmp/st.err"; } 2>&1 | head -12 | sed 's/^/     /'
    rc=1
  fi
done

echo "== symtable: SyntaxErrors as CPython 3.13's symbol table raises them ($dir/errors.txt)"
rm -rf "$tmp/sterr" && mkdir -p "$tmp/sterr"
awk -v dir="$tmp/sterr" '
  /^=== / { split(substr($0, 5), f, "\t"); name = f[1]; file = dir "/" name ".py";
            sub(/^=== [^\t]*\t/, ""); print > (dir "/" name ".want"); close(dir "/" name ".want"); printf "" > file; next }
  { print >> file; close(file) }' "$dir/errors.txt"
total=0 same=0
: > "$tmp/sterr-diffs"
for want in "$tmp"/sterr/*.want; do
  src=${want%.want}.py
  total=$((total + 1))
  got=$("$CPYC" symtable --error-tsv "$src" 2>/dev/null | tail -n 1)
  if [ "$got" = "$(cat "$want")" ]; then same=$((same + 1)); else
    printf '%s: want %s | got %s\n' "$(basename "$src")" "$(cat "$want")" "$got" >> "$tmp/sterr-diffs"; fi
done
if [ "$total" -gt 0 ] && [ "$same" -eq "$total" ]; then
  echo "ok   symtable errors reported as CPython 3.13: $same of $total"
else
  echo "FAIL symtable errors reported as CPython 3.13: $same of $total"
  head -20 "$tmp/sterr-diffs" | sed 's/^/     /'
  rc=1
fi

echo "== symtable: python -m symtable of CPython 3.13 over its stdlib"
if py=$(bash tools/oracle_python.sh 3.13); then
  lib=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
  find "$lib" -path "$lib/site-packages" -prune -o -name '*.py' -print | sort > "$tmp/st-all"
  mkdir -p "$tmp/stw"
  # printed form on every 3rd file, the raw dump on the next one (all of both when FULL)
  awk -v full="${CPYC_SYMTABLE_FULL:-}" -v d="$tmp/stw" \
    '{ if (full != "" || NR % 3 == 1) print $0 "\t" d "/" NR ".out" > (d "/list.out");
       if (full != "" || NR % 3 == 2) print $0 "\t" d "/" NR ".raw" > (d "/list.raw") }' "$tmp/st-all"
  for mode in out raw; do
    flag=; [ $mode = raw ] && flag=--raw
    if ! PYTHONHASHSEED=0 "$py" tools/oracle_symtable.py $flag < "$tmp/stw/list.$mode" > "$tmp/stw/status.$mode" 2> "$tmp/stw/oracle.err"; then
      echo "FAIL the oracle failed on the stdlib ($mode)"; head -5 "$tmp/stw/oracle.err" | sed 's/^/     /'; rc=1; continue
    fi
    n=0 ok=0
    : > "$tmp/stw/diffs.$mode"
    while IFS=$'\t' read -r src want; do
      n=$((n + 1))
      if [ $mode = raw ]; then "$CPYC" symtable --raw --error-tsv "$src" > "$tmp/stw/got" 2>/dev/null
      elif [ -s "$want" ]; then "$CPYC" symtable "$src" > "$tmp/stw/got" 2>/dev/null
      else "$CPYC" symtable "$src" > "$tmp/stw/got" 2>/dev/null && echo "(accepted)" > "$tmp/stw/got"; fi
      if cmp -s "$want" "$tmp/stw/got"; then ok=$((ok + 1)); else echo "$src" >> "$tmp/stw/diffs.$mode"; fi
    done < "$tmp/stw/list.$mode"
    what="python -m symtable's output"; [ $mode = raw ] && what="every block's flags, parameters and lines (--raw)"
    if [ "$ok" -eq "$n" ] && [ "$n" -gt 0 ]; then echo "ok   $what identical on $ok of $n stdlib files"
    else echo "FAIL $what identical on $ok of $n stdlib files"; head -10 "$tmp/stw/diffs.$mode" | sed 's/^/     /'; rc=1; fi
  done
else
  echo "skip CPython 3.13 is not installed: the stdlib is not compared"
fi
[ $rc -eq 0 ] && echo "symtable: all checks passed ($same of $total errors as CPython)"
exit $rc
