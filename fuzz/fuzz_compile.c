/* fuzz_compile.c - libFuzzer target: the whole compilation, source bytes to pyc bytes, at each
   optimize level; the pyc written must read back and re-serialize to the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "compile/compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const cpyc_target *t = cpyc_target_by_name("3.13");
    CompileOptions opt = {.target = t, .optimize = size ? data[0] % 3 : 0, .filename = "fuzz.py"};
    PycHeader h = {0};
    Buf out = {0};
    cpyc_error err;
    error_clear(&err);
    if (compile_to_pyc(data, size, &opt, &h, &out, &err) == 0) {
        Arena a;
        arena_init(&a);
        Pyc pyc;
        cpyc_error rerr;
        error_clear(&rerr);
        if (pyc_read(out.data, out.len, &a, &pyc, &rerr)) abort();   /* we wrote what we cannot read */
        Buf again = {0};
        if (pyc_write(&again, &pyc, &rerr) || again.len != out.len || memcmp(again.data, out.data, out.len))
            abort();
        buf_free(&again);
        arena_free(&a);
    } else if (err.status == CPYC_OK) {
        abort();   /* a failure must say why */
    }
    buf_free(&out);
    return 0;
}
