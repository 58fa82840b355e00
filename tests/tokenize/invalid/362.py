#!/usr/bin/env python
# coding: ascii
x = 1
é
