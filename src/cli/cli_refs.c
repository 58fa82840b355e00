/* cli_refs.c - `cpyc refs-check` (hidden): rebuilds each 3.13 pyc's code tree without type
   codes or sharing, merges constants as the compiler does, runs refs_assign and compares
   the marshal bytes with the file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"
#include "pyc/marshal.h"

typedef struct Check {
    Arena *arena;
    ConstCache *cc;
    long proxies;       /* strings kept as identifiers on the file's word (see copy_value) */
    long budget;        /* values the unshared copy may still take (a crafted pyc can share
                           exponentially) */
    bool failed;
} Check;

static bool interned_code(uint8_t tcode)
{
    uint8_t t = tcode & (uint8_t)~FLAG_REF;
    return t == TYPE_INTERNED || t == TYPE_ASCII_INTERNED || t == TYPE_SHORT_ASCII_INTERNED;
}

static bool str_eq(const Value *a, const Value *b)
{
    return a->kind == V_STR && b->kind == V_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.data, b->u.s.data, a->u.s.len) == 0;
}

static bool ascii(const Value *v)
{
    for (size_t i = 0; i < v->u.s.len; i++)
        if (v->u.s.data[i] >= 0x80) return false;
    return true;
}

static bool name_chars_only(const Value *v)
{
    for (size_t i = 0; i < v->u.s.len; i++) {
        uint8_t c = v->u.s.data[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

/* A deep copy in which every occurrence is its own object with tcode 0. The one thing a
   pyc cannot tell is whether a constant string came from an identifier (the parser interns
   those, codegen would use const_name): a constant the file shows interned although
   intern_constants would not intern it is taken as one (counted in proxies). */
/* qualname: the co_qualname of the code whose constants v is in (NULL: not a constant),
   which explains a class body's interned __qualname__ (see class_qualname_const). */
static Value *copy_value(Check *ck, const Value *v, const Value *qualname)
{
    Value *c = --ck->budget > 0 ? arena_memdup(ck->arena, v, sizeof *v) : NULL;
    if (!c) { ck->failed = true; return NULL; }
    c->tcode = 0;
    /* a one-character str the file shows not interned is a new object, not the singleton */
    if (v->kind == V_STR && !interned_code(v->tcode) && v->u.s.len && refs_latin1_char(v))
        c->fresh = 1;
    if (v->kind == V_STR && qualname && interned_code(v->tcode) && !name_chars_only(v) &&
        v->u.s.len > 2 && !str_eq(v, qualname) && !ascii(v)) {
        c->tcode = TYPE_INTERNED;
        ck->proxies++;
        if (getenv("CPYC_REFS_PROXIES")) printf("proxy %.*s\n", (int)v->u.s.len, (const char *)v->u.s.data);
    }
    size_t n = v->kind == V_DICT ? 2 * v->u.seq.n : v->u.seq.n;
    switch ((ValueKind)v->kind) {
    case V_TUPLE: case V_LIST: case V_SET: case V_FROZENSET: case V_DICT:
        if (!n) break;
        c->u.seq.items = arena_alloc(ck->arena, n * sizeof(Value *));
        if (!c->u.seq.items) { ck->failed = true; return NULL; }
        for (size_t k = 0; k < n; k++)
            if (!(c->u.seq.items[k] = copy_value(ck, v->u.seq.items[k], qualname))) return NULL;
        break;
    case V_CODE: {
        Code *code = arena_memdup(ck->arena, v->u.code, sizeof *code);
        if (!code) { ck->failed = true; return NULL; }
        c->u.code = code;
        for (int f = 0; f < CO__COUNT; f++)
            if (code->oval[f] &&
                !(code->oval[f] = copy_value(ck, code->oval[f], f == CO_CONSTS ? v->u.code->oval[CO_QUALNAME] : NULL)))
                return NULL;
        /* co_name is an identifier (or a static name like <lambda>); a qualname equal to it
           is that very object (compiler_set_qualname) */
        code->oval[CO_NAME]->tcode = TYPE_INTERNED;
        if (str_eq(code->oval[CO_NAME], code->oval[CO_QUALNAME])) code->oval[CO_QUALNAME] = code->oval[CO_NAME];
        break;
    }
    default:
        break;
    }
    return c;
}

/* A class body's code: its first constant is its __qualname__, the very object codegen
   gives co_qualname. */
static bool class_qualname_const(const Code *c, size_t k)
{
    const Value *names = c->oval[CO_NAMES], *consts = c->oval[CO_CONSTS];
    bool has = false;
    for (size_t i = 0; names && i < names->u.seq.n && !has; i++) {
        const Value *s = names->u.seq.items[i];
        has = s->u.s.len == 12 && memcmp(s->u.s.data, "__qualname__", 12) == 0;
    }
    if (!has) return false;
    for (size_t i = 0; i < k; i++)   /* only the first such constant */
        if (str_eq(consts->u.seq.items[i], c->oval[CO_QUALNAME])) return false;
    return str_eq(consts->u.seq.items[k], c->oval[CO_QUALNAME]);
}

/* The compiler's merging, in its order: each constant when codegen adds it (a nested code
   object is compiled, and merged whole, where its constant is), then the code object's own
   tables when it is made (assemble_emit, makecode). */
static void merge_code(Check *ck, Value *code)
{
    Code *c = code->u.code;
    Value *consts = c->oval[CO_CONSTS];
    for (size_t k = 0; consts && k < consts->u.seq.n && !ck->failed; k++) {
        Value **slot = &consts->u.seq.items[k];
        if ((*slot)->kind == V_CODE) { merge_code(ck, *slot); continue; }
        if (class_qualname_const(c, k)) *slot = c->oval[CO_QUALNAME];
        if (!(*slot = const_cache_merge(ck->cc, *slot))) ck->failed = true;
    }
    static const CodeField own[] = {CO_EXCEPTIONTABLE, CO_LINETABLE, CO_CODE, CO_NAMES, CO_CONSTS,
                                    CO_LOCALSPLUSNAMES};
    for (size_t f = 0; f < CPYC_COUNTOF(own) && !ck->failed; f++)
        if (c->oval[own[f]] && !(c->oval[own[f]] = const_cache_merge_one(ck->cc, c->oval[own[f]])))
            ck->failed = true;
}

typedef struct Totals { long files, identical, differ, unreadable, skipped, proxies; } Totals;

static void check_file(const char *path, bool quiet, const RefsEnv *env, Totals *t)
{
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data = NULL;
    size_t len;
    Arena a;
    arena_init(&a);
    Pyc pyc;
    t->files++;
    if (file_read_all(path, &data, &len, &err) || pyc_read(data, len, &a, &pyc, &err)) {
        cli_report(&err);
        t->unreadable++;
    } else if (pyc.header.target != &cpyc_target_3_13) {
        if (!quiet) printf("skip %s: a %s pyc\n", path, pyc.header.target->name);
        t->skipped++;
    } else {
        Check ck = {.arena = &a, .cc = const_cache_new(&a), .budget = 4000000};
        Value *copy = ck.cc ? copy_value(&ck, pyc.code, NULL) : NULL;
        if (copy) merge_code(&ck, copy);
        Buf out = {0};
        if (!copy || ck.failed) {
            error_at(&err, CPYC_ERR_MEMORY, -1, ck.budget > 0 ? "out of memory"
                                                 : "too many values once unshared");
            cli_report(&err);
            t->unreadable++;
        } else if (refs_assign(copy, env, &a, &err) || marshal_write_object(&out, copy, pyc.header.target, &err)) {
            cli_report(&err);
            t->unreadable++;
        } else {
            size_t n = len - 16, i = 0;
            const uint8_t *want = data + 16;
            while (i < n && i < out.len && want[i] == out.data[i]) i++;
            if (i == n && i == out.len) {
                t->identical++;
                if (!quiet) printf("ok %s\n", path);
            } else {
                t->differ++;
                const char *dump = getenv("CPYC_REFS_DUMP");   /* ours, as a pyc, to study */
                FILE *f = dump ? fopen(dump, "wb") : NULL;
                if (f) {
                    fwrite(data, 1, 16, f);
                    fwrite(out.data, 1, out.len, f);
                    fclose(f);
                }
                printf("differ %s: at marshal offset %zu (file %02x, ours %02x; %zu vs %zu bytes)\n",
                       path, i, i < n ? want[i] : 0, i < out.len ? out.data[i] : 0, n, out.len);
            }
            t->proxies += ck.proxies;
        }
        buf_free(&out);
    }
    arena_free(&a);
    free(data);
}

/* check_file of each path of a --files-from list. */
typedef struct ListedRun { bool quiet; const RefsEnv *env; Totals *t; } ListedRun;

static void check_listed(void *ctx, const char *path)
{
    ListedRun *r = ctx;
    check_file(path, r->quiet, r->env, r->t);
}

int cli_refs(int argc, char **argv)
{
    bool quiet = false;
    const char *list = NULL;
    const RefsEnv *env = &refs_env_py_compile_3_13;
    Totals t = {0};
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "-q") == 0) quiet = true;
        else if (strcmp(argv[i], "--no-env") == 0) env = NULL;   /* nothing interned before */
        else if (strcmp(argv[i], "--files-from") == 0 && i + 1 < argc) list = argv[++i];
        else {
            fprintf(stderr, "usage: cpyc refs-check [-q] [--no-env] [--files-from LIST] FILE.pyc...\n");
            return 2;
        }
    }
    for (; i < argc; i++) check_file(argv[i], quiet, env, &t);
    ListedRun run = {quiet, env, &t};
    if (list && cli_each_listed_path(list, check_listed, &run)) return 2;
    printf("%ld files: %ld identical, %ld differ, %ld unreadable, %ld not 3.13 (%ld constants "
           "taken as identifiers from the file)\n",
           t.files, t.identical, t.differ, t.unreadable, t.skipped, t.proxies);
    return t.differ || t.unreadable ? 1 : 0;
}
