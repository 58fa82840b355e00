# frozenset constants whose listing order depends on how CPython built them in memory
def names(x):
    return x in {'win32', 'darwin', 'emscripten', 'wasi'}

sha3_224 = None   # an identifier: the parser interns it, so the str constant is replaced

def hashes(name):
    return name in {'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512'}

def digits(c):
    return c in {'1', '2', '3'}          # one-char strs: singletons, never re-interned

def mixed(v):
    return v in {3, (1, 2), 4, 'ab', b'x', 2.5, None}

def collide(n):
    return n in {-1, -2, -5, 8, 16, 24}   # hash(-1) == hash(-2)

def dups(n):
    return n not in {1, 1.0, True, 2, 0, False, 0.0}

def pairs(p):
    return p in {('', 'FrozenImporter'), ('=on', 'FrozenImporter'),
                 ('=off', 'SourceFileLoader'), ('=', 'FrozenImporter')}

def loop():
    for k in {'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'}:
        yield k
    for k in {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200}:
        yield k

def again(x):
    # an equal frozenset seen before: the compiler's cache hands back the first one
    return x in {'wasi', 'emscripten', 'darwin', 'win32'}

def spaces(x):
    return x in {'a b', 'c d', 'e-f', 'g.h'}
