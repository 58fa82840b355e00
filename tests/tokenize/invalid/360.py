# coding: latin-1
× = 1
