# coding: foo
x
