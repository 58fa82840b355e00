/* cli_dis.c - `cpyc dis`: prints the disassembly of each pyc named (see dis.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "api/api.h"
#include "dis/dis.h"
#include "compile/compile.h"

typedef struct {
    bool headers;   /* several files: each listing opens with "==> FILE <==" */
    bool first;
    unsigned flags;     /* DIS_OFFSETS, DIS_CACHES */
    int failed;
    WarnFilters *wfilters;  /* PYTHONWARNINGS (python3.13 -m dis FILE.py reads it) */
} DisRun;

/* `cpyc dis FILE.py` will compile the source for the target and list the result, as
   `python -m dis FILE.py` does, once the code generator exists; until then such a file is named
   for what it is rather than read as a damaged pyc. */
static bool is_source_path(const char *path)
{
    size_t n = strlen(path);
    return (n > 3 && strcmp(path + n - 3, ".py") == 0) || (n > 4 && strcmp(path + n - 4, ".pyw") == 0);
}

/* A place a frozenset constant sits in (an item of co_consts or of a tuple in it), with the
   set and its items in the compiler's order. */
typedef struct SetPlace { Value **slot; Value *set, **items; } SetPlace;
typedef struct SetPlaces { SetPlace *v; size_t n, cap; bool failed; } SetPlaces;

static void find_sets(SetPlaces *p, Value **items, size_t n, Arena *a)
{
    for (size_t k = 0; k < n && !p->failed; k++) {
        Value *v = items[k], *c;
        if (v->kind == V_CODE && (c = v->u.code->oval[CO_CONSTS])) {
            find_sets(p, c->u.seq.items, c->u.seq.n, a);
        } else if (v->kind == V_TUPLE) {
            find_sets(p, v->u.seq.items, v->u.seq.n, a);
        } else if (v->kind == V_FROZENSET && v->u.seq.n) {
            if (p->n == p->cap) {
                size_t cap = p->cap ? 2 * p->cap : 16;
                SetPlace *grown = arena_alloc(a, cap * sizeof *grown);
                if (!(p->failed = !grown)) {
                    if (p->n) memcpy(grown, p->v, p->n * sizeof *grown);
                    p->v = grown, p->cap = cap;
                }
            }
            Value **saved = arena_memdup(a, v->u.seq.items, v->u.seq.n * sizeof *saved);
            if ((p->failed = p->failed || !saved)) return;
            p->v[p->n++] = (SetPlace){&items[k], v, saved};
        }
    }
}

/* Marks (Value.fresh) each frozenset constant that code-object creation rebuilds in a
   `python3.13 -m dis` process, which dis then lists in the rebuilt set's order: one whose
   str item interning replaced by an equal object interned before (refs.c's model, with the
   texts that process has interned, the target's dis_refs_env). refs_assign leaves a new set where
   one was rebuilt and sorts the others' items as marshal does; the tree gets its sets back
   in the compiler's order. (The compiler puts frozensets in co_consts only, never inside
   another frozenset, whose place a rebuild would hide.) */
static int mark_rebuilt_sets(Value *module, const RefsEnv *env, Arena *a, cpyc_error *err)
{
    SetPlaces p = {0};
    find_sets(&p, &module, 1, a);
    if (p.failed) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    if (refs_assign(module, env, a, err)) return -1;
    for (size_t k = 0; k < p.n; k++) {
        SetPlace *s = &p.v[k];
        if (*s->slot != s->set) s->set->fresh = 1;
        *s->slot = s->set;
        memcpy(s->set->u.seq.items, s->items, s->set->u.seq.n * sizeof *s->items);
    }
    return 0;
}

/* What `python3.13 -m dis FILE.py` disassembles: compile(source, FILE, "exec"). */
static int compile_for_dis(const char *path, Arena *a, Pyc *pyc, uint8_t **data, size_t *len,
                           cpyc_error *err, WarnFilters *wfilters)
{
    Warnings warns = {0};
    CompileOptions opt = {.target = cpyc_target_by_name("3.13"), .optimize = 0, .filename = path,
                          .warnings = &warns};
    memset(pyc, 0, sizeof *pyc);
    pyc->header.target = opt.target;
    pyc->header.magic = opt.target->magic;
    if (file_read_all(path, data, len, err)) return -1;
    pyc->code = compile_source(*data, *len, &opt, a, err);
    warnings_print(stderr, &warns, path, wfilters);   /* compile()'s SyntaxWarnings, before any error */
    warnings_free(&warns);
    return pyc->code ? mark_rebuilt_sets(pyc->code, opt.target->dis_refs_env, a, err) : -1;
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
    if ((source ? compile_for_dis(path, &a, &pyc, &data, &len, &err, run->wfilters) : cli_read_pyc(path, &a, &pyc, &data, &err)) ||
        dis_pyc(&out, &pyc, run->flags | (source ? DIS_COMPILED : 0), &err)) {
        if (out.len) fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
        if (source && err.status == CPYC_ERR_SYNTAX) syntax_error_print(stderr, &err, data, len, path);
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
    WarnFilters wfilters;
    cli_env_warnings(&wfilters);
    run.wfilters = &wfilters;
    int status = 2;
    if (!list || !cli_each_listed_path(list, dis_file, &run)) {
        for (int i = first; i < argc; i++) dis_file(&run, argv[i]);
        status = run.failed ? 1 : 0;
    }
    warn_filters_free(&wfilters);
    return status;
}
