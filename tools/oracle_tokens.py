"""Writes what `python -m tokenize [-e] FILE` prints, for many files in one process, with the
running CPython (the oracle).

Reads "SOURCE<TAB>OUTPUT" lines on stdin; writes OUTPUT (what goes to stdout) and
OUTPUT.err (what goes to stderr, empty when tokenizing succeeds) the way Lib/tokenize.py's
main() does, and prints one line per input: "ok" or "error". With --exact, as `-e`.
"""
import sys
import tokenize
from token import tok_name


def render(path, exact):
    out, err = [], ""

    def error(message, location=None):
        if location:
            return "%s:%d:%d: error: %s\n" % ((path,) + location + (message,))
        return "%s: error: %s\n" % (path, message)

    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(f.readline))
        for token in tokens:
            token_type = token.exact_type if exact else token.type
            token_range = "%d,%d-%d,%d:" % (token.start + token.end)
            out.append("%-20s%-15s%-15r\n" % (token_range, tok_name[token_type], token.string))
    except IndentationError as e:
        line, column = e.args[1][1:3]
        err = error(e.args[0], (line, column))
    except tokenize.TokenError as e:
        line, column = e.args[1]
        err = error(e.args[0], (line, column))
    except SyntaxError as e:
        err = error(e)
    except OSError as e:
        err = "error: %s\n" % e
    return "".join(out), err


def main():
    exact = "--exact" in sys.argv[1:]
    for line in sys.stdin:
        src, dst = line.rstrip("\n").split("\t")
        out, err = render(src, exact)
        with open(dst, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(out)
        with open(dst + ".err", "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(err)
        print("error" if err else "ok")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
