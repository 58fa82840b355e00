# Identifiers are interned by the parser: a non-ASCII one stays 't' inside constant tuples
# (keyword names, import names, __static_attributes__), while an equal string literal is 'u'.
from os import path as café
def f(**kw): return kw
x = f(café=1, naïve=2)
y = 'café'
class C:
    def __init__(self):
        self.été = 1
        self.plain = 2
import os.path
z = 'os.path'
