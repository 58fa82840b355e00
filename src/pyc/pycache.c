/* pycache.c - the import system's cache rules: where a source's pyc lives (importlib.util's
   cache_from_source and source_from_cache), when a pyc is up to date, file names as Python
   shows them (surrogateescape, repr, OSError texts). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pyc.h"

/* importlib's _path_split: (head, tail) around the last '/'. */
static size_t path_split(const char *path, const char **tail)
{
    const char *slash = strrchr(path, '/');
    *tail = slash ? slash + 1 : path;
    return slash ? (size_t)(slash - path) : 0;
}

/* importlib's _path_join of head and one more part: empty parts dropped, trailing '/' of
   the others stripped. */
static void path_join_head(Buf *out, const char *head, size_t hlen)
{
    if (!hlen) return;
    size_t n = hlen;
    while (n && head[n - 1] == '/') n--;
    buf_put(out, head, n);
    buf_byte(out, '/');
}

static bool str_isalnum_ascii(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
            return false;
    return true;
}

/* The directory part of a cache path under sys.pycache_prefix: the source's head made
   absolute as importlib's _path_abspath makes it (the working directory joined in front of a
   relative one, a single leading "./" dropped first; nothing normalized), then without its
   leading '/', joined to the prefix; each part with its trailing '/' stripped. */
static void prefix_head(Buf *out, const char *prefix, const char *head, size_t hlen)
{
    path_join_head(out, prefix, strlen(prefix));
    if (!hlen || head[0] != '/') {
        if (hlen >= 2 && head[0] == '.' && head[1] == '/') head += 2, hlen -= 2;
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) {
            const char *c = cwd;
            while (*c == '/') c++;
            path_join_head(out, c, strlen(c));
        } else {
            out->failed = true;
        }
    }
    while (hlen && head[0] == '/') head++, hlen--;
    path_join_head(out, head, hlen);
}

int pycache_from_source(Buf *out, const char *path, const cpyc_target *t, int opt, bool legacy,
                        const char *prefix)
{
    if (legacy) {   /* compileall -b: the pre-PEP 3147 name beside the source */
        buf_printf(out, "%sc", path);
        buf_byte(out, 0);
        out->len--;
        return out->failed ? -1 : 0;
    }
    const char *tail;
    size_t hlen = path_split(path, &tail);
    if (prefix) prefix_head(out, prefix, path, hlen);
    else {
        path_join_head(out, path, hlen);
        buf_printf(out, "__pycache__/");
    }
    /* tail.rpartition('.'): the part before the last dot, or the whole name when the dot
       leads (".py" gives "py.cpython-313.pyc") or there is none */
    const char *dot = strrchr(tail, '.');
    if (dot && dot > tail) buf_put(out, tail, (size_t)(dot - tail));
    else buf_put(out, dot ? dot + 1 : tail, strlen(dot ? dot + 1 : tail));
    buf_printf(out, "%scpython-%d%d", dot ? "." : "", t->major, t->minor);
    if (opt > 0) buf_printf(out, ".opt-%d", opt);
    buf_printf(out, ".pyc");
    buf_byte(out, 0);
    out->len--;
    return out->failed ? -1 : 0;
}

int pycache_to_source(Buf *out, const char *path, char *errmsg, size_t errsize)
{
    const char *name;
    size_t n = path_split(path, &name);
    /* head, pycache = _path_split(head) */
    const char *h = path, *slash = NULL;
    for (size_t i = n; i-- > 0;)
        if (h[i] == '/') { slash = h + i; break; }
    const char *pycache = slash ? slash + 1 : h;
    size_t plen = (size_t)(h + n - pycache);
    size_t newhead = slash ? (size_t)(slash - h) : 0;
    Buf rep = {0};
    if (plen != 11 || memcmp(pycache, "__pycache__", 11) != 0) {
        repr_str_utf8_as(&rep, (const uint8_t *)path, strlen(path), &cpyc_target_3_13);
        snprintf(errmsg, errsize, "__pycache__ not bottom-level directory in %.*s", (int)rep.len,
                 (const char *)rep.data);
        buf_free(&rep);
        return -1;
    }
    int dots = 0;
    for (const char *p = name; *p; p++) dots += *p == '.';
    if (dots != 2 && dots != 3) {
        repr_str_utf8_as(&rep, (const uint8_t *)name, strlen(name), &cpyc_target_3_13);
        snprintf(errmsg, errsize, "expected only 2 or 3 dots in %.*s", (int)rep.len, (const char *)rep.data);
        buf_free(&rep);
        return -1;
    }
    if (dots == 3) {   /* rsplit('.', 2)[-2]: the part between the last two dots */
        const char *last = strrchr(name, '.'), *prev = last;
        while (prev > name && prev[-1] != '.') prev--;
        size_t olen = (size_t)(last - prev);
        if (olen < 4 || memcmp(prev, "opt-", 4) != 0) {
            snprintf(errmsg, errsize, "optimization portion of filename does not start with 'opt-'");
            return -1;
        }
        char lvl[256];
        snprintf(lvl, sizeof lvl, "%.*s", (int)(olen - 4), prev + 4);
        if (!str_isalnum_ascii(lvl)) {
            repr_str_utf8_as(&rep, (const uint8_t *)prev, olen, &cpyc_target_3_13);
            snprintf(errmsg, errsize, "optimization level %.*s is not an alphanumeric value",
                     (int)rep.len, (const char *)rep.data);
            buf_free(&rep);
            return -1;
        }
    }
    path_join_head(out, h, newhead);
    buf_put(out, name, strcspn(name, "."));
    buf_printf(out, ".py");
    buf_byte(out, 0);
    out->len--;
    return out->failed ? -1 : 0;
}

int64_t pycache_mtime(const struct stat *st)
{
    /* int(os.stat(path).st_mtime): Python builds the float from seconds and nanoseconds,
       which can round up to the next second, then truncates toward zero */
    double f = (double)st->st_mtim.tv_sec + (double)st->st_mtim.tv_nsec * 1e-9;
    return (int64_t)f;
}

int pycache_up_to_date(const char *cfile, const cpyc_target *t, int64_t mtime)
{
    /* compileall's own test: magic, flags 0 and the source's mtime, whatever the mode */
    uint8_t want[12], got[12];
    want[0] = (uint8_t)t->magic;
    want[1] = (uint8_t)(t->magic >> 8);
    want[2] = '\r';
    want[3] = '\n';
    memset(want + 4, 0, 4);
    uint32_t m = (uint32_t)mtime;
    for (int k = 0; k < 4; k++) want[8 + k] = (uint8_t)(m >> (8 * k));
    int fd = open(cfile, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, got, sizeof got);
    close(fd);
    return n == (ssize_t)sizeof got && memcmp(want, got, sizeof got) == 0;
}

void fsname_to_utf8(Buf *out, const char *name, size_t len)
{
    const uint8_t *s = (const uint8_t *)name;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = s[i] < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
        if (n && !(n == 3 && cp >= 0xd800 && cp <= 0xdfff)) {
            buf_put(out, s + i, n);
            i += n;
        } else {   /* surrogateescape: the byte as U+DC80..U+DCFF, written surrogatepass */
            char u[4];
            buf_put(out, u, utf8_encode(u, 0xdc00 + s[i]));
            i++;
        }
    }
}

void fsname_repr(Buf *out, const char *name)
{
    Buf u = {0};
    fsname_to_utf8(&u, name, strlen(name));
    repr_str_utf8_as(out, u.data ? u.data : (const uint8_t *)"", u.len, &cpyc_target_3_13);
    buf_free(&u);
}

void text_backslashreplace(Buf *out, const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = s[i] < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
        if (n == 3 && cp >= 0xd800 && cp <= 0xdfff) buf_printf(out, "\\u%04x", (unsigned)cp);
        else if (n) buf_put(out, s + i, n);
        else buf_printf(out, "\\x%02x", s[i]);
        i += n ? n : 1;
    }
}

void fsname_text(Buf *out, const char *name)
{
    Buf u = {0};
    fsname_to_utf8(&u, name, strlen(name));
    text_backslashreplace(out, u.data ? u.data : (const uint8_t *)"", u.len);
    buf_free(&u);
}

const char *oserror_class(int e)
{
    switch (e) {
    case EACCES: case EPERM: return "PermissionError";
    case ENOENT: return "FileNotFoundError";
    case EEXIST: return "FileExistsError";
    case EISDIR: return "IsADirectoryError";
    case ENOTDIR: return "NotADirectoryError";
    case EINTR: return "InterruptedError";
    case EAGAIN: return "BlockingIOError";
    case ETIMEDOUT: return "TimeoutError";
    case ECHILD: return "ChildProcessError";
    case EPIPE: return "BrokenPipeError";
    default: return "OSError";
    }
}

void oserror_text(Buf *out, int e, const char *path, const char *path2)
{
    buf_printf(out, "[Errno %d] %s: ", e, strerror(e));
    fsname_repr(out, path);
    if (path2) {
        buf_printf(out, " -> ");
        fsname_repr(out, path2);
    }
}
