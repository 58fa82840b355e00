"""Prints hash() of generated str and bytes values, as the running CPython computes them.

Run with PYTHONHASHSEED=0. Output lines: "str HEX HASH" or "bytes HEX HASH", HEX being the
value's bytes (UTF-8 with surrogatepass for str). Usage: oracle_hashes.py COUNT [SEED]
"""
import random
import sys

POOLS = [
    [chr(c) for c in range(0x20, 0x7f)],                       # ASCII
    [chr(c) for c in range(0x80, 0x100)],                      # Latin-1
    [chr(c) for c in (0x3b1, 0x416, 0x20ac, 0x65e5, 0xffff)],  # two-byte kinds
    [chr(c) for c in (0xd800, 0xdc00, 0xdfff)],                # lone surrogates
    [chr(c) for c in (0x10000, 0x1f600, 0x10ffff)],            # astral
]


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 12345)
    out = sys.stdout
    for i in range(count):
        n = rng.choice([0, 1, 2, 3, 7, 8, 9, 15, 16, 17, rng.randrange(0, 200)])
        pools = rng.sample(POOLS, rng.randrange(1, len(POOLS) + 1))
        s = "".join(rng.choice(rng.choice(pools)) for _ in range(n))
        out.write("str %s %d\n" % (s.encode("utf-8", "surrogatepass").hex(), hash(s)))
        b = bytes(rng.randrange(256) for _ in range(n))
        out.write("bytes %s %d\n" % (b.hex(), hash(b)))


main()
