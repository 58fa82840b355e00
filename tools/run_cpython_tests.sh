#!/usr/bin/env bash
# Runs CPython 3.13's own regression tests on a stdlib copy whose pycs cpyc wrote, and on a pristine copy.
# usage: tools/run_cpython_tests.sh [CPYC] [SCRATCH]   (env TESTS overrides the test list)
# Both copies are made read-only and run with -B, so CPython never rewrites the pycs; the
# cpyc copy's pycs are unchecked-hash, so CPython loads them without looking at the source.
set -u
CPYC=$(realpath "${1:-build/cpyc}")
SCRATCH=${2:-$(mktemp -d /tmp/cpyc_cpython_tests.XXXXXX)}
PY=${PYTHON313:-$(pyenv prefix 3.13.0 2>/dev/null)/bin/python}
TESTS=${TESTS:-test_grammar test_patma test_compile test_exceptions test_generators test_coroutines test_listcomps test_type_params test_fstring test_with test_scope test_class test_syntax}
[ -x "$PY" ] || { echo "skip: no python3.13 oracle ($PY)"; exit 0; }
PREFIX=$("$PY" -c 'import sys; print(sys.base_prefix)')
LIB=$PREFIX/lib/python3.13
mkdir -p "$SCRATCH"

# copy LIB (without site-packages) to $SCRATCH/$1/lib/python3.13; the lib-dynload
# extensions are copied too so the copy is a complete PYTHONHOME.
copy_stdlib() {
    local home=$SCRATCH/$1
    chmod -R u+w "$home" 2>/dev/null; rm -rf "$home"
    mkdir -p "$home/lib"
    (cd "$LIB/.." && tar cf - --exclude=python3.13/site-packages python3.13) | tar xf - -C "$home/lib"
    mkdir -p "$home/lib/python3.13/site-packages"
}

echo "== copying the stdlib into $SCRATCH"
copy_stdlib pristine
copy_stdlib cpyc
find "$SCRATCH/cpyc/lib/python3.13" -name '*.pyc' -delete
echo "== compiling with cpyc (opt 0, unchecked-hash)"
start=$(date +%s)
"$CPYC" compileall -q -j 0 --invalidation-mode unchecked-hash "$SCRATCH/cpyc/lib/python3.13" >"$SCRATCH/compileall.log" 2>&1
echo "   cpyc compileall rc=$? (the test suite's deliberately bad sources fail, as with CPython) in $(( $(date +%s) - start )) s ($(find "$SCRATCH/cpyc/lib/python3.13" -name '*.pyc' | wc -l) pycs; log $SCRATCH/compileall.log)"
chmod -R a-w "$SCRATCH/pristine" "$SCRATCH/cpyc"

# run PY with PYTHONHOME = the copy named $1, isolated from user site and env;
# frozen_modules=off so os, codecs, importlib... also load from the copy, not the frozen images
run_py() {
    local home=$SCRATCH/$1; shift
    env -i PATH="$PATH" HOME="$SCRATCH" PYTHONHASHSEED=0 PYTHONHOME="$home" \
        "$PY" -B -s -X frozen_modules=off "$@"
}

# probe: modules must come from the copy, their pycs from cpyc, and the source must not be used
probe() {
    run_py "$1" -c '
import sys, os, codecs, json, email.parser, importlib.util, unittest
home = os.environ["PYTHONHOME"]
bad = [m.__name__ for m in (os, codecs, json, email.parser, unittest)
       if not m.__file__.startswith(home) or not (m.__cached__ or "").startswith(home)]
pyc = importlib.util.cache_from_source(json.__file__)
with open(pyc, "rb") as f: flags = int.from_bytes(f.read(8)[4:8], "little")
print("probe", sys.argv[1], "prefix ok" if not bad else "FOREIGN " + " ".join(bad),
      "pyc flags=%d" % flags, sys.prefix)
' "$1"
}
probe pristine
probe cpyc

summary() { grep -E '^(Result|Total tests|Total duration|SUCCESS|FAILURE|[0-9]+ tests? (OK|failed))' "$1" | tr '\n' ';'; echo; }
status=0
for which in pristine cpyc; do
    echo "== python -m test on the $which copy"
    start=$(date +%s)
    # cwd is the scratch dir so the test tmp dirs do not land in the read-only tree
    (cd "$SCRATCH" && run_py "$which" -m test -j 2 $TESTS) >"$SCRATCH/$which.log" 2>&1
    rc=$?
    echo "   rc=$rc in $(( $(date +%s) - start )) s: $(summary "$SCRATCH/$which.log")"
    [ $rc -eq 0 ] || status=1
done
echo "== per-test results"
for which in pristine cpyc; do
    grep -E '^\[ *[0-9]+/[0-9]+\]' "$SCRATCH/$which.log" | sed -E 's/^\[ *[0-9]+\/[0-9]+\] //; s/ +\(.*//; s/^[0-9:]+ load avg.*//' | sort >"$SCRATCH/$which.tests"
done
if diff "$SCRATCH/pristine.tests" "$SCRATCH/cpyc.tests" >/dev/null; then
    echo "same per-test results on both copies"
else
    echo "per-test results differ (pristine < > cpyc):"; diff "$SCRATCH/pristine.tests" "$SCRATCH/cpyc.tests"
fi
exit $status
