f(a, [b,
 c
