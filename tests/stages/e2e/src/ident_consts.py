# Identifiers that become constants are the parser's interned objects (written as interned
# strings even when not ASCII); a mangled name is a new string.
f(glöbal=1)
f(a, glöbal=1, **k)
f(ä=1, ö=2, **k)
f(*a, ü=1)
from mödule import nämé, ñ as m, plain
def g(*, kö=1, __pö=2, ascii_k=3): pass
class C:
    def m(self, *, __kä=3, kü=4): pass
    def n(self, ä: int, __ü: str) -> 'é': pass
    __x: 'ö'
    ä: int
    __ß: int = 1
    def s(self):
        self.ä = 1
        self.__é = 2
        self.plain = 3
match x:
    case P(ä=1, ö=2): pass
    case Q(plain=1): pass
ü: int = 3
def h(ä: int, ß=2) -> None: pass
s = 'glöbal'
t = ('ä', 'nämé')
class D(metaclass=M, ö=1): pass
