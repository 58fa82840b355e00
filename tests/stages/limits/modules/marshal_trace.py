"""marshal_trace.py - prints a pyc's marshal stream as CPython wrote it: one line per object
with its type code, FLAG_REF, the reference index it gets and how often a TYPE_REF uses it.
Run with any Python 3: python3 tools/marshal_trace.py FILE.pyc"""
import struct, sys

def trace(data, pos):
    refs = []          # index -> [line number, uses]
    lines = []
    def obj(depth):
        nonlocal pos
        code = data[pos]; pos += 1
        t, flag = chr(code & 0x7f), code & 0x80
        ind = '  ' * depth
        if t == 'r':
            (i,) = struct.unpack_from('<I', data, pos); pos += 4
            refs[i][1] += 1
            lines.append([ind + 'r -> #%d' % i, None]); return
        ln = len(lines)
        lines.append([ind + t, None])
        if flag:
            refs.append([ln, 0])
            lines[ln][1] = len(refs) - 1
        def text(s): lines[ln][0] += ' ' + s
        if t in 'NTF.S0':
            pass
        elif t == 'i':
            text(str(struct.unpack_from('<i', data, pos)[0])); pos += 4
        elif t == 'l':
            (n,) = struct.unpack_from('<i', data, pos); pos += 4 + 2 * abs(n); text('long(%d digits)' % n)
        elif t == 'g':
            text(repr(struct.unpack_from('<d', data, pos)[0])); pos += 8
        elif t == 'y':
            text(repr(complex(*struct.unpack_from('<dd', data, pos)))); pos += 16
        elif t in 'zZ':
            n = data[pos]; pos += 1; text(repr(data[pos:pos + n].decode())); pos += n
        elif t in 'aAut s':
            (n,) = struct.unpack_from('<I', data, pos); pos += 4
            b = data[pos:pos + n]; pos += n
            text(repr(b) if t == 's' else repr(b.decode('utf8', 'surrogatepass')))
        elif t in ')(<>[':
            if t == ')':
                n = data[pos]; pos += 1
            else:
                (n,) = struct.unpack_from('<I', data, pos); pos += 4
            text('[%d]' % n)
            for _ in range(n): obj(depth + 1)
        elif t == 'c':
            pos += 20
            for _ in range(8): obj(depth + 1)
            pos += 4
            for _ in range(2): obj(depth + 1)
        else:
            raise ValueError('type %r at %d' % (t, pos - 1))
    obj(0)
    for text, r in lines:
        if r is None: print(text)
        else: print('%s  #%d uses=%d' % (text, r, refs[r][1]))

data = open(sys.argv[1], 'rb').read()
trace(data, 16)
