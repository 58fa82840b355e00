# The %-format rewrite: a "%%" literal piece is str.replace's new object, so a lone '%'
# from it is neither the one-character singleton nor interned (shared or not), while a
# literal '%' is the singleton; whichever enters the module's constant cache first wins.
def shared(item):
    a = 'bad field spec: %%%s%%' % (item,)
    b = 'bad field spec: %%%s%%' % (item,)
    return a, b

def once(w):
    return '%%%s%ss' % (w, 's')

def literal_first(x):
    return '%', '%%%s' % (x,)

def mixed(x):
    return 'a%%b%s' % (x,), 'é%%%s' % (x,), '%%' % ()
