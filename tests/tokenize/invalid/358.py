# coding: koi8-r
а = 1
