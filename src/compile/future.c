/* future.c - the module's leading `from __future__ import` statements (CPython 3.13's
   Python/future.c): the CO_FUTURE_* features they turn on, and their SyntaxErrors. */
#include <string.h>

#include "compile.h"

/* A SyntaxError at a statement as the compiler places them: 1-based byte columns. */
static int future_error(cpyc_error *err, const AstNode *s, bool ranged, const char *fmt, const char *arg)
{
    const char *file = err->file;
    error_clear(err);
    err->file = file;
    error_at(err, CPYC_ERR_SYNTAX, -1, fmt, arg);
    snprintf(err->exc_type, sizeof err->exc_type, "SyntaxError");
    err->line = s->lineno;
    err->col = s->col_offset + 1;
    /* 3.13.0's future.c gives only the statement's start: end_offset None (0 here) */
    err->end_line = ranged ? s->end_lineno : s->lineno;
    err->end_col = ranged ? s->end_col_offset + 1 : 0;
    err->text_from = CPYC_TEXT_COMPILER;
    return -1;
}

static bool is_docstring_stmt(const AstNode *s)
{
    if (s->kind != AST_Expr) return false;
    const AstNode *e = s->f[F_Expr_value].n;
    return e->kind == AST_Constant && e->f[F_Constant_value].v->kind == V_STR;
}

static bool is_future_import(const AstNode *s)
{
    return s->kind == AST_ImportFrom && s->f[F_ImportFrom_level].i == 0 && s->f[F_ImportFrom_module].id &&
           strcmp(s->f[F_ImportFrom_module].id, "__future__") == 0;
}

static int check_features(const AstNode *s, FutureFeatures *ff, cpyc_error *err)
{
    static const char *const known[] = {
        "nested_scopes", "generators", "division", "absolute_import", "with_statement",
        "print_function", "unicode_literals", "generator_stop",
    };
    const AstSeq *names = s->f[F_ImportFrom_names].s;
    for (uint32_t k = 0; names && k < names->n; k++) {
        const AstNode *alias = names->items[k];
        const char *name = alias->f[F_alias_name].id;
        bool ok = false;
        for (size_t i = 0; i < CPYC_COUNTOF(known) && !ok; i++) ok = strcmp(name, known[i]) == 0;
        if (ok) continue;
        if (strcmp(name, "barry_as_FLUFL") == 0) ff->features |= CO_FUTURE_BARRY_AS_BDFL;
        else if (strcmp(name, "annotations") == 0) ff->features |= CO_FUTURE_ANNOTATIONS;
        else if (strcmp(name, "braces") == 0) return future_error(err, s, false, "%s", "not a chance");
        else return future_error(err, s, false, "future feature %.100s is not defined", name);
    }
    return 0;
}

int future_parse(const AstNode *mod, FutureFeatures *ff, cpyc_error *err)
{
    *ff = (FutureFeatures){0, -1, -1, -1, -1};
    if (mod->kind != AST_Module && mod->kind != AST_Interactive) return 0;
    const AstSeq *body = mod->f[0].s;
    if (!body || !body->n) return 0;
    uint32_t i = is_docstring_stmt(body->items[0]);
    for (; i < body->n; i++) {
        const AstNode *s = body->items[i];
        if (!is_future_import(s)) break;
        if (check_features(s, ff, err)) return -1;
        ff->lineno = s->lineno;
        ff->col = s->col_offset;
        ff->end_lineno = s->end_lineno;
        ff->end_col = s->end_col_offset;
    }
    return 0;
}

int future_check_import(const AstNode *s, const FutureFeatures *ff, cpyc_error *err)
{
    bool after = s->lineno > ff->end_lineno || (s->lineno == ff->end_lineno && s->col_offset > ff->end_col);
    if (after && is_future_import(s))
        return future_error(err, s, true, "%s", "from __future__ imports must occur at the beginning of the file");
    return 0;
}
