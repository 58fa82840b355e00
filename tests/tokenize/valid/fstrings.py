x = f"{'a' + f"{"b"}"}" f'{x:{y}.{z}f}' rf"\{x}\n" F'''
{x
 # comment
 + 1=}
'''
y = f"{x = !r:^20}" f"{'{'}" f"{{}}" f"\N{BULLET} {x}" b'\x00' rb"\d" Rb'x' U"u"
z = f"{x:{'>'}10}" f"{lambda: 1}" f"{ {'a': 1}['a'] }" f"{x!s:{w}}"
