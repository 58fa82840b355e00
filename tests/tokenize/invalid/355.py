# coding: euc-jp
x = '�'
