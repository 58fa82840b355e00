#!/usr/bin/env bash
# check_hashes.sh CPYC VERSION FILE - FILE holds "str|bytes HEX HASH" lines from the oracle;
# cpyc must compute the same hash for every one. Prints the first mismatch. A missing or empty
# FILE, or one without values of both kinds, fails: an absent expectation is not a pass.
set -u
cpyc=$1; ver=$2; file=$3
[ -s "$file" ] || { echo "no hash values to compare: $file is missing or empty"; exit 1; }
for kind in str bytes; do
  want=$(awk -F'[ ]' -v k=$kind '$1 == k { print $3 }' "$file")
  [ -n "$want" ] || { echo "no $kind values in $file"; exit 1; }
  got=$(awk -F'[ ]' -v k=$kind '$1 == k { print $2 }' "$file" | "$cpyc" hash --target "$ver" "$kind")
  if [ "$want" != "$got" ]; then
    echo "$kind hashes differ for $ver:"; diff <(echo "$want") <(echo "$got") | head -5; exit 1
  fi
done
echo "$(grep -c . "$file") values"
