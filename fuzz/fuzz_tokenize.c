/* fuzz_tokenize.c - libFuzzer target: source decoding and the tokenizer on any bytes, in
   the parser's mode and in the tokenize module's mode (extra tokens, newlines kept). */
#include <stdlib.h>
#include <string.h>

#include "front/tokenize.h"

static void run(const uint8_t *data, size_t size, unsigned flags, bool extra)
{
    Arena a;
    arena_init(&a);
    cpyc_error err;
    error_clear(&err);
    DecodedSource ds;
    Tokenizer *tz;
    if (source_decode_ex(data, size, flags, &a, &ds, &err) == 0 &&
        (tz = tokenizer_new(&ds, &cpyc_target_3_13, &a, &err)) != NULL) {
        tokenizer_set_extra(tz, extra);
        Token t;
        size_t n = 0;
        uint32_t last = 0;
        while (tokenizer_next(tz, &t) == 0) {
            /* tokens lie inside the source, in order, and the stream ends */
            if (t.start > ds.len || t.len > ds.len - t.start || t.start + t.len < last) abort();
            last = t.start;
            uint32_t dlen;
            const char *debug = t.type == TOK_NAME ? NULL : tokenizer_debug_text(tz, t.aux, &dlen);
            if (debug && dlen > ds.len + 1) abort();
            if (t.type == TOK_ENDMARKER) break;
            if (++n > 4 * ds.len + 16) abort();
        }
        int line, col;
        const char *msg;
        tokenizer_module_error(tz, &line, &col, &msg);
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, 0, false);
    run(data, size, DECODE_KEEP_NEWLINES | DECODE_REPLACE, true);
    return 0;
}
