/* fuzz_pyc.c - libFuzzer target: the pyc reader, the inspector, the writer and the
   disassembler on any bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dis/dis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink) sink = fopen("/dev/null", "w");
    cpyc_error err;
    int same = 0;
    cpyc_inspect_pyc(data, size, "fuzz", sink, 1, &same, &err);
    /* Whatever reads must write back to the same bytes up to the end of the object. */
    Arena a;
    arena_init(&a);
    Pyc pyc;
    if (pyc_read(data, size, &a, &pyc, &err) == 0 && !pyc.noncanonical) {
        Buf b = {0};
        if (pyc_write(&b, &pyc, &err) == 0 && (b.len != pyc.marshal_end || memcmp(b.data, data, b.len) != 0))
            abort();
        buf_free(&b);
    }
    if (pyc_read(data, size, &a, &pyc, &err) == 0) {
        Buf b = {0};
        /* the input's length picks the listing options, so each corpus entry keeps its own */
        dis_pyc(&b, &pyc, (size & 1 ? DIS_CACHES : 0) | (size & 2 ? DIS_OFFSETS : 0), &err);
        buf_free(&b);
    }
    arena_free(&a);
    return 0;
}
