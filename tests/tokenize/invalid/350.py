# coding: ascii
x = 1
# ÿ
