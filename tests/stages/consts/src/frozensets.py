# Frozenset items are always flagged (marshal holds them while it sorts them by their own
# bytes). A frozenset whose string is replaced by an interned equal at code creation is
# rebuilt: one per code object, not shared.
def a(x): return x in {'replace', 'delete'}          # texts the interpreter interned already
def b(x): return x in {'replace', 'delete'}, 7     # other co_consts: only the set is shared
def c(x): return x in {'zq_never_seen_1', 'zq_never_seen_2'}   # interned in place: shared
def d(x): return x in {'zq_never_seen_1', 'zq_never_seen_2'}, 7
def e(x): return x in {'None', 'True', 'False'}
def f(x): return x in {'with space', 'other text', 3, 4.5, (1, 2), b'b', -1, 300}
def g(zq_local):
    return zq_local in {'zq_local', 'zq_other'}      # an identifier of this module
def h(x): return x in {1, 2, 3, 300, 2**40, 'a', 'bb'}
