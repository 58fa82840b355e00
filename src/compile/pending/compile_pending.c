/* compile_pending.c - stands in for compile.c until the back end lands on main: every
   compilation is refused as not supported yet, so the CLIs and the library link and run. */
#include "../compile.h"

int compile_to_pyc(const uint8_t *src, size_t len, const CompileOptions *opt, PycHeader *h,
                   Buf *out, cpyc_error *err)
{
    (void)src; (void)len; (void)opt; (void)h; (void)out;
    return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "the 3.13 back end is not built yet");
}
