# Non-ASCII identifiers are NFKC-normalized (PEP 3131).
ｗｉｄｔｈ = 1
µ = 2
ﬁle = 3
ℌ = 4
é = 5
ｅ́ = 6
한글 = 7
각 = 8
각 = 9
丽 = 10
Å = 11
ǅ = 13
ℵ = 14
ﾀﾞ = 15
print(ｗｉｄｔｈ, µ.ａｔｔｒ, f(ｋｅｙ=1), ﬁle)
