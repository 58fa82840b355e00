# class scopes: __class__ cells, super(), __classdict__, mangling, free names of methods
class A:
    x = 1
    __hidden = 2
    def method(self):
        return super().method() + __class__.x

    def uses_x(self):
        return x                  # free in the method, local in the class: DEF_FREE_CLASS

    def private(self, __arg, _A__other=None):
        self.__attr = __arg
        return __hidden, __dunder__, _A__other

    class Inner:
        __secret = 3
        def get(self):
            return __secret, self.__secret

    @staticmethod
    def static():
        return [__class__ for _ in ()]

    z = [x for _ in range(3)]
    w = [super() for _ in ()]
    lam = lambda self: __class__


def outer():
    x = 1
    class B:
        x = 2
        def f(self):
            return x
        g = lambda: x
    class ___:
        __kept = 1
    return B


class _Under:
    def m(self, __p):
        global __g
        __g = __p


class __:
    def m(self, __p):
        return __p
