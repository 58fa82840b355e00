/* codegen_stubs.c - TEMPORARY weak stand-ins for the stages not merged into this branch yet
   (symtable, flowgraph), so that the codegen branch links; the real definitions win. */
#include "compile.h"

__attribute__((weak)) Symtable *symtable_build(AstNode *mod, const CompileOptions *opt, FutureFeatures *ff,
                                               Arena *a, cpyc_error *err)
{
    (void)mod; (void)opt; (void)ff; (void)a;
    error_at(err, CPYC_ERR_UNSUPPORTED, -1, "symtable not merged");
    return NULL;
}
__attribute__((weak)) StEntry *symtable_lookup(const Symtable *st, const void *key) { (void)st; (void)key; return NULL; }
__attribute__((weak)) int st_symbol_flags(const StEntry *e, const char *name) { (void)e; (void)name; return 0; }
__attribute__((weak)) int st_symbol_scope(const StEntry *e, const char *name) { (void)e; (void)name; return 0; }
__attribute__((weak)) const char *symtable_mangle(Arena *a, const char *p, const char *name) { (void)a; (void)p; return name; }
__attribute__((weak)) const char *symtable_maybe_mangle(Arena *a, const char *p, const StEntry *e, const char *name)
{
    (void)a; (void)p; (void)e;
    return name;
}
__attribute__((weak)) int cfg_optimize(InstrSeq *seq, ConstMap *consts, ConstCache *cc, int nlocals, int nparams,
                                       int firstlineno, cpyc_error *err)
{
    (void)seq; (void)consts; (void)cc; (void)nlocals; (void)nparams; (void)firstlineno;
    return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "flowgraph not merged");
}
__attribute__((weak)) int cfg_finish(InstrSeq *seq, CodeUnitMeta *meta, int code_flags, InstrSeq *out,
                                     int *stackdepth, int *nlocalsplus, cpyc_error *err)
{
    (void)seq; (void)meta; (void)code_flags; (void)out; (void)stackdepth; (void)nlocalsplus;
    return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "flowgraph not merged");
}
