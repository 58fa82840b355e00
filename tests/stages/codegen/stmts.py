def f(x):
    if x:
        pass
    elif x > 1:
        return 1
    else:
        return
    while x:
        x -= 1
        if x == 3:
            break
        if x == 5:
            continue
    else:
        x = 0
    for i in range(10):
        if i:
            continue
        break
    else:
        pass
    for a, b in x:
        return a
    assert x, "msg"
    assert x
    raise
    raise ValueError
    raise ValueError from None
    return x.y

async def g(x):
    async for i in x:
        await i
    async with a as b, c:
        pass
    return [i async for i in x]

def h():
    yield 1
    yield from h()
    x = yield
    return 2
x: int = 1
y: list[int]
z.a: int
z[0]: int = 2
def ann(a: int, *b: str, c: 'q' = 1, **d: float) -> None: pass
