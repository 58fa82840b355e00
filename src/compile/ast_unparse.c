/* ast_unparse.c - expressions back to source text as CPython's Python/ast_unparse.c writes
   them: the string annotations of `from __future__ import annotations`. */
#include "codegen_internal.h"

Value *ast_unparse_annotation(Arena *a, const AstNode *e, cpyc_error *err)
{
    (void)a; (void)e;
    error_at(err, CPYC_ERR_UNSUPPORTED, -1, "codegen: string annotations not yet");
    return NULL;
}
