# Identifiers that become constants (keyword names, import names, match keywords,
# attribute names) after a plain string of the same text: the constant cache keeps the
# plain string, yet the parser has interned the identifier, so interning rebuilds the
# frozensets holding that text.
def f(x):
    return x in {'JobName', 'bb', 'cc'}

def g(x):
    return 5, x in {'JobName', 'bb', 'cc'}

def h(k):
    k(JobName=1)

def imports(x):
    if x in {'path', 'sep', 'other'}:
        return x
    from os import path, sep
    return path, sep

def keys(y):
    return y in frozenset({'real', 'imag', 'zz'}), ('real', 'imag')

def matcher(p):
    match p:
        case complex(real=0, imag=1):
            return 1
    return p in {'real', 'imag', 'zz'}

class K(object, meta_kw='x'):
    pass

def last(v):
    return v in {'meta_kw', 'q1', 'q2'}, v in {'meta_kw', 'q1', 'q2', 'q3'}
