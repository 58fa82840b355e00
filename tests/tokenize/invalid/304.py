x = 　
