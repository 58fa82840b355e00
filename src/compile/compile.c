/* compile.c - the back end's driver: source bytes to a module code object and to pyc bytes,
   through the stages in CPython's order (future, AST optimizer, symtable, codegen; each
   code unit is optimized and assembled by codegen as its scope closes). */
#include <string.h>
#include <time.h>

#include "compile.h"

double compile_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double compile_unit_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Adds the time since *t0 to *field and restarts the clock (no-op without stats). */
static void lap(CompileStats *s, double *field, double *t0)
{
    if (!s) return;
    double t = compile_cpu_now();
    *field += t - *t0;
    *t0 = t;
}

Value *compile_source(const uint8_t *src, size_t len, const CompileOptions *opt, Arena *a,
                      cpyc_error *err)
{
    if (!opt->target->compiles) {
        error_at(err, CPYC_ERR_UNSUPPORTED, -1, "cpyc cannot compile for Python %s yet",
                 opt->target->name);
        return NULL;
    }
    CompileStats *s = opt->stats;
    double t0 = s ? compile_cpu_now() : 0;
    AstNode *mod = parse_file_bytes(src, len, opt->target, a, err, opt->warnings);
    lap(s, s ? &s->parse : NULL, &t0);
    if (!mod) return NULL;
    FutureFeatures ff = {0};
    if (future_parse(mod, &ff, err)) return NULL;
    if (ast_optimize(mod, a, opt, &ff, err)) return NULL;
    lap(s, s ? &s->astopt : NULL, &t0);
    Symtable *st = symtable_build(mod, opt, &ff, a, err);
    lap(s, s ? &s->symtable : NULL, &t0);
    if (!st) return NULL;
    ConstCache *cc = const_cache_new(a);
    if (!cc) {
        error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        return NULL;
    }
    Value *code = codegen_module(mod, st, opt, &ff, cc, a, err);
    if (a->sub) arena_reset(a->sub);   /* the units' scratch (see unit_arena): for refs and marshal */
    lap(s, s ? &s->codegen : NULL, &t0);   /* cfg and assemble included; the bench subtracts */
    return code;
}

int compile_to_pyc(const uint8_t *src, size_t len, const CompileOptions *opt, PycHeader *h,
                   Buf *out, cpyc_error *err)
{
    Arena own, *a = opt->arena ? opt->arena : &own;
    if (!opt->arena) arena_init(&own);
    int rc = -1;
    Value *code = compile_source(src, len, opt, a, err);
    CompileStats *s = opt->stats;
    double t0 = s ? compile_cpu_now() : 0;
    if (code) {
        h->magic = opt->target->magic;
        h->target = opt->target;
        if (h->flags & PYC_FLAG_HASH) cpyc_source_hash(opt->target, src, len, h->source_hash);
        buf_reserve(out, len + len / 2 + 256);   /* pycs run ~1.4x the source: one allocation */
        pyc_write_header(out, h);
        /* refs.c's pass and the marshal writer in one walk (the bench's refs time) */
        rc = refs_write(out, code, opt->refs_env ? opt->refs_env : opt->target->refs_env, a, err);
        lap(s, s ? &s->refs : NULL, &t0);
        if (rc == 0 && out->failed) rc = error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    }
    if (opt->arena) arena_reset(a);
    else arena_free(a);
    return rc;
}
