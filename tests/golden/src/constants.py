"""Constants of every kind a code object can hold."""
small = (0, 1, -1, 255, 256, -5, 2**31 - 1, -2**31, 2**31, 2**63, -2**63 - 1, 2**200, -(10**50))
floats = (0.0, -0.0, 0.1, 1.5, 1e16, 1e22, 1e-5, 1.7976931348623157e308, 5e-324, float("inf"))
inf_literal = 1e400
complexes = (1j, 2.5j, -0j, 1e300j)
strings = ("", "a", "it's", 'say "hi"', "both ' and \"", "tab\there", "nl\nx", "\x00\x7f\x80\xa0\xad")
unicode = ("é", "€uro", "日本語", "\U0001F600", "\u2028", "\U000e0001", "\ud800", "x\udfffy")
byte_strings = (b"", b"abc", b"\x00\xff", b"'", b'"', b"'\"")
frozen = {"a", "b", "c"}
if 3 in {1, 2, 3}:
    pass
for x in {1.5, 2, "s", b"b", None}:
    pass
nested = ((1, (2, (3, ("deep",)))), frozenset(), ())
big_tuple = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
             26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)
ellipsis = ...
long_string = "x" * 300
# None and Ellipsis hash by address before 3.12 (3.12+: None by a constant), so where they sit in
# a set's iteration order depends on the interpreter build's memory layout
if x in {None, "\n", "\n  ", "\n    ", "text", "par"}:
    pass
if x in {..., None, 0, 1, 2, -30, 5, 99, -21, -20, -19, 19, 20, 21, -2, 30, -5, -99, -1, "a", "b"}:
    pass
