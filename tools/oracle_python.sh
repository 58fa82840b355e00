#!/usr/bin/env bash
# Prints the path of the oracle CPython for a version (e.g. 3.13), or exits 1 when none is
# installed. CPYC_PYTHON_3_13 (dots as underscores) overrides; "any" picks the newest found.
set -u
want=${1:-any}
if [ "$want" = any ]; then
  for v in 3.13 3.12 3.11 3.10 3.9 3.8; do
    p=$(bash "$0" "$v" 2>/dev/null) && { echo "$p"; exit 0; }
  done
  p=$(command -v python3) && { echo "$p"; exit 0; }
  exit 1
fi
var="CPYC_PYTHON_${want//./_}"
if [ -n "${!var:-}" ]; then [ -x "${!var}" ] && { echo "${!var}"; exit 0; }; exit 1; fi
if command -v pyenv >/dev/null 2>&1; then
  for full in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -t. -k3 -n -r); do
    p="$(pyenv root)/versions/$full/bin/python${want}"
    [ -x "$p" ] && { echo "$p"; exit 0; }
  done
fi
p=$(command -v "python$want") && { echo "$p"; exit 0; }
exit 1
