/* compileall_fake_backend.c - a stand-in compile_to_pyc for the side-by-side compileall test
   while the back end is incomplete: the real front end decides what is a syntax error, and the
   pyc is the real header with a fixed body, so file sets, names, headers, modes, hardlinks and
   output lines can be compared with CPython's before the bytes can. Linked first, it wins over
   the library's definition (--allow-multiple-definition). */
#include "compile/compile.h"

int compile_to_pyc(const uint8_t *src, size_t len, const CompileOptions *opt, PycHeader *h,
                   Buf *out, cpyc_error *err)
{
    Arena a;
    arena_init(&a);
    AstNode *mod = parse_file_bytes(src, len, opt->target, &a, err, opt->warnings);
    arena_free(&a);
    if (!mod) return -1;
    pyc_write_header(out, h);
    buf_printf(out, "cpyc fake back end\n");
    return out->failed ? error_at(err, CPYC_ERR_MEMORY, -1, "out of memory") : 0;
}
