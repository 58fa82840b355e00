"""Prints identifiers and their NFKC form as the running CPython computes it, for testing
`cpyc tokenize --nfkc`: with "in", the identifiers one a line; with "out", their NFKC forms.
They cover every non-ASCII identifier character after 'a', and random runs of letters,
combining marks, Hangul jamo and compatibility characters (seeded, so stable)."""
import random
import sys
import unicodedata


def identifiers():
    cont = [chr(cp) for cp in range(0x80, 0x110000) if ("a" + chr(cp)).isidentifier()]
    out = ["a" + c for c in cont]
    marks = [c for c in cont if unicodedata.combining(c)]
    jamo = [chr(cp) for cp in list(range(0x1100, 0x1113)) + list(range(0x1161, 0x1176)) + list(range(0x11A8, 0x11C3))]
    letters = [c for c in "aeiouAEIOUcnszgkhwy"] + [chr(cp) for cp in range(0xC0, 0x180) if chr(cp).isidentifier()]
    rnd = random.Random(0)
    pools = [letters, marks, jamo, cont]
    for _ in range(20000):
        s = rnd.choice(letters + jamo[:19])
        for _ in range(rnd.randint(1, 6)):
            s += rnd.choice(rnd.choice(pools))
        out.append(s)
    return out


def main():
    for s in identifiers():
        if sys.argv[1:] == ["out"]:
            s = unicodedata.normalize("NFKC", s)
        sys.stdout.buffer.write(s.encode("utf-8", "surrogatepass") + b"\n")


main()
