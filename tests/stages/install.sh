#!/usr/bin/env bash
# install.sh CPYC TMPDIR - `make install DESTDIR=...` puts cpyc, libcpyc.a/.so, cpyc.h, cpyc.pc and
# cpyc(1) in place; examples/libcpyc/compile_file.c builds against the installed library through
# pkg-config and runs; the man page renders; --help, --version and COMMAND --help answer.
set -u
cpyc=$1 tmp=$2
cd "$(dirname "$0")/../.."
build=$(dirname "$cpyc")
dest=$tmp/install-dest
rm -rf "$dest"
if ! out=$(make -s BUILD="$build" install DESTDIR="$dest" PREFIX=/usr 2>&1); then
  echo "FAIL install: make install"; sed 's/^/    /' <<<"$out" | tail -20; exit 0; fi
missing=
for f in usr/bin/cpyc usr/lib/libcpyc.a usr/lib/libcpyc.so usr/lib/libcpyc.so.0 usr/include/cpyc.h \
         usr/lib/pkgconfig/cpyc.pc usr/share/man/man1/cpyc.1; do
  [ -e "$dest/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then echo "ok install: make install DESTDIR PREFIX=/usr (bin, static + shared lib, header, pkg-config, man)"
else echo "FAIL install: not installed:$missing"; fi
if nm -D --defined-only "$dest/usr/lib/libcpyc.so" | awk '{print $3}' | grep -v '^cpyc_' | grep -q .; then
  echo "FAIL install: libcpyc.so exports symbols beyond cpyc_*"
else echo "ok install: libcpyc.so exports only the cpyc_* API"; fi

if ! command -v pkg-config >/dev/null; then echo "skip install/example: no pkg-config"; else
  flags=$(PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs cpyc)
  if ! out=$(cc -std=c11 -Wall -Wextra -Werror examples/libcpyc/compile_file.c $flags -o "$tmp/compile_file" 2>&1); then
    echo "FAIL install/example: does not build with pkg-config ($flags)"; sed 's/^/    /' <<<"$out" | head
  else
    mkdir -p "$tmp/ex" && printf 'x = 1\n' > "$tmp/ex/mod.py"
    if out=$(LD_LIBRARY_PATH="$dest/usr/lib" "$tmp/compile_file" "$tmp/ex/mod.py" 2>&1) &&
       grep -q "optimize 1: $tmp/ex/__pycache__/mod.cpython-313.opt-1.pyc -> $tmp/ex/mod.py" <<<"$out" &&
       grep -q "^bad.py: " <<<"$out"; then
      echo "ok install/example: built through pkg-config against the shared library, ran ($(tail -n1 <<<"$out"))"
    else
      echo "FAIL install/example: run"; sed 's/^/    /' <<<"$out" | head
    fi
    # the example's pyc against the one CPython's py_compile writes for the same file
    py=$(bash tools/oracle_python.sh 3.13 2>/dev/null) || py=
    pyc=$tmp/ex/__pycache__/mod.cpython-313.pyc
    if grep -q "not compiled" <<<"$out"; then
      echo "skip install/example bytes: the back end cannot compile the example yet"
    elif [ -z "$py" ]; then echo "skip install/example bytes: no CPython 3.13 oracle"
    else
      cp "$pyc" "$tmp/ex/ours.pyc"
      "$py" -c 'import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True)' "$tmp/ex/mod.py"
      if cmp -s "$pyc" "$tmp/ex/ours.pyc"; then echo "ok install/example: its pyc is byte-identical to py_compile's"
      else echo "FAIL install/example: its pyc differs from py_compile's"; fi
    fi
    if ldd "$tmp/compile_file" | grep -q "$dest/usr/lib/libcpyc.so.0" ||
       LD_LIBRARY_PATH="$dest/usr/lib" ldd "$tmp/compile_file" | grep -q "libcpyc.so.0 => $dest"; then
      echo "ok install/example: linked to libcpyc.so.0"
    else echo "FAIL install/example: not linked to the installed libcpyc.so.0"; fi
  fi
  if out=$(cc -std=c11 examples/libcpyc/compile_file.c $(PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig" \
      PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config --cflags --libs --static cpyc) -static -o "$tmp/compile_file_static" 2>&1) &&
     "$tmp/compile_file_static" "$tmp/ex/mod.py" >/dev/null; then
    echo "ok install/example: static link through pkg-config --static"
  else echo "skip install/example static: no static libc to link with"; fi
fi
if command -v man >/dev/null && man -l "$dest/usr/share/man/man1/cpyc.1" 2>/dev/null | grep -q "cpyc compileall"; then
  echo "ok install: man -l shows cpyc(1)"
else echo "skip install: man not available"; fi

"$cpyc" --version | grep -q '^cpyc [0-9]' && echo "ok cli: cpyc --version" || echo "FAIL cli: cpyc --version"
"$cpyc" --help | grep -q 'compileall' && echo "ok cli: cpyc --help" || echo "FAIL cli: cpyc --help"
bad=
for c in inspect dis cmp hash targets tokenize ast compileall py_compile; do
  "$cpyc" $c --help 2>&1 | grep -q "^usage: cpyc $c" || bad="$bad $c"
done
[ -z "$bad" ] && echo "ok cli: cpyc COMMAND --help for every command" || echo "FAIL cli: no --help for:$bad"
