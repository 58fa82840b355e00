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
class HelpFormatter:     # argparse's class of this qualname is loaded by py_compile
    class _Section:
        pass
s = 'Later.Nested'       # this literal is the constant both classes' bodies get
class Later:
    class Nested:
        pass
class café:
    class été:
        pass
