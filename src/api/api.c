/* api.c - the public compile and cache functions of include/cpyc.h over the internal ones. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "compile/compile.h"

const char *cpyc_version(void) { return CPYC_VERSION; }

static const cpyc_target *target_or_default(const cpyc_target *t) { return t ? t : &cpyc_target_3_13; }

/* Hands the warnings collected to the caller's on_warning, then frees them. */
static void deliver_warnings(const cpyc_compile_options *o, Warnings *w, const char *filename)
{
    size_t at = 0;
    Warning wr;
    while (o->on_warning && warnings_next(w, &at, &wr)) {
        cpyc_warning cw = {wr.category, wr.msg, filename, wr.lineno};
        o->on_warning(o->warning_ctx, &cw);
    }
    warnings_free(w);
}

int cpyc_compile_pyc(const void *src, size_t len, const cpyc_compile_options *o, uint8_t **out,
                     size_t *outlen, cpyc_error *err)
{
    error_clear(err);
    *out = NULL;
    *outlen = 0;
    cpyc_compile_options dflt = {0};
    if (!o) o = &dflt;
    const cpyc_target *t = target_or_default(o->target);
    if (o->optimize < -1 || o->optimize > 2)
        return error_at(err, CPYC_ERR_USAGE, -1, "compile(): invalid optimize value");
    PycHeader h = {.magic = t->magic, .target = t};
    if (o->invalidation == CPYC_PYC_CHECKED_HASH || o->invalidation == CPYC_PYC_UNCHECKED_HASH) {
        h.flags = PYC_FLAG_HASH | (o->invalidation == CPYC_PYC_CHECKED_HASH ? PYC_FLAG_CHECK_SOURCE : 0);   /* compile_to_pyc hashes */
    } else {
        h.mtime = o->mtime;
        h.source_size = o->source_size;
    }
    Warnings warns = {0};
    CompileOptions co = {.target = t, .optimize = o->optimize < 0 ? 0 : o->optimize,
                         .filename = o->filename ? o->filename : "<string>",
                         .warnings = o->on_warning ? &warns : NULL};
    Buf b = {0};
    int failed = compile_to_pyc(src, len, &co, &h, &b, err);
    deliver_warnings(o, &warns, co.filename);
    if (failed) { buf_free(&b); return -1; }
    if (b.failed) { buf_free(&b); return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory"); }
    *out = b.data;
    *outlen = b.len;
    return 0;
}

/* Copies a NUL-terminated result to out as snprintf would; its length, or -1. */
static int give(Buf *b, char *out, size_t outsize)
{
    if (b->failed) { buf_free(b); return -1; }
    int n = (int)b->len;
    if (outsize) snprintf(out, outsize, "%.*s", n, b->data ? (const char *)b->data : "");
    buf_free(b);
    return n;
}

int cpyc_cache_from_source(const cpyc_target *t, const char *source_path, int optimize, char *out,
                           size_t outsize)
{
    Buf b = {0};
    if (pycache_from_source(&b, source_path, target_or_default(t), optimize, false, NULL)) { buf_free(&b); return -1; }
    return give(&b, out, outsize);
}

int cpyc_source_from_cache(const char *pyc_path, char *out, size_t outsize, cpyc_error *err)
{
    error_clear(err);
    Buf b = {0};
    if (pycache_to_source(&b, pyc_path, err->msg, sizeof err->msg)) {
        err->status = CPYC_ERR_USAGE;
        snprintf(err->exc_type, sizeof err->exc_type, "ValueError");
        buf_free(&b);
        return -1;
    }
    return give(&b, out, outsize);
}

int cpyc_compile_file(const char *source_path, const char *pyc_path, const char *dfile,
                      const cpyc_compile_options *o, cpyc_error *err)
{
    error_clear(err);
    cpyc_compile_options dflt = {0};
    if (!o) o = &dflt;
    const cpyc_target *t = target_or_default(o->target);
    Buf cfile = {0};
    if (!pyc_path) {
        pycache_from_source(&cfile, source_path, t, o->optimize, false, NULL);
        if (cfile.failed) { buf_free(&cfile); return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory"); }
        pyc_path = (const char *)cfile.data;
    }
    Warnings warns = {0};
    PyCompileJob job = {.file = source_path, .cfile = pyc_path, .dfile = dfile, .target = t,
                        .optimize = o->optimize, .invalidation = o->invalidation ? (int)o->invalidation : INVAL_TIMESTAMP,
                        .warnings = o->on_warning ? &warns : NULL};
    PyCompileResult r;
    int rc = pycompile_file(&job, &r);
    deliver_warnings(o, &warns, dfile ? dfile : source_path);
    if (rc) {
        if (r.status == PYCOMPILE_COMPILE_ERROR && r.error.status) {
            *err = r.error;
        } else {
            err->status = r.status == PYCOMPILE_OS_ERROR ? CPYC_ERR_IO : CPYC_ERR_USAGE;
            snprintf(err->exc_type, sizeof err->exc_type, "%s", r.exc_class ? r.exc_class : "ValueError");
            snprintf(err->msg, sizeof err->msg, "%.*s", (int)r.msg.len, r.msg.data ? (const char *)r.msg.data : "");
        }
        err->file = source_path;
    }
    buf_free(&r.msg);
    buf_free(&cfile);
    return rc;
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

int cpyc_pyc_is_fresh(const cpyc_target *t, const char *pyc_path, const char *source_path, cpyc_error *err)
{
    error_clear(err);
    err->file = pyc_path;
    t = target_or_default(t);
    uint8_t h[16];
    int fd = open(pyc_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { error_at(err, CPYC_ERR_IO, -1, "cannot open: %s", strerror(errno)); return 0; }
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n < 4 || h[0] != (uint8_t)t->magic || h[1] != (uint8_t)(t->magic >> 8) || h[2] != '\r' || h[3] != '\n') {
        error_at(err, CPYC_ERR_FORMAT, -1, "bad magic number");
        return 0;
    }
    if (n < 16) { error_at(err, CPYC_ERR_FORMAT, -1, "reached EOF while reading pyc header"); return 0; }
    uint32_t flags = le32(h + 4);
    if (flags & ~3u) { error_at(err, CPYC_ERR_FORMAT, -1, "invalid flags %u", flags); return 0; }
    if (flags & PYC_FLAG_HASH) {
        if (!(flags & PYC_FLAG_CHECK_SOURCE)) return 1;   /* unchecked: import does not look */
        uint8_t *src, hash[8];
        size_t len;
        err->file = source_path;
        if (file_read_all(source_path, &src, &len, err)) return -1;
        cpyc_source_hash(t, src, len, hash);
        free(src);
        if (memcmp(hash, h + 8, 8) != 0) {
            error_at(err, CPYC_OK, -1, "hash in bytecode doesn't match hash of source");
            return 0;
        }
        return 1;
    }
    struct stat st;
    if (stat(source_path, &st)) {
        err->file = source_path;
        return error_at(err, CPYC_ERR_IO, -1, "cannot stat: %s", strerror(errno));
    }
    if (le32(h + 8) != (uint32_t)pycache_mtime(&st) || le32(h + 12) != (uint32_t)st.st_size) {
        error_at(err, CPYC_OK, -1, "bytecode is stale");
        return 0;
    }
    return 1;
}
