#!/usr/bin/env bash
# check_facts.sh CPYC PYC FACTS - the oracle's facts must appear, in order, in `cpyc inspect`.
set -u
out=$("$1" inspect "$2" 2>&1) || { echo "inspect failed: $out"; exit 1; }
printf '%s\n' "$out" | sed 's/^ *//' | awk -v facts="$3" '
  BEGIN { n = 0; while ((getline line < facts) > 0) want[n++] = line; i = 0 }
  i < n && ($0 == want[i] || (want[i] ~ /^[0-9]+: frozenset$/ && index($0, want[i]) == 1)) { i++ }
  END { if (i < n) { print "missing or out of order: " want[i]; exit 1 } }'
