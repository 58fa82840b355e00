# Code objects share what the compiler's cache merges: equal co_consts, co_names and
# localsplus-name tuples, equal line and exception tables (bytes). co_code and a non-empty
# co_localspluskinds are each code object's own; the module's code object is flagged.
def one(): pass
def two(): pass
def three(a): return a
def four(a): return a
def five(a, b):
    try:
        return a
    except Exception:
        return b
def six(a, b):
    try:
        return a
    except Exception:
        return b
names = ('a', 'b')
def seven(): return a.b
lam = lambda: 0
lam2 = lambda: 0
gen = (i for i in range(3))
def docstring():
    "A docstring."
    return "A docstring."
