"""Compares the tokens CPython's parser gets (the C tokenizer without extra tokens, fed the
source as compile() sees it) with `cpyc tokenize --parser FILE`, run with the oracle:
    python3.13 tools/check_ptokens.py build/cpyc FILE...
Columns of cpyc (UTF-8 bytes) are converted to characters as CPython's token iterator gives
them. FSTRING_MIDDLE tokens are left out (the iterator positions them unlike the parser).
Prints the first difference of each differing file and "ptokens: N of M identical"; exits 1
when a file differs. Files CPython cannot tokenize, and empty ones, are skipped."""
import io
import re
import subprocess
import sys
import token
import tokenize

POS = re.compile(r"(-?\d+),(-?\d+)-(-?\d+),(-?\d+) (\w+) (.*)$")


def source_text(data):
    enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(enc)
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


def want_tokens(text):
    out = []
    for t in tokenize._generate_tokens_from_c_tokenizer(io.StringIO(text).readline, extra_tokens=False):
        if t.type != token.FSTRING_MIDDLE:
            out.append("%d,%d-%d,%d %s %r" % (t.start + t.end + (token.tok_name[t.type], t.string)))
    return out


def got_tokens(cpyc, path, text):
    lines = [l.encode("utf-8") for l in text.split("\n")]

    def chars(line, col):
        col = int(col)
        if col < 0 or line < 1 or line > len(lines):
            return col
        return len(lines[line - 1][:col].decode("utf-8", "replace"))

    r = subprocess.run([cpyc, "tokenize", "--parser", path], stdout=subprocess.PIPE)
    out = []
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        m = POS.match(line)
        if not m:
            return None
        l1, c1, l2, c2, typ, rest = m.groups()
        if typ == "FSTRING_MIDDLE":
            continue
        rest = rest.split(" meta=")[0]
        l1, l2 = int(l1), int(l2)
        out.append("%d,%d-%d,%d %s %s" % (l1, chars(l1, c1), l2, chars(l2, c2), typ, rest))
    return out


def main():
    cpyc, files = sys.argv[1], sys.argv[2:]
    same = total = 0
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = source_text(data)
            want = want_tokens(text)
        except (SyntaxError, tokenize.TokenError, UnicodeDecodeError, LookupError):
            continue
        if not text:
            continue    # (the iterator yields nothing at all for empty input)
        total += 1
        got = got_tokens(cpyc, path, text)
        if got == want:
            same += 1
            continue
        got = got or []
        k = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
        print("%s: token %d: want %s, got %s" % (path, k, want[k] if k < len(want) else "(end)",
                                                 got[k] if k < len(got) else "(end)"))
    print("ptokens: %d of %d identical" % (same, total))
    return 0 if same == total else 1


sys.exit(main())
