x = F'''abc

