#!/usr/bin/env bash
# clang.sh - every C source (src/, tests/unit/, fuzz/, examples/) compiles under clang with the
# build's warnings as errors (-Wall -Wextra -Werror, C11), as it does under gcc: the fuzz and
# sanitizer builds use clang, and its warnings are not gcc's (-Wmissing-field-initializers
# on positional and compound-literal initializers, for one). Syntax and warnings only
# (-fsyntax-only): a few seconds. Skipped without clang.
set -u
cd "$(dirname "$0")/../.."
CC=${CLANG:-clang}
if ! command -v "$CC" > /dev/null 2>&1; then echo "skip clang: no $CC"; exit 0; fi
bad=0 n=0
for f in $(git ls-files 'src/*.c' 'tests/unit/*.c' 'fuzz/*.c' 'examples/*.c' 2>/dev/null || find src tests/unit fuzz examples -name '*.c'); do
  n=$((n + 1))
  if ! out=$("$CC" -fsyntax-only -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
               -Iinclude -Isrc "$f" 2>&1); then
    bad=$((bad + 1)); echo "FAIL clang -Wall -Wextra -Werror: $f"; echo "$out" | head -5 | sed 's/^/    /'
  fi
done
[ "$bad" = 0 ] && echo "ok clang -Wall -Wextra -Werror: $n C sources compile without a warning ($($CC --version | head -1))"
