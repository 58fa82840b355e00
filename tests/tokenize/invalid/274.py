if x:
    \ y
