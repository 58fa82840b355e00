# Small ints (-5..256) are immortal: always flagged, one object. Others are flagged only
# when shared (the compiler merges equal constants module-wide). 'i' up to 32 bits, 'l' past.
a = (-5, 256, -6, 257, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 10**30, -10**30)
b = 257
c = 1000
def f():
    return 1000, 257, 10**30
# 1, 1.0, True, 1j and -0.0/0.0 are different keys; equal floats merge
d = (1, 1.0, True, 1j, 0.0, -0.0, 0j, -0j, complex(0.0, -0.0), 1.5)
e = 1.5, -0.0, 0.0
g = (0.0 + -0.0j), (-0.0 + 0.0j)
h = float('nan'), 1e400, -1e400
# NaNs made by folding are keys of their own (hash by identity): never merged
n1 = 1e400 * 0
n2 = 1e400 * 0, 1e400 * 0
big = 2**100, -2**100, 2**100
