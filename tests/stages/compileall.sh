#!/usr/bin/env bash
# compileall.sh CPYC TMPDIR - `cpyc compileall` and `cpyc py_compile` side by side with
# python3.13 -m compileall / -m py_compile on the same trees at the same path
# (tests/stages/compileall_sbs.py). While the back end cannot compile the trees' sources, a
# build of cpyc with a stand-in back end (compileall_fake_backend.c) checks everything but
# the pyc bodies, and the bodies are reported as skipped.
set -u
cpyc=$1 tmp=$2
cd "$(dirname "$0")/../.."
py=$(bash tools/oracle_python.sh 3.13 2>/dev/null) || { echo "skip compileall: no CPython 3.13 oracle (tools/oracle_python.sh 3.13)"; exit 0; }
build=$(dirname "$cpyc")
fake=$tmp/cpyc-fake-backend
objs=$build/libcpyc.a   # not obj/: a tree built before files moved keeps their old objects
san=   # objects built by make sanitize / make tsan link with their runtime
if nm "$build/obj/src/base/arena.o" 2>/dev/null | grep -q __asan; then san="-fsanitize=address,undefined"
elif nm "$build/obj/src/base/arena.o" 2>/dev/null | grep -q __tsan; then san="-fsanitize=thread"; fi
if ! ${CC:-cc} $san -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc -O1 \
     tests/stages/compileall_fake_backend.c "$build/obj/src/cli/main.o" $objs -lm -lpthread \
     -Wl,--allow-multiple-definition -o "$fake" 2>"$tmp/fake.log"; then
  echo "FAIL compileall: cannot build the stand-in back end"; sed 's/^/    /' "$tmp/fake.log" | head; exit 1
fi
PYTHONHASHSEED=0 "$py" tests/stages/compileall_sbs.py --python "$py" --cpyc "$cpyc" --fake "$fake" --tmp "$tmp"
