#!/usr/bin/env bash
# check_hashes.sh CPYC VERSION FILE - FILE holds "str|bytes HEX HASH" lines from the oracle;
# cpyc must compute the same hash for every one. Prints the first mismatch.
set -u
cpyc=$1; ver=$2; file=$3
for kind in str bytes; do
  want=$(awk -F'[ ]' -v k=$kind '$1 == k { print $3 }' "$file")
  got=$(awk -F'[ ]' -v k=$kind '$1 == k { print $2 }' "$file" | "$cpyc" hash --target "$ver" "$kind")
  if [ "$want" != "$got" ]; then
    echo "$kind hashes differ for $ver:"; diff <(echo "$want") <(echo "$got") | head -5; exit 1
  fi
done
echo "$(grep -c . "$file") values"
