"""Module docstring."""
import os, os.path as osp
import a.b.c
import a.b.c as d
from . import x
from .. import y as z
from m import *
g = 1
def f(a, /, b, *c, d=3, **e):
    global g
    g = a
    x = b
    def inner():
        nonlocal x
        x = 2
        return x, g, len
    del x
    return inner
class C:
    __private = 1
    def m(self):
        return self.__private, __class__
    def n(self):
        self.attr = 1
        self.other += 2
        return super().n()
    def o(self, q):
        return super(C, self).o(q)
    x = [i for i in range(3)]
    y = x
lambda: (yield)
del g, C
