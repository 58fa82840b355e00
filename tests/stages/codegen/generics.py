type A = int
type B[T] = list[T]
type C[T: int, *Ts, **P] = dict[T, Ts]
def f[T](x: T) -> T: return x
def g[T: (int, str), U = int](x=1, *, y=2) -> T: pass
class K[T](Base, metaclass=M):
    def m(self) -> T: return super().m()
class L[T = int, *Ts = *tuple[int], **P = [int]]:
    x: T
