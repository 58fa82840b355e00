/* parse_fast.c - the first pass's copy of the grammar's rules: parse_expr.c, parse_stmt.c,
   parse_str.c and parse_pattern.c compiled again with PARSE_FAST, where ptok reads a token
   without counting the look and the second pass's checks are constants that drop out
   (parse_internal.h). Nearly every source parses in that pass alone; one that fails runs
   the rules of those files themselves, which count the looks its errors are placed by. */
#define PARSE_FAST 1
#include "parse_expr.c"
#include "parse_stmt.c"
#include "parse_str.c"
#include "parse_pattern.c"
