/* file.c - whole-file input for the command line and the library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpyc_internal.h"

int file_read_all(const char *path, uint8_t **data, size_t *len, cpyc_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return error_at(err, CPYC_ERR_IO, -1, "cannot open: %s", strerror(errno));
    Buf b = {0};
    for (;;) {
        buf_reserve(&b, 65536);
        if (b.failed) break;
        size_t n = fread(b.data + b.len, 1, b.cap - b.len, f);
        b.len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (b.failed) { buf_free(&b); return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory"); }
    if (bad) { buf_free(&b); return error_at(err, CPYC_ERR_IO, -1, "read error: %s", strerror(saved)); }
    *data = b.data;
    *len = b.len;
    return 0;
}
