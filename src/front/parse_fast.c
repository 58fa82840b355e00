/* parse_fast.c - the first pass's copy of the expression and statement rules: parse_expr.c
   and parse_stmt.c compiled again with PARSE_FAST, where ptok reads a token without counting
   the look (parse_internal.h). Nearly every source parses in that pass alone; one that fails
   runs the rules of parse_expr.c and parse_stmt.c themselves, which count the looks the
   errors are placed by. The rules of the other files (strings, patterns) are shared: they
   count nothing either while maxpos is at the last token. */
#define PARSE_FAST 1
#include "parse_expr.c"
#include "parse_stmt.c"
