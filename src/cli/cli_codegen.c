/* cli_codegen.c - `cpyc codegen [-O N] FILE` (hidden, for tests): every code unit's
   instruction sequence as codegen leaves it, with its metadata, in the format of
   tools/oracle_codegen.py (CPython's _testinternalcapi.compiler_codegen). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"
#include "front/tokenize.h"

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
    AstNode *mod = parse_file_bytes(data, len, opt->target, a, err, NULL);
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

static void put_hex(Buf *b, const Value *v)
{
    for (size_t i = 0; v && i < v->u.s.len; i++) buf_printf(b, "%02x", v->u.s.data[i]);
}

static void put_str_tuple(Buf *b, const Value *t, const uint8_t *kinds, int mask)
{
    buf_printf(b, "(");
    int k = 0;
    for (size_t i = 0; t && i < t->u.seq.n; i++) {
        if (kinds && !(kinds[i] & mask)) continue;
        if (k++) buf_printf(b, ", ");
        repr_value(b, t->u.seq.items[i]);
    }
    buf_printf(b, k == 1 ? ",)" : ")");
}

/* --code: the code objects of the whole back end, every field marshal writes, as
   tools/oracle_code.py prints CPython's. */
static void show_code(Buf *b, const Value *v, const char *path)
{
    const Code *c = v->u.code;
    buf_printf(b, "code %s %.*s\n", path, (int)c->oval[CO_QUALNAME]->u.s.len, c->oval[CO_QUALNAME]->u.s.data);
    buf_printf(b, "  name %.*s flags %d args %d %d %d nlocals %d stack %d first %d\n",
               (int)c->oval[CO_NAME]->u.s.len, c->oval[CO_NAME]->u.s.data, c->ival[CO_FLAGS],
               c->ival[CO_ARGCOUNT], c->ival[CO_POSONLYARGCOUNT], c->ival[CO_KWONLYARGCOUNT],
               c->ival[CO_NLOCALS], c->ival[CO_STACKSIZE], c->ival[CO_FIRSTLINENO]);
    buf_printf(b, "  code ");
    put_hex(b, c->oval[CO_CODE]);
    buf_printf(b, "\n  consts [");
    const Value *consts = c->oval[CO_CONSTS];
    for (size_t i = 0; i < consts->u.seq.n; i++) {
        if (i) buf_printf(b, ", ");
        if (consts->u.seq.items[i]->kind == V_CODE) buf_printf(b, "<code>");
        else repr_value_as(b, consts->u.seq.items[i], &cpyc_target_3_13);
    }
    buf_printf(b, "]\n  names ");
    put_str_tuple(b, c->oval[CO_NAMES], NULL, 0);
    const Value *kinds = c->oval[CO_LOCALSPLUSKINDS];
    const uint8_t *k = kinds ? kinds->u.s.data : NULL;
    buf_printf(b, "\n  vars ");
    put_str_tuple(b, c->oval[CO_LOCALSPLUSNAMES], k, 0x20);
    buf_printf(b, " ");
    put_str_tuple(b, c->oval[CO_LOCALSPLUSNAMES], k, 0x40);
    buf_printf(b, " ");
    put_str_tuple(b, c->oval[CO_LOCALSPLUSNAMES], k, 0x80);
    buf_printf(b, "\n  lines ");
    put_hex(b, c->oval[CO_LINETABLE]);
    buf_printf(b, "\n  exc ");
    put_hex(b, c->oval[CO_EXCEPTIONTABLE]);
    buf_printf(b, "\n");
    int n = 0;
    for (size_t i = 0; i < consts->u.seq.n; i++) {
        if (consts->u.seq.items[i]->kind != V_CODE) continue;
        char sub[256];
        snprintf(sub, sizeof sub, "%s.%d", path, n++);
        show_code(b, consts->u.seq.items[i], sub);
    }
}

/* --pyc OUT: the whole back end, OUT a pyc with a zero header (its marshalled code is what
   CPython's marshal.dumps(compile(...)) gives). */
static int write_pyc(const uint8_t *data, size_t len, const CompileOptions *opt, const char *out_path,
                     cpyc_error *err)
{
    Buf out = {0};
    PycHeader h = {0};
    int rc = compile_to_pyc(data, len, opt, &h, &out, err);
    if (rc == 0) {
        FILE *f = fopen(out_path, "wb");
        if (!f || fwrite(out.data, 1, out.len, f) != out.len) rc = error_at(err, CPYC_ERR_IO, -1, "cannot write %s", out_path);
        if (f) fclose(f);
    }
    buf_free(&out);
    return rc;
}

int cli_codegen(int argc, char **argv)
{
    CompileOptions opt = {.target = &cpyc_target_3_13};
    const char *pyc = NULL;
    bool code = false;
    int i = 0;
    for (; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-O") == 0) opt.optimize = atoi(argv[++i]);
        else if (strcmp(argv[i], "--pyc") == 0) pyc = argv[++i];
        else if (strcmp(argv[i], "--code") == 0) code = true;
        else break;
    }
    if (i + 1 != argc) {
        fputs("usage: cpyc codegen [-O N] [--pyc OUT | --code] FILE\n", stderr);
        return 2;
    }
    const char *path = argv[i];
    opt.filename = path;
    cpyc_error err;
    uint8_t *data;
    size_t len;
    if (cli_read_file(path, &data, &len, &err)) return 1;
    if (pyc) {
        int r = write_pyc(data, len, &opt, pyc, &err);
        if (r) cli_report(&err);
        free(data);
        return r ? 1 : 0;
    }
    Arena a;
    arena_init(&a);
    if (code) {
        Value *co = compile_source(data, len, &opt, &a, &err);
        int r = 0;
        if (!co && err.status == CPYC_ERR_SYNTAX && !strcmp(err.exc_type, "SyntaxError")) {
            printf("SyntaxError %s\n", err.msg);
        } else if (!co) {
            cli_report(&err);
            r = 1;
        } else {
            Buf out = {0};
            show_code(&out, co, "0");
            r = cli_write_out(&out);
        }
        arena_free(&a);
        free(data);
        return r;
    }
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
        rc = cli_write_out(&out);
    }
    arena_free(&a);
    free(data);
    return rc;
}
