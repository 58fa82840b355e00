# A class body's __qualname__ constant is the object of its co_qualname: interned with it,
# unless the interpreter had that text interned already (then 'z' beside a 'Z' co_qualname).
class Outer:
    class Inner:
        class Deep:
            pass
def func():
    class Local:
        pass
    return Local
def cmp_to_key(mycmp):   # functools (loaded by py_compile) interned this qualname already
    class K:
        pass
    return K
s = 'Later.Nested'       # this literal is the constant both classes' bodies get
class Later:
    class Nested:
        pass
class café:
    class été:
        pass
