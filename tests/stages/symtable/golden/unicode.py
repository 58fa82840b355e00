# free names join a block in the order of a Python set: the str hashes of non-ASCII names (UCS-1, UCS-2, UCS-4)
def f():
    é = ü = 中 = 文 = 𝔘 = 𝔙 = ascii_ = zz = ñ = ß = 1
    def g():
        def h():
            return é, ü, 中, 文, 𝔘, 𝔙, ascii_, zz, ñ, ß
        return h
    return g
class Ć:
    def m(self, __ł, __x):
        return __ł, __x, super()
