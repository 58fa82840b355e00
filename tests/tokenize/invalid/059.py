x = br'''abc

