x = bR"""abc

