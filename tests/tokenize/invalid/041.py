x = u'ab\'
