/* pycompile.c - one source file to one pyc as py_compile.compile does it: the checks on the
   pyc's path, read, compile, cache directory, header per invalidation mode, atomic write with
   the source's mode; failures as the exception text CPython would show. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "compile/compile.h"

static int os_fail(PyCompileResult *r, int e, const char *path, const char *path2)
{
    r->status = PYCOMPILE_OS_ERROR;
    r->exc_class = oserror_class(e);
    r->err_no = e;
    if (path) oserror_text(&r->msg, e, path, path2);
    else buf_printf(&r->msg, "[Errno %d] %s", e, strerror(e));
    return -1;
}

static int path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* os.makedirs(dir) with FileExistsError ignored, as py_compile calls it. */
static int make_dirs(char *dir, PyCompileResult *r)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;   /* split(): a trailing '/' leaves an empty tail */
    char *slash = NULL;
    for (size_t i = n; i-- > 0;)
        if (dir[i] == '/') { slash = dir + i; break; }
    if (slash && slash > dir) {   /* head and tail both non-empty */
        char save = *slash;
        *slash = 0;
        int missing = !path_exists(dir);
        int rc = missing ? make_dirs(dir, r) : 0;
        *slash = save;
        if (rc) return rc;
    }
    if (mkdir(dir, 0777) == 0 || errno == EEXIST) return 0;
    return os_fail(r, errno, dir, NULL);
}

/* What PyCompileError's message says for a compile failure. */
static void compile_error_text(PyCompileResult *r, const cpyc_error *err, const char *shown, const char *path,
                               const uint8_t *src, size_t len)
{
    r->status = PYCOMPILE_COMPILE_ERROR;
    if (err->status == CPYC_ERR_UNSUPPORTED) {
        buf_printf(&r->msg, "cpyc: %s: cannot compile this yet (%s)", shown, err->msg);
        r->unsupported = true;
        return;
    }
    const char *type = err->exc_type[0] ? err->exc_type : "SyntaxError";
    if (strcmp(type, "SyntaxError") == 0 && err->status == CPYC_ERR_SYNTAX) {
        /* traceback.format_exception_only of the SyntaxError, with its File line */
        char *text = NULL;
        size_t tlen = 0;
        FILE *f = open_memstream(&text, &tlen);
        if (!f) { r->msg.failed = true; return; }
        cpyc_error e = *err;
        e.file = shown;
        syntax_error_print(f, &e, src, len, path);
        fclose(f);
        buf_put(&r->msg, text, tlen);
        free(text);
        return;
    }
    /* "Sorry: T: str(exc)"; a SyntaxError subclass's str adds the file's base name and line */
    buf_printf(&r->msg, "Sorry: %s: %s", type, err->msg);
    if (err->status == CPYC_ERR_SYNTAX && syntax_error_is_placed_type(type)) {
        const char *base = strrchr(shown, '/');
        base = base ? base + 1 : shown;
        if (err->line >= 0) buf_printf(&r->msg, " (%s, line %d)", base, err->line);
        else buf_printf(&r->msg, " (%s)", base);
    }
}

/* importlib's _write_atomic; replaces: a regular file is there (opened first when there is a
   reaper, which closes it after the rename: see reaper.c). */
static int write_atomic(const PyCompileJob *j, const Buf *data, unsigned mode, bool replaces,
                        PyCompileResult *r)
{
    Buf tmp = {0};
    buf_printf(&tmp, "%s.%ld%06u", j->cfile, j->pid ? j->pid : (long)getpid(), j->tmp_id % 1000000);
    buf_byte(&tmp, 0);
    if (tmp.failed) return os_fail(r, ENOMEM, NULL, NULL);
    const char *tpath = (const char *)tmp.data;
    int fd = open(tpath, O_EXCL | O_CREAT | O_WRONLY | O_CLOEXEC, mode & 0666);
    if (fd < 0 && errno == ENOENT) {
        /* py_compile makes the directory first; doing it only when it is missing saves two
           system calls a file and fails the same way (mkdir's error, or ENOTDIR after it) */
        const char *slash = strrchr(j->cfile, '/');
        if (slash && slash > j->cfile) {
            char *dir = strndup(j->cfile, (size_t)(slash - j->cfile));
            int rc = dir ? make_dirs(dir, r) : os_fail(r, ENOMEM, NULL, NULL);
            free(dir);
            if (rc) { buf_free(&tmp); return -1; }
        }
        fd = open(tpath, O_EXCL | O_CREAT | O_WRONLY | O_CLOEXEC, mode & 0666);
    }
    if (fd < 0) {
        os_fail(r, errno, tpath, NULL);
        buf_free(&tmp);
        return -1;
    }
    int e = 0;
    for (size_t off = 0; off < data->len;) {
        ssize_t n = write(fd, data->data + off, data->len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { e = errno; break; }
        off += (size_t)n;
    }
    if (close(fd) && !e) e = errno;
    int rc = 0, old = -1;
    if (e) rc = os_fail(r, e, NULL, NULL);
    else {
        if (replaces && j->reaper) old = open(j->cfile, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (rename(tpath, j->cfile)) rc = os_fail(r, errno, tpath, j->cfile);
        reaper_close(j->reaper, old);
    }
    if (rc) unlink(tpath);
    buf_free(&tmp);
    return rc;
}

int pycompile_write(const PyCompileJob *j, const Buf *data, unsigned mode, PyCompileResult *r)
{
    return write_atomic(j, data, mode, j->reaper != NULL, r);
}

/* Adds the time since *t to j->ns[k] and restarts *t (only when the caller measures). */
static void lap(const PyCompileJob *j, int k, struct timespec *t)
{
    if (!j->ns) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    j->ns[k] += (uint64_t)((now.tv_sec - t->tv_sec) * 1000000000LL + (now.tv_nsec - t->tv_nsec));
    *t = now;
}

int pycompile_file(const PyCompileJob *j, PyCompileResult *r)
{
    struct timespec t = {0};
    if (j->ns) clock_gettime(CLOCK_MONOTONIC, &t);
    memset(r, 0, sizeof *r);
    struct stat st;
    bool exists = lstat(j->cfile, &st) == 0;   /* lstat answers both of py_compile's checks */
    if (exists && S_ISLNK(st.st_mode)) {
        r->status = PYCOMPILE_OS_ERROR;
        r->exc_class = "FileExistsError";
        fsname_text(&r->msg, j->cfile);
        buf_printf(&r->msg, " is a symlink and will be changed into a regular file if import "
                            "writes a byte-compiled file to it");
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        r->status = PYCOMPILE_OS_ERROR;
        r->exc_class = "FileExistsError";
        fsname_text(&r->msg, j->cfile);
        buf_printf(&r->msg, " is a non-regular file and will be changed into a regular one if "
                            "import writes a byte-compiled file to it");
        return -1;
    }
    uint8_t *data;
    size_t len;
    int e = file_read_st(j->file, &data, &len, &st);
    if (e) return os_fail(r, e > 0 ? e : -e, j->file, NULL);
    Buf sb = {.data = data, .len = len, .cap = len};
    uint8_t *src = sb.data ? sb.data : (uint8_t *)"";
    lap(j, 0, &t);

    Buf shown = {0};   /* co_filename and the name in messages: dfile or file, as Python's str */
    const char *dname = j->dfile ? j->dfile : j->file;
    fsname_to_utf8(&shown, dname, strlen(dname));
    buf_byte(&shown, 0);
    PycHeader h = {.magic = j->target->magic, .target = j->target};
    if (j->invalidation == INVAL_TIMESTAMP) {
        h.mtime = (uint32_t)pycache_mtime(&st);
        h.source_size = (uint32_t)st.st_size;
    } else {
        h.flags = PYC_FLAG_HASH | (j->invalidation == INVAL_CHECKED_HASH ? PYC_FLAG_CHECK_SOURCE : 0);   /* compile_to_pyc hashes */
    }
    cpyc_error err;
    error_clear(&err);
    Buf out = {0};
    int rc = 0;
    if (j->optimize < -1 || j->optimize > 2) {
        r->status = PYCOMPILE_COMPILE_ERROR;
        buf_printf(&r->msg, "Sorry: ValueError: compile(): invalid optimize value");
        rc = -1;
    } else {
        int level = j->optimize < 0 ? j->interp_opt : j->optimize;
        CompileOptions opt = {.target = j->target, .optimize = level > 2 ? 2 : level,
                              .filename = (const char *)shown.data, .arena = j->arena,
                              .warnings = j->warnings};
        err.file = opt.filename;
        if (shown.failed || compile_to_pyc(src, len, &opt, &h, &out, &err)) {
            if (shown.failed) error_at(&err, CPYC_ERR_MEMORY, -1, "out of memory");
            r->error = err;
            r->error.file = NULL;
            compile_error_text(r, &err, opt.filename, dname, src, len);
            rc = -1;
        }
    }
    lap(j, 1, &t);
    /* _calc_mode: the source's permission bits, always writable by the owner */
    if (rc == 0) rc = write_atomic(j, &out, (st.st_mode & 07777) | 0200, exists, r);
    lap(j, 2, &t);
    buf_free(&out);
    buf_free(&shown);
    buf_free(&sb);
    return rc;
}
