if x:
 	y
	 z
