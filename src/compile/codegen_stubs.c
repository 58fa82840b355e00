/* codegen_stubs.c - TEMPORARY weak stand-ins for the stages not merged into this branch yet
   (flowgraph), so that the codegen branch links; the real definitions win. */
#include "compile.h"

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
