/* cli_symtable.c - `cpyc symtable FILE...`: what `python3.13 -m symtable FILE` prints (Lib/symtable.py's
   main), or the end of its traceback for a SyntaxError; --raw dumps every field the oracle's
   _symtable shows, --error-tsv reports an error as TYPE LINE OFFSET MESSAGE. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "api/api.h"
#include "compile/compile.h"

static const char *const type_names[] = {
    [ST_FUNCTION] = "function", [ST_CLASS] = "class", [ST_MODULE] = "module",
    [ST_ANNOTATION] = "annotation", [ST_TYPE_ALIAS] = "type alias",
    [ST_TYPE_PARAMETERS] = "type parameters", [ST_TYPE_VARIABLE_BOUND] = "type variable",
};

static void put_repr(Buf *out, const char *s) { repr_str_utf8(out, (const uint8_t *)s, strlen(s)); }

static void indent(Buf *out, int level)
{
    for (int i = 0; i < level; i++) buf_put(out, "    ", 4);
}

/* Symbol._flags_str(): the flags symtable.py knows, in the order of its globals. */
static void put_flags(Buf *out, int flags)
{
    static const struct { const char *name; int value; } known[] = {
        {"use", DEF_USE}, {"def_global", DEF_GLOBAL}, {"def_nonlocal", DEF_NONLOCAL},
        {"def_local", DEF_LOCAL}, {"def_param", DEF_PARAM}, {"def_import", DEF_IMPORT},
        {"def_bound", DEF_BOUND}, {"def_annot", DEF_ANNOT},
    };
    const char *sep = "";
    for (size_t i = 0; i < CPYC_COUNTOF(known); i++) {
        if ((flags & known[i].value) != known[i].value) continue;
        buf_printf(out, "%s%s", sep, known[i].name);
        sep = ", ";
    }
}

/* main()'s print_symbols. */
static void print_table(Buf *out, const StEntry *e, const char *filename, int level)
{
    static const char *const scopes[] = {
        [SC_LOCAL] = "local", [SC_GLOBAL_EXPLICIT] = "global_explicit",
        [SC_GLOBAL_IMPLICIT] = "global_implicit", [SC_FREE] = "free", [SC_CELL] = "cell",
    };
    indent(out, level);
    buf_printf(out, "symbol table for %s%s ", e->nested ? "nested " : "", type_names[e->type]);
    if (e->type == ST_MODULE) {
        buf_printf(out, "from file ");
        put_repr(out, filename);
    } else {
        put_repr(out, e->name);
    }
    buf_printf(out, ":\n");
    for (uint32_t i = 0; i < e->symbols.n; i++) {
        int flags = (int)e->symbols.vals[i], scope = (flags >> SYM_SCOPE_OFFSET) & 15;
        indent(out, level + 1);
        if (scope >= SC_LOCAL && scope <= SC_CELL) buf_printf(out, "%s", scopes[scope]);
        else buf_printf(out, "%d", scope);
        buf_printf(out, " symbol ");
        put_repr(out, e->symbols.keys[i]);
        buf_printf(out, ": ");
        put_flags(out, flags);
        buf_byte(out, '\n');
    }
    buf_byte(out, '\n');
    for (int i = 0; i < e->nchildren; i++) print_table(out, e->children[i], filename, level + 1);
}

/* --raw: type, name, first line, nested, the parameters and every symbol's whole flags
   (the format of tools/oracle_symtable.py). */
static void print_raw(Buf *out, const StEntry *e, int level)
{
    for (int i = 0; i < level; i++) buf_put(out, "  ", 2);
    buf_printf(out, "%d ", (int)e->type);
    put_repr(out, e->name);
    buf_printf(out, " line %d nested %d params", e->lineno, e->nested ? 1 : 0);
    for (uint32_t i = 0; i < e->varnames.n; i++) {
        buf_byte(out, ' ');
        put_repr(out, e->varnames.keys[i]);
    }
    buf_byte(out, '\n');
    for (uint32_t i = 0; i < e->symbols.n; i++) {
        for (int k = 0; k <= level; k++) buf_put(out, "  ", 2);
        put_repr(out, e->symbols.keys[i]);
        buf_printf(out, " %d\n", (int)e->symbols.vals[i]);
    }
    for (int i = 0; i < e->nchildren; i++) print_raw(out, e->children[i], level + 1);
}

/* The first line of a block's code object (a decorated def's starts at its first decorator). */
static int first_lineno(const StEntry *e)
{
    if (e->type == ST_MODULE) return 1;
    if (e->type == ST_TYPE_PARAMETERS && e->nchildren) return first_lineno(e->children[e->nchildren - 1]);
    const AstNode *n = e->key;
    int dec = -1;
    if (e->type == ST_FUNCTION && (n->kind == AST_FunctionDef || n->kind == AST_AsyncFunctionDef))
        dec = F_FunctionDef_decorator_list;
    else if (e->type == ST_CLASS)
        dec = F_ClassDef_decorator_list;
    if (dec >= 0 && n->f[dec].s && n->f[dec].s->n) return ((const AstNode *)n->f[dec].s->items[0])->lineno;
    return e->lineno;
}

static void put_names_by_scope(Buf *out, const StEntry *e, int scope, int flag, const char *extra1,
                               const char *extra2)
{
    /* sorted, as compile.c's dictbytype, plus the implicit class cells */
    const char **names = malloc((e->symbols.n + 2) * sizeof *names);
    size_t n = 0;
    if (!names) { out->failed = true; return; }
    for (uint32_t i = 0; i < e->symbols.n; i++) {
        int f = (int)e->symbols.vals[i];
        if (((f >> SYM_SCOPE_OFFSET) & 15) == scope || (f & flag)) names[n++] = e->symbols.keys[i];
    }
    if (extra1) names[n++] = extra1;
    if (extra2) names[n++] = extra2;
    for (size_t i = 1; i < n; i++)   /* insertion sort by UTF-8 bytes = code points */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t;
        }
    buf_byte(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) buf_put(out, ", ", 2);
        put_repr(out, names[i]);
    }
    buf_byte(out, ']');
    free(names);
}

/* --code: per code object the block gives (inlined comprehensions and annotation blocks have
   none) what compile.c derives from it: co_name, co_firstlineno, the scope-made co_flags,
   cell and free variables, parameters (tools/oracle_symtable.py --code prints the same from
   the oracle's compiled code). */
static void print_code(Buf *out, const StEntry *e)
{
    if (e->type != ST_ANNOTATION && !e->comp_inlined) {
        static const char *const comp_names[] = {
            [COMP_LIST] = "<listcomp>", [COMP_SET] = "<setcomp>", [COMP_DICT] = "<dictcomp>",
            [COMP_GENEXP] = "<genexpr>",
        };
        if (e->type == ST_MODULE) buf_printf(out, "'<module>'");
        else if (e->comprehension) buf_printf(out, "'%s'", comp_names[e->comprehension]);
        else if (e->type == ST_FUNCTION && ((const AstNode *)e->key)->kind == AST_Lambda) buf_printf(out, "'<lambda>'");
        else if (e->type == ST_TYPE_PARAMETERS) {
            Buf name = {0};
            buf_printf(&name, "<generic parameters of %s>", e->name);
            buf_byte(&name, 0);
            if (!name.failed) put_repr(out, (const char *)name.data);
            buf_free(&name);
        } else put_repr(out, e->name);
        int flags = 0;
        if (st_is_function_like(e)) {
            flags |= CO_NEWLOCALS | CO_OPTIMIZED;
            if (e->nested) flags |= CO_NESTED;
            if (e->generator) flags |= e->coroutine ? CO_ASYNC_GENERATOR : CO_GENERATOR;
            else if (e->coroutine) flags |= CO_COROUTINE;
            if (e->varargs) flags |= CO_VARARGS;
            if (e->varkeywords) flags |= CO_VARKEYWORDS;
        }
        buf_printf(out, " line %d flags %d cells ", first_lineno(e), flags);
        put_names_by_scope(out, e, SC_CELL, DEF_COMP_CELL, e->needs_class_closure ? "__class__" : NULL,
                           e->needs_classdict ? "__classdict__" : NULL);
        buf_printf(out, " frees ");
        put_names_by_scope(out, e, SC_FREE, DEF_FREE_CLASS, NULL, NULL);
        buf_printf(out, " params");
        for (uint32_t i = 0; i < e->varnames.n; i++) {
            buf_byte(out, ' ');
            put_repr(out, e->varnames.keys[i]);
        }
        buf_byte(out, '\n');
    }
    for (int i = 0; i < e->nchildren; i++) print_code(out, e->children[i]);
}

static int one_file(const char *arg, int mode, bool tsv, WarnFilters *wfilters)
{
    /* "-": standard input, named as symtable.main names it */
    const char *path = strcmp(arg, "-") == 0 ? "<stdin>" : arg;
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data;
    size_t len;
    if (file_read_all(strcmp(arg, "-") == 0 ? "/dev/stdin" : arg, &data, &len, &err)) {
        cli_report(&err);
        return 1;
    }
    Arena a;
    arena_init(&a);
    const cpyc_target *t = cpyc_target_by_name("3.13");
    CompileOptions opt = {.target = t, .optimize = 0, .filename = path};
    FutureFeatures ff = {0};
    /* as _symtable.symtable(): parse, future features, symbol table (no AST optimization) */
    Warnings warns = {0};   /* the parser's SyntaxWarnings, which symtable.symtable() shows too */
    AstNode *tree = parse_file_bytes(data, len, t, &a, &err, tsv ? NULL : &warns);
    warnings_print(stderr, &warns, path, wfilters);
    warnings_free(&warns);
    Symtable *st = tree && future_parse(tree, &ff, &err) == 0 ? symtable_build(tree, &opt, &ff, &a, &err) : NULL;
    int rc = 0;
    if (!st) {
        err.file = path;
        if (tsv && err.line < 0) printf("%s\tNone\tNone\t%s\n", err.exc_type, err.msg);
        else if (tsv) printf("%s\t%d\t%d\t%s\n", err.exc_type, err.line, err.col, err.msg);
        else syntax_error_print(stderr, &err, data, len, path);
        rc = 1;
    } else {
        Buf out = {0};
        if (mode == 'r') print_raw(&out, st->top, 0);
        else if (mode == 'c') print_code(&out, st->top);
        else print_table(&out, st->top, path, 0);
        rc = cli_write_out(&out);
    }
    arena_free(&a);
    free(data);
    return rc;
}

int cli_symtable(int argc, char **argv)
{
    bool tsv = false;
    int mode = 0;
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--raw") == 0) mode = 'r';
        else if (strcmp(argv[i], "--code") == 0) mode = 'c';
        else if (strcmp(argv[i], "--error-tsv") == 0) tsv = true;
        else break;
    }
    WarnFilters wfilters;
    cli_env_warnings(&wfilters);
    int rc = 0;
    if (i >= argc) rc = one_file("-", mode, tsv, &wfilters);   /* as python -m symtable */
    /* python -m symtable stops at the first file that fails */
    for (; i < argc && !rc; i++) rc = one_file(argv[i], mode, tsv, &wfilters);
    warn_filters_free(&wfilters);
    return rc;
}
