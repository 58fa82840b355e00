# Constants of identifier characters are interned ('Z', one object with the names);
# others are not ('z'), flagged when shared. Long ASCII is 'a'/'A', non-ASCII 'u'/'t';
# '' and one latin-1 character are interned singletons.
x = 'ident_like'
y = 'not an identifier'
z = 'not an identifier'
w = ''
v = 'q'
u = '\xe9'
t = '\u0100'
s = 'caf\xe9'
r = 'A' * 300
q = 'A B' * 100
p = 'B' * 255, 'C' * 256
o = '\udc80'
def ident_like(): return 'ident_like', 'not an identifier', 'caf\xe9'
n = ('ident_like', 'with space', ('nested_ident', 'nested text'))
fn = 'src/strings.py'    # co_filename's text: a constant of its own, not interned
dotted = 'Outer.Inner'
