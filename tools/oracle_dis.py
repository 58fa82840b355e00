"""Prints what this CPython's dis.dis() shows for each pyc named on stdin (one path a line),
each listing opening with "==> PATH <==" as `cpyc dis --files-from -` prints them; code-object
addresses are written "0x?" (cpyc numbers them instead). Used by tests/check_dis.sh."""
import dis
import io
import marshal
import re
import sys

ADDRESS = re.compile(r" at 0x[0-9a-f]+, file ")


def main():
    out = sys.stdout
    first = True
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        out.write("%s==> %s <==\n" % ("" if first else "\n", path))
        first = False
        with open(path, "rb") as f:
            data = f.read()
        buf = io.StringIO()
        try:
            dis.dis(marshal.loads(data[16:]), file=buf)
        except Exception as e:  # the listing stops where dis failed, as cpyc's does
            buf.write("error: %s\n" % type(e).__name__)
        out.write(ADDRESS.sub(" at 0x?, file ", buf.getvalue()))


main()
