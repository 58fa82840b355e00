'%s' % (doc,)
from __future__ import annotations, division
def fn(p: 1 + 1 = 2 + 2, *, q: [1] = -1, **k: 'a' * 2) -> 3 * 3:
    x: 1 + 2 = 3 + 4
    return lambda: (yield 2 ** 10)
class C[T: 1 + 1]:
    attr: 1 + 2 = 3 + 4
    def m(self, a: -1 = -1): pass
