/* cli_ast.c - `cpyc ast [--target V] FILE`: prints ast.dump(ast.parse(source), include_attributes=True,
   indent=1) as CPython prints it, or the end of CPython's traceback for a syntax error. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "api/api.h"
#include "front/ast.h"
#include "compile/compile.h"
#include "front/tokenize.h"

/* --bench: parses every file listed on stdin in-process and reports the front end's speed. */
typedef struct Bench {
    const cpyc_target *t;
    double secs;
    size_t bytes, files, failed;
} Bench;

static void bench_one(void *ctx, const char *path)
{
    Bench *b = ctx;
    cpyc_error err;
    error_clear(&err);
    uint8_t *data;
    size_t len;
    if (file_read_all(path, &data, &len, &err)) { b->failed++; return; }
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    Arena a;
    arena_init(&a);
    if (!parse_file_bytes(data, len, b->t, &a, &err, NULL)) b->failed++;
    arena_free(&a);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    b->secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    b->bytes += len;
    b->files++;
    free(data);
}

static int bench(const cpyc_target *t)
{
    Bench b = {.t = t};
    cli_each_listed_path("-", bench_one, &b);
    printf("%zu files, %.1f MB in %.3f s of CPU: %.1f MB/s (decode + tokenize + parse; %zu rejected)\n",
           b.files, (double)b.bytes / 1e6, b.secs, b.secs > 0 ? (double)b.bytes / 1e6 / b.secs : 0.0,
           b.failed);
    return 0;
}

/* --cleandoc: each docstring of the module, classes and functions (in source order) as
   repr(_PyCompile_CleanDoc(doc)), one a line; "error" where CPython's encoding fails. */
static void print_cleandocs(Buf *out, const AstNode *n, Arena *a)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    int bf = n->kind == AST_Module ? F_Module_body : n->kind == AST_ClassDef ? F_ClassDef_body
           : n->kind == AST_FunctionDef || n->kind == AST_AsyncFunctionDef ? F_FunctionDef_body : -1;
    const AstSeq *body = bf >= 0 ? n->f[bf].s : NULL;
    const AstNode *first = body && body->n ? body->items[0] : NULL;
    if (first && first->kind == AST_Expr && first->f[F_Expr_value].n->kind == AST_Constant &&
        first->f[F_Expr_value].n->f[F_Constant_value].v->kind == V_STR) {
        const Value *v = first->f[F_Expr_value].n->f[F_Constant_value].v;
        size_t len;
        const char *doc = docstring_clean(a, (const char *)v->u.s.data, v->u.s.len, &len);
        if (doc) repr_str_utf8(out, (const uint8_t *)doc, len);
        else buf_put(out, "error", 5);
        buf_byte(out, '\n');
    }
    for (int i = 0; i < d->nfields; i++) {
        if (d->node_fields >> i & 1) {
            if (n->f[i].n) print_cleandocs(out, n->f[i].n, a);
        } else if (d->seq_fields >> i & 1) {
            const AstSeq *s = n->f[i].s;
            for (uint32_t k = 0; s && k < s->n; k++)
                if (s->items[k]) print_cleandocs(out, s->items[k], a);
        }
    }
}

int cli_ast(int argc, char **argv)
{
    const cpyc_target *t = cpyc_target_by_name("3.13");
    int i = 0;
    bool tsv = false, ends = false, quiet = false, cleandoc = false;
    int optimize = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
            if (!(t = cpyc_target_by_name(argv[++i]))) {
                fprintf(stderr, "cpyc ast: unknown target %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--error-tsv") == 0) {
            tsv = true;
        } else if (strcmp(argv[i], "--error-tsv-ends") == 0) {
            tsv = ends = true;
        } else if (strcmp(argv[i], "--optimize") == 0 && i + 1 < argc) {
            optimize = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--cleandoc") == 0) {
            cleandoc = true;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--bench") == 0) {
            return bench(t);
        } else {
            break;
        }
    }
    if (i + 1 != argc) {
        fputs("usage: cpyc ast [--target V] [--error-tsv | --error-tsv-ends] [--quiet] [--optimize N] [--cleandoc] FILE\n", stderr);
        return 2;
    }
    const char *path = argv[i];
    cpyc_error err;
    uint8_t *data;
    size_t len;
    if (cli_read_file(path, &data, &len, &err)) return 1;
    Arena a;
    arena_init(&a);
    AstNode *tree = parse_file_bytes(data, len, t, &a, &err, NULL);
    if (tree && optimize > 0) {
        /* ast.parse(optimize=N): the future features, then ast_opt at level N */
        FutureFeatures ff;
        CompileOptions opt = {.target = t, .optimize = optimize, .filename = path};
        if (future_parse(tree, &ff, &err) || ast_optimize(tree, &a, &opt, &ff, &err)) tree = NULL;
    }
    int rc = 0;
    if (tree && tree->depth > AST_PY_MAX_DEPTH) {
        tree = NULL;
        error_at(&err, CPYC_ERR_UNSUPPORTED, -1, "maximum recursion depth exceeded during ast construction");
        snprintf(err.exc_type, sizeof err.exc_type, "RecursionError");
    }
    if (!tree) {
        err.file = path;
        if (tsv && err.line < 0)   /* an exception without a place, as Python's None */
            printf("%s\tNone\tNone\t%s\n", err.exc_type, err.msg);
        else if (ends)   /* the end too, as SyntaxError's end_lineno and end_offset */
            printf("%s\t%d\t%d\t%d\t%d\t%s\n", err.exc_type, err.line, err.col, err.end_line, err.end_col, err.msg);
        else if (tsv) printf("%s\t%d\t%d\t%s\n", err.exc_type, err.line, err.col, err.msg);
        else syntax_error_print(stderr, &err, data, len, path);
        rc = 1;
    } else if (!quiet) {
        Buf out = {0};
        if (cleandoc) print_cleandocs(&out, tree, &a);
        else {
            ast_dump(&out, tree);
            buf_byte(&out, '\n');
        }
        rc = cli_write_out(&out);
    }
    arena_free(&a);
    free(data);
    return rc;
}
