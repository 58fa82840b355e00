/* file.c - whole-file input for the command line and the library. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

int file_read_st(const char *path, uint8_t **data, size_t *len, struct stat *st)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    if (fstat(fd, st)) {
        int e = errno;
        close(fd);
        return e;
    }
    /* A regular file is read into a buffer of its size and one byte more: a read that
       fills less than asked is its end (regular files do not return short reads before
       it), which saves the read that would return 0. Anything else is read to EOF. */
    bool reg = S_ISREG(st->st_mode) && st->st_size >= 0;
    size_t want = reg ? (size_t)st->st_size + 1 : 65536;
    Buf b = {0};
    int e = 0;
    for (;;) {
        buf_reserve(&b, b.len < want ? want - b.len : 65536);
        if (b.failed) { e = ENOMEM; break; }
        size_t room = b.cap - b.len;
        ssize_t n = read(fd, b.data + b.len, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { e = errno; break; }
        if (n == 0) break;
        b.len += (size_t)n;
        if (reg && (size_t)n < room) break;
    }
    close(fd);
    if (e) { buf_free(&b); return -e; }
    *data = b.data;
    *len = b.len;
    return 0;
}

int file_read_all(const char *path, uint8_t **data, size_t *len, cpyc_error *err)
{
    struct stat st;
    int e = file_read_st(path, data, len, &st);
    if (e == -ENOMEM) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    if (e) return error_at(err, CPYC_ERR_IO, -1, "%s: %s", e > 0 ? "cannot open" : "read error", strerror(e > 0 ? e : -e));
    return 0;
}
