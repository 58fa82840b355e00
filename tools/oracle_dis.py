"""Prints what this CPython's dis.dis() shows for each pyc named on stdin (one path a line),
each listing opening with "==> PATH <==" as `cpyc dis --files-from -` prints them; code-object
addresses are written "0x?" (cpyc numbers them instead). -O (--offsets) passes
show_offsets=True (3.13+), -C (--show-caches) show_caches=True (3.11+); a version whose dis
lacks the parameter prints its plain listing, as `cpyc dis` does. Used by the "dis" stage of tools/conformance.py and tests/golden/make_dis_goldens.sh."""
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
    params = inspect.signature(dis.dis).parameters
    for flags, name in ((("-O", "--offsets"), "show_offsets"), (("-C", "--show-caches"), "show_caches")):
        if set(flags) & set(sys.argv[1:]) and name in params:
            options[name] = True   # older versions always show offsets, never caches
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
