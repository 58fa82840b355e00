/* cli_codegen.c - `cpyc codegen [-O N] FILE` (hidden, for tests): every code unit's
   instruction sequence as codegen leaves it, with its metadata, in the format of
   tools/oracle_codegen.py (CPython's _testinternalcapi.compiler_codegen). */
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"
#include "tokenize.h"

static const char *op_name(int op)
{
    static const char *const pseudo[] = {
        "JUMP", "JUMP_NO_INTERRUPT", "LOAD_CLOSURE", "LOAD_METHOD", "LOAD_SUPER_METHOD",
        "LOAD_ZERO_SUPER_ATTR", "LOAD_ZERO_SUPER_METHOD", "POP_BLOCK", "SETUP_CLEANUP",
        "SETUP_FINALLY", "SETUP_WITH", "STORE_FAST_MAYBE_NULL",
    };
    if (op >= OP_MIN_PSEUDO && op < OP__COUNT) return pseudo[op - OP_MIN_PSEUDO];
    if (op >= 0 && op < 256) return cpyc_opcodes_3_13.ops[op].name;
    return "?";
}

static bool op_has_arg(int op) { return op >= OP_MIN_PSEUDO ? op != OP_POP_BLOCK : op > OP_WITH_EXCEPT_START; }

static void print_names(Buf *b, const char *what, const char *const *keys, uint32_t n)
{
    buf_printf(b, "  %s [", what);
    for (uint32_t i = 0; i < n; i++) {
        if (i) buf_printf(b, ", ");
        repr_str_utf8(b, (const uint8_t *)keys[i], strlen(keys[i]));
    }
    buf_printf(b, "]\n");
}

/* co_cellvars' order: cells that are locals first (in varnames order), then the others. */
static void print_cells(Buf *b, const CodeUnitMeta *m, Arena *a)
{
    uint32_t n = m->cellvars.n, k = 0;
    const char **keys = arena_alloc(a, (n + 1) * sizeof *keys);
    if (!keys) return;
    for (uint32_t i = 0; i < m->varnames.n; i++)
        if (namemap_find(&m->cellvars, m->varnames.keys[i]) >= 0) keys[k++] = m->varnames.keys[i];
    for (uint32_t i = 0; i < n; i++)
        if (namemap_find(&m->varnames, m->cellvars.keys[i]) < 0) keys[k++] = m->cellvars.keys[i];
    print_names(b, "cellvars", keys, k);
}

static void print_unit(Buf *b, const CodegenView *v, const char *path, bool top, Arena *a)
{
    const CodeUnitMeta *m = &v->meta;
    buf_printf(b, "unit %s\n  name %s\n", path, m->name);
    if (!top) buf_printf(b, "  qualname %s\n  firstlineno %d\n", m->qualname, m->firstlineno);
    /* a code object's co_argcount counts the positional-only parameters too */
    buf_printf(b, "  args %d %d %d\n", m->argcount + (top ? 0 : m->posonlyargcount), m->posonlyargcount,
               m->kwonlyargcount);
    print_names(b, "names", m->names.keys, m->names.n);
    print_names(b, "varnames", m->varnames.keys, m->varnames.n);
    print_cells(b, m, a);
    print_names(b, "freevars", m->freevars.keys, m->freevars.n);
    if (top) {
        buf_printf(b, "  consts [");
        for (uint32_t i = 0; i < m->consts.n; i++) {
            const Value *c = m->consts.items[i];
            if (i) buf_printf(b, ", ");
            if (c->kind == V_CODE) buf_printf(b, "<code>");
            else repr_value_as(b, c, &cpyc_target_3_13);
        }
        buf_printf(b, "]\n");
    }
    for (int i = 0; i < v->seq.n; i++) {
        const Instr *in = &v->seq.instrs[i];
        buf_printf(b, "  %d %s", i, op_name(in->opcode));
        if (op_has_arg(in->opcode)) buf_printf(b, " %d", in->oparg);
        buf_printf(b, " @%d:%d-%d:%d\n", in->loc.lineno, in->loc.col, in->loc.end_lineno, in->loc.end_col);
    }
    for (int i = 0; i < v->nnested; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.%d", path, i);
        print_unit(b, v->nested[i], sub, false, a);
    }
}

/* decode, parse, future, optimize, symtable, codegen (no CFG, no assembly). */
static CodegenView *run(const uint8_t *data, size_t len, const CompileOptions *opt, Arena *a,
                        cpyc_error *err)
{
    AstNode *mod = parse_file_bytes(data, len, opt->target, a, err);
    if (!mod) return NULL;
    FutureFeatures ff = {0};
    if (future_parse(mod, &ff, err) < 0) return NULL;
    if (ast_optimize(mod, a, opt, &ff, err) < 0) return NULL;
    Symtable *st = symtable_build(mod, opt, &ff, a, err);
    if (!st) return NULL;
    ConstCache *cc = const_cache_new(a);
    CodegenView *view = NULL;
    if (!cc) {
        error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        return NULL;
    }
    if (!codegen_module_view(mod, st, opt, &ff, cc, a, true, &view, err)) return NULL;
    return view;
}

int cli_codegen(int argc, char **argv)
{
    CompileOptions opt = {.target = &cpyc_target_3_13};
    int i = 0;
    if (argc >= 2 && strcmp(argv[0], "-O") == 0) {
        opt.optimize = atoi(argv[1]);
        i = 2;
    }
    if (i + 1 != argc) {
        fputs("usage: cpyc codegen [-O N] FILE\n", stderr);
        return 2;
    }
    const char *path = argv[i];
    opt.filename = path;
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data;
    size_t len;
    if (file_read_all(path, &data, &len, &err)) {
        cli_report(&err);
        return 1;
    }
    Arena a;
    arena_init(&a);
    CodegenView *view = run(data, len, &opt, &a, &err);
    int rc = 0;
    if (!view) {
        if (err.status == CPYC_ERR_SYNTAX && !strcmp(err.exc_type, "SyntaxError")) {
            printf("SyntaxError %s @", err.msg);
            const int pos[] = {err.line, err.col, err.end_line, err.end_col};
            for (int k = 0; k < 4; k++) {   /* Python's None where a position is unknown */
                if (pos[k] == SYNTAX_POS_NONE) printf("None");
                else printf("%d", pos[k]);
                if (k < 3) putchar(k == 1 ? '-' : ':');
            }
            putchar('\n');
        } else {
            err.file = path;
            cli_report(&err);
            rc = 1;
        }
    } else {
        Buf out = {0};
        print_unit(&out, view, "0", true, &a);
        if (out.failed) { fputs("cpyc: out of memory\n", stderr); rc = 1; }
        else fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
    }
    arena_free(&a);
    free(data);
    return rc;
}
