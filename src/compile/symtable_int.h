/* symtable_int.h - what the symbol table's two passes share: symtable.c walks the AST and
   records raw facts, symtable_analyze.c decides every name's scope (CPython's two passes). */
#ifndef CPYC_SYMTABLE_INT_H
#define CPYC_SYMTABLE_INT_H

#include "compile.h"

/* A SyntaxError at an AST location (0-based byte columns), reported as CPython's symtable
   does: offset and end offset are the columns + 1. Returns 0 (CPython's failure value). */
int st_syntax_error(cpyc_error *err, int lineno, int col_offset, int end_lineno,
                    int end_col_offset, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int st_nomem(cpyc_error *err);   /* MemoryError; returns 0 */

/* The second pass (symtable_analyze in CPython) over the entries below top: scopes into
   every symbol's flags, cells, frees, inlined comprehensions. Returns 1, or 0 with err set. */
int st_analyze(StEntry *top, const cpyc_target *t, cpyc_error *err);

#endif
