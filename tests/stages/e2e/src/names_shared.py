# A code object's names tuple equal to an earlier constant tuple is merged into it; the
# names are interned there, but the plain string the tuple held before stays itself
# elsewhere (non-ASCII: no code object interns it as a constant).
x = ('ñame',)
def g():
    global ñame
    ñame = 1
    def T():
        f('ñame', 'ñame')
