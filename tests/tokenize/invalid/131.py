x = fR'''abc

