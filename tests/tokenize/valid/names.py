café = 1
ﬁle = 2
Ωmega_ξ = café + ﬁle
_x1 = 0x_ff + 0o17 + 0b1_0 + 1_000.5e-3j + .5 + 5. + 1e10 + 0 + 00 + 0_0
match = case = type = _ = 1
async def f(): await g(); x = [i async for i in y]
a @= b; a //= 2; a **= 3; a >>= 1; a <<= 1; a != b; a <> b if 0 else ...; a := 1; f(*a, **b) -> c
x = (1,
     2) \
    + 3
