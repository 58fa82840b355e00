x = U'''abc

