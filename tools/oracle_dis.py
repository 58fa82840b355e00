"""Prints what this CPython's dis.dis() shows for each pyc named on stdin (one path a line),
each listing opening with "==> PATH <==" as `cpyc dis --files-from -` prints them; code-object
addresses are written "0x?" (cpyc numbers them instead). --offsets passes show_offsets=True
(3.13+). Used by the "dis" stage of tools/conformance.py and tests/golden/make_dis_goldens.sh."""
import dis
import inspect
import io
import marshal
import re
import sys

ADDRESS = re.compile(r" at 0x[0-9a-f]+, file ")


def main():
    out = sys.stdout
    first = True
    options = {}
    if "--offsets" in sys.argv[1:] and "show_offsets" in inspect.signature(dis.dis).parameters:
        options["show_offsets"] = True   # older versions always show them
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
            dis.dis(marshal.loads(data[16:]), file=buf, **options)
        except Exception as e:  # the listing stops where dis failed, as cpyc's does
            buf.write("error: %s\n" % type(e).__name__)
        out.write(ADDRESS.sub(" at 0x?, file ", buf.getvalue()))


main()
