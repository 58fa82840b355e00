/* cli_tokenize.c - `cpyc tokenize [-e] FILE`: prints what `python3.13 -m tokenize [-e] FILE`
   prints (ENCODING first, COMMENT and NL tokens, columns in characters). */
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

/* Maps byte offsets of the source to (line, character column), for offsets met in
   increasing order within a line. */
typedef struct {
    const char *s;
    size_t len;
    size_t *line_starts;
    size_t nlines;
    size_t cache_line, cache_off;
    long cache_chars;
} PosMap;

static int posmap_init(PosMap *pm, const char *s, size_t len, Arena *a)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += s[i] == '\n';
    pm->s = s;
    pm->len = len;
    pm->line_starts = arena_alloc(a, (n + 1) * sizeof(size_t));
    if (!pm->line_starts) return -1;
    pm->nlines = 0;
    pm->line_starts[pm->nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') pm->line_starts[pm->nlines++] = i + 1;
    pm->cache_line = (size_t)-1;
    return 0;
}

/* Line (from 1) holding byte `off`; an offset at the very end belongs to a line of its own. */
static size_t posmap_line(const PosMap *pm, size_t off)
{
    size_t lo = 0, hi = pm->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (pm->line_starts[mid] <= off) lo = mid;
        else hi = mid;
    }
    return lo + 1;
}

static long posmap_col(PosMap *pm, size_t line, size_t off)
{
    size_t ls = pm->line_starts[line - 1];
    size_t from = ls;
    long chars = 0;
    if (pm->cache_line == line && pm->cache_off <= off) {
        from = pm->cache_off;
        chars = pm->cache_chars;
    }
    for (size_t i = from; i < off && i < pm->len; i++)
        if (((unsigned char)pm->s[i] & 0xc0) != 0x80) chars++;
    pm->cache_line = line;
    pm->cache_off = off;
    pm->cache_chars = chars;
    return chars;
}

static void print_token(Buf *o, long l1, long c1, long l2, long c2, const char *type, const char *s, size_t n)
{
    char range[64];
    snprintf(range, sizeof range, "%ld,%ld-%ld,%ld:", l1, c1, l2, c2);
    Buf r = {0};
    repr_str_utf8(&r, (const uint8_t *)s, n);
    buf_printf(o, "%-20s%-15s%.*s", range, type, (int)r.len, (const char *)r.data);
    /* '%-15r' pads to 15 characters */
    long chars = 0;
    for (size_t i = 0; i < r.len; i++) chars += (r.data[i] & 0xc0) != 0x80;
    for (; chars < 15; chars++) buf_byte(o, ' ');
    buf_byte(o, '\n');
    buf_free(&r);
}

int cmd_tokenize(int argc, char **argv)
{
    bool exact = false;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "--exact") == 0) exact = true;
        else if (!path) path = argv[i];
        else path = NULL, i = argc;
    }
    if (!path) {
        fputs("usage: cpyc tokenize [-e] FILE\n", stderr);
        return 2;
    }
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data;
    size_t len;
    if (file_read_all(path, &data, &len, &err)) {
        char line[1024];
        cpyc_error_format(&err, line, sizeof line);
        fprintf(stderr, "cpyc: %s\n", line);
        return 1;
    }
    Arena a;
    arena_init(&a);
    Buf o = {0};
    DecodedSource ds;
    int rc = 0;
    Tokenizer *tz = NULL;
    PosMap pm;
    if (source_decode_ex(data, len, DECODE_KEEP_NEWLINES, &a, &ds, &err) ||
        !(tz = tokenizer_new(&ds, &cpyc_target_3_13, &a, &err)) || posmap_init(&pm, ds.utf8, ds.len, &a)) {
        /* Lib/tokenize.py finds the cookie itself and words its errors its own way */
        Buf r = {0};
        repr_str_utf8(&r, (const uint8_t *)path, strlen(path));
        const char *m = err.msg;
        if (strncmp(m, "unknown encoding: ", 18) == 0)
            fprintf(stderr, "%s: error: unknown encoding for %.*s: %s\n", path, (int)r.len, (char *)r.data, m + 18);
        else if (strncmp(m, "encoding problem: ", 18) == 0)
            fprintf(stderr, "%s: error: encoding problem for %.*s: utf-8\n", path, (int)r.len, (char *)r.data);
        else
            fprintf(stderr, "%s: error: %s\n", path, m);
        buf_free(&r);
        rc = 1;
        goto done;
    }
    tokenizer_set_extra(tz, true);
    const char *enc = ds.bom ? "utf-8-sig" : ds.cookie ? ds.cookie : "utf-8";
    if (ds.cookie && strcmp(ds.encoding, "utf-8") != 0 && strcmp(ds.encoding, "iso-8859-1") != 0) enc = ds.cookie;
    else if (ds.cookie && !ds.bom) enc = ds.encoding;
    print_token(&o, 0, 0, 0, 0, "ENCODING", enc, strlen(enc));
    /* the newline appended to a last line without one is shown as '' */
    size_t implicit_from = ds.added_newline ? ds.len - 1 : (size_t)-1;
    for (;;) {
        Token t;
        if (tokenizer_next(tz, &t)) {
            int line, col;
            const char *msg;
            tokenizer_module_error(tz, &line, &col, &msg);
            if (strstr(msg, "unterminated triple-quoted string literal")) msg = "EOF in multi-line string";
            o.len = 0;
            fprintf(stderr, "%s:%d:%d: error: %s\n", path, line, col, msg);
            rc = 1;
            goto done;
        }
        size_t start = t.start, end = t.start + t.len;
        size_t l1 = posmap_line(&pm, start);
        long c1 = posmap_col(&pm, l1, start);
        /* NEWLINE and NL end on their own line; other tokens where their end offset is */
        size_t l2 = (t.type == TOK_NEWLINE || t.type == TOK_NL) ? l1 : posmap_line(&pm, end);
        long c2 = posmap_col(&pm, l2, end);
        const char *s = t.text;
        size_t n = t.len;
        int type = t.type;
        if (type == TOK_ENDMARKER || (type == TOK_DEDENT && start >= ds.len)) {
            l1 = l2 = pm.nlines + (ds.len && ds.utf8[ds.len - 1] != '\n' ? 1 : 0);
            c1 = c2 = 0;
        } else if (type == TOK_NEWLINE) {
            c2++;
            if (start >= implicit_from) n = 0;
            else if (n && s[0] == '\r') s = "\r\n", n = 2;
            else s = "\n", n = 1;
        } else if (type == TOK_NL && start >= implicit_from) {
            n = 0;
        }
        const char *name = token_type_name(type);
        if (!exact && type > TOK_DEDENT && type < TOK_OP) name = "OP";
        print_token(&o, (long)l1, c1, (long)l2, c2, name, s, n);
        if (type == TOK_ENDMARKER) break;
    }
done:
    fwrite(o.data, 1, o.len, stdout);
    buf_free(&o);
    arena_free(&a);
    free(data);
    return rc;
}
