if x:
  \
 y
 z
