# Code objects that differ in something code_richcompare reads stay apart; ones equal in
# everything it reads (qualname aside) are merged. Lambdas on one line differ by column.
a, b = (lambda: 0), (lambda: 0)
c = [lambda: 0, lambda: 0.0, lambda: False]
d = (lambda x: x, lambda y: y)
def f():
    return (lambda: 1), (lambda: 1)
def g():
    e = lambda: 1
    return e
def same1(): return 1
def same2(): return 1
x = lambda: 0; y = lambda: 0
