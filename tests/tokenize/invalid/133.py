x = fR"""abc

