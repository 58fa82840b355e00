# larger frozensets (table resizes) and comprehension iteration over set literals
BIG = [c for c in range(40) if c in {1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16, 17, 18, 19, 20,
       65534, 65535, 131070, 131071, 196606, 196607, 262142, 262143, 1114110, 1114111}]
WORDS = [w for w in {'if', 'else', 'elif', 'while', 'for', 'try', 'except', 'finally',
         'with', 'def', 'class', 'return', 'yield', 'lambda', 'import', 'from'}]
MODES = frozenset() | {m for m in {'always', 'ignore', 'module', 'once', 'error', 'default'}}
