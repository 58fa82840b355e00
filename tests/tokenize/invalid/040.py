x = u'ab\'c
