# Was a divergence (tools/gen_e2e_random.py seed 103, rand_103_022). A class the CFG drops as
# unreachable is still compiled: its code object, made first, interns its qualname, and a later
# class of the same qualname gets that object as its __qualname__ constant (the constant
# cache's) and, interning its own, as co_qualname. cpyc interned a dropped unit's names only,
# so the later class's constant stayed a plain string beside an interned co_qualname.
def fn():
    while True:
        pass
        class L:
            pass
    class L:
        pass
