/* file.c - whole-file input for the command line and the library. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

int file_read_all(const char *path, uint8_t **data, size_t *len, cpyc_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return error_at(err, CPYC_ERR_IO, -1, "cannot open: %s", strerror(errno));
    /* a regular file is read into a buffer of its size (one more byte sees the end) */
    struct stat st;
    size_t want = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 ? (size_t)st.st_size + 1 : 65536;
    Buf b = {0};
    int bad = 0;
    for (;;) {
        buf_reserve(&b, b.len < want ? want - b.len : 65536);
        if (b.failed) break;
        ssize_t n = read(fd, b.data + b.len, b.cap - b.len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { bad = errno; break; }
        if (n == 0) break;
        b.len += (size_t)n;
    }
    close(fd);
    if (b.failed) { buf_free(&b); return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory"); }
    if (bad) { buf_free(&b); return error_at(err, CPYC_ERR_IO, -1, "read error: %s", strerror(bad)); }
    *data = b.data;
    *len = b.len;
    return 0;
}
