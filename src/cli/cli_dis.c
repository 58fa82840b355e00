/* cli_dis.c - `cpyc dis`: prints the disassembly of each pyc named (see dis.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dis/dis.h"
#include "compile/compile.h"

typedef struct {
    bool headers;   /* several files: each listing opens with "==> FILE <==" */
    bool first;
    unsigned flags;     /* DIS_OFFSETS, DIS_CACHES */
    int failed;
} DisRun;

/* `cpyc dis FILE.py` will compile the source for the target and list the result, as
   `python -m dis FILE.py` does, once the code generator exists; until then such a file is named
   for what it is rather than read as a damaged pyc. */
static bool is_source_path(const char *path)
{
    size_t n = strlen(path);
    return (n > 3 && strcmp(path + n - 3, ".py") == 0) || (n > 4 && strcmp(path + n - 4, ".pyw") == 0);
}

/* What `python3.13 -m dis FILE.py` disassembles: compile(source, FILE, "exec"). */
static int compile_for_dis(const char *path, Arena *a, Pyc *pyc, uint8_t **data, size_t *len,
                           cpyc_error *err)
{
    CompileOptions opt = {.target = cpyc_target_by_name("3.13"), .optimize = 0, .filename = path};
    memset(pyc, 0, sizeof *pyc);
    pyc->header.target = opt.target;
    pyc->header.magic = opt.target->magic;
    if (file_read_all(path, data, len, err)) return -1;
    pyc->code = compile_source(*data, *len, &opt, a, err);
    return pyc->code ? 0 : -1;
}

static void dis_file(void *ctx, const char *path)
{
    DisRun *run = ctx;
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data = NULL;
    Arena a;
    arena_init(&a);
    Pyc pyc;
    Buf out = {0};
    if (run->headers) buf_printf(&out, "%s==> %s <==\n", run->first ? "" : "\n", path);
    run->first = false;
    bool source = is_source_path(path);
    size_t len = 0;
    if ((source ? compile_for_dis(path, &a, &pyc, &data, &len, &err) : cli_read_pyc(path, &a, &pyc, &data, &err)) ||
        dis_pyc(&out, &pyc, run->flags | (source ? DIS_COMPILED : 0), &err)) {
        if (out.len) fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
        if (source && err.status == CPYC_ERR_SYNTAX) cli_print_syntax_error(stderr, &err, data, len);
        else cli_report(&err);
        run->failed++;
    } else if (out.len) {
        fwrite(out.data, 1, out.len, stdout);
    }
    buf_free(&out);
    arena_free(&a);
    free(data);
}

int cli_dis(int argc, char **argv)
{
    DisRun run = {.first = true};
    const char *list = NULL;
    int first = 0;
    for (; first < argc; first++) {
        if (strcmp(argv[first], "--files-from") == 0 && first + 1 < argc) list = argv[++first];
        else if (strcmp(argv[first], "-O") == 0 || strcmp(argv[first], "--offsets") == 0)
            run.flags |= DIS_OFFSETS;
        else if (strcmp(argv[first], "-C") == 0 || strcmp(argv[first], "--show-caches") == 0)
            run.flags |= DIS_CACHES;
        else if (strcmp(argv[first], "--") == 0) { first++; break; }
        else if (argv[first][0] == '-' && argv[first][1]) {
            fprintf(stderr, "cpyc dis: unknown option %s\n", argv[first]);
            return 2;
        } else break;
    }
    if (first >= argc && !list) {
        fputs("usage: cpyc dis [-C] [-O] [--files-from LIST] FILE.pyc...\n", stderr);
        return 2;
    }
    run.headers = list || argc - first > 1;
    if (list && cli_each_listed_path(list, dis_file, &run)) return 2;
    for (int i = first; i < argc; i++) dis_file(&run, argv[i]);
    return run.failed ? 1 : 0;
}
