# Was a divergence (refs.c now interns the names of the code objects the CFG dropped too).
# Found by tools/gen_e2e_random.py seed 102 (rand_102_029, -O0/1/2). CPython 3.13 writes C's
# __static_attributes__ constant ('sup', 'ñame') with the interned 'ñame' (t), apart from the
# plain 'ñame' constant of C.m (u, no FLAG_REF); cpyc puts m's plain string (the constant
# cache's object, 'u' with FLAG_REF) in that tuple too. Needs the non-ASCII text, the plain
# string first in m, and u0's dead inner m: CPython still compiles it, and its co_names
# ('sup', 'ñame') merges into C's __static_attributes__ tuple, whose 'ñame' _PyCode_New then
# interns in place; the code object is dropped as unreachable, but the mutation stays. cpyc
# interned only the code objects it kept until the module's Code carried every unit made.
class C:
    def m(self):
        self.ñame = 'ñame'
        self.sup = 1
def u0():
    return 'ñame', 'sup'
    def m(): return sup.ñame
