/* cli_ast.c - `cpyc ast [--target V] FILE`: prints ast.dump(ast.parse(source), include_attributes=True,
   indent=1) as CPython prints it, or the end of CPython's traceback for a syntax error. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ast.h"
#include "compile/compile.h"
#include "tokenize.h"

/* --bench: parses every file listed on stdin in-process and reports the front end's speed. */
static int bench(const cpyc_target *t)
{
    char line[4096];
    double secs = 0;
    size_t bytes = 0, files = 0, failed = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        cpyc_error err;
        error_clear(&err);
        uint8_t *data;
        size_t len;
        if (file_read_all(line, &data, &len, &err)) { failed++; continue; }
        struct timespec t0, t1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        Arena a;
        arena_init(&a);
        if (!parse_file_bytes(data, len, t, &a, &err)) failed++;
        arena_free(&a);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        bytes += len;
        files++;
        free(data);
    }
    printf("%zu files, %.1f MB in %.3f s of CPU: %.1f MB/s (decode + tokenize + parse; %zu rejected)\n",
           files, (double)bytes / 1e6, secs, secs > 0 ? (double)bytes / 1e6 / secs : 0.0, failed);
    return 0;
}

int cli_ast(int argc, char **argv)
{
    const cpyc_target *t = cpyc_target_by_name("3.13");
    int i = 0;
    bool tsv = false, quiet = false;
    int optimize = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
            if (!(t = cpyc_target_by_name(argv[++i]))) {
                fprintf(stderr, "cpyc ast: unknown target %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--error-tsv") == 0) {
            tsv = true;
        } else if (strcmp(argv[i], "--optimize") == 0 && i + 1 < argc) {
            optimize = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--bench") == 0) {
            return bench(t);
        } else {
            break;
        }
    }
    if (i + 1 != argc) {
        fputs("usage: cpyc ast [--target V] [--error-tsv] [--quiet] [--optimize N] FILE\n", stderr);
        return 2;
    }
    const char *path = argv[i];
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
    AstNode *tree = parse_file_bytes(data, len, t, &a, &err);
    if (tree && optimize > 0 && tree->depth <= AST_PY_MAX_DEPTH) {
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
        else if (tsv) printf("%s\t%d\t%d\t%s\n", err.exc_type, err.line, err.col, err.msg);
        else cli_print_syntax_error(stderr, &err, data, len);
        rc = 1;
    } else if (!quiet) {
        Buf out = {0};
        ast_dump(&out, tree);
        buf_byte(&out, '\n');
        if (out.failed) { fputs("cpyc: out of memory\n", stderr); rc = 1; }
        else fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
    }
    arena_free(&a);
    free(data);
    return rc;
}
