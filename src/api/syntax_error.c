/* syntax_error.c - a SyntaxError printed as the end of CPython's traceback shows it (py_compile,
   compileall and the command lines that compile print it). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "front/tokenize.h"

/* The source line `lineno` of the file (decoded), without its newline. */
static void source_line(const uint8_t *data, size_t len, int lineno, Arena *a, const char **s, size_t *n,
                        bool *newline)
{
    DecodedSource src;
    cpyc_error err;
    error_clear(&err);
    const char *p = (const char *)data, *end = p + len;
    if (source_decode(data, len, a, &src, &err) == 0) { p = src.utf8; end = p + src.len; }
    for (int l = 1; l < lineno && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *e = p;
    while (e < end && *e != '\n') e++;
    *newline = e < end;
    if (e > p && e[-1] == '\r') e--;
    *s = p;
    *n = (size_t)(e - p);
    /* CPython shows a line that is not UTF-8 decoded with errors="replace" */
    char *r = arena_alloc(a, 3 * *n + 1);
    if (!r) return;
    size_t o = utf8_replace_into(r, p, *n);
    if (o != *n || memcmp(r, p, o) != 0) { *s = r; *n = o; }
}

bool syntax_error_is_placed_type(const char *type)
{
    return !strcmp(type, "SyntaxError") || !strcmp(type, "IndentationError") || !strcmp(type, "TabError");
}

static bool utf8_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        bool valid;
        i += utf8_piece((const uint8_t *)s + i, n - i, &valid);
        if (!valid) return false;
    }
    return true;
}

/* Line `lineno` of the file at path as CPython reads it again to show an error: in pieces of
   at most 999 bytes (a stdio line buffer of 1000), "\r\n" and "\r" read as "\n", so that a
   longer line leaves only its last piece; the text ends at a NUL byte. False when the file
   cannot be read or has fewer lines. */
static bool reread_line(const char *path, int lineno, const char **s, size_t *n)
{
    uint8_t *data;
    size_t len;
    cpyc_error err;
    error_clear(&err);
    if (!path || lineno <= 0 || file_read_all(path, &data, &len, &err)) return false;
    static const size_t piece = 999;
    size_t i = 0, got = 0;
    char *buf = malloc(piece + 1);
    bool found = false;
    for (int line = 0; buf && line < lineno;) {
        if (i >= len) break;
        got = 0;
        while (got < piece && i < len) {
            char c = (char)data[i++];
            if (c == '\r') {
                c = '\n';
                if (i < len && data[i] == '\n') i++;
            }
            buf[got++] = c;
            if (c == '\n') break;
        }
        if (got < piece || buf[piece - 1] == '\n') line++;
        if (line == lineno) found = true;
    }
    free(data);
    if (!found) { free(buf); return false; }
    buf[got] = 0;
    *s = buf;
    *n = strlen(buf);
    return true;
}

/* Prints what CPython's traceback ends with for a SyntaxError. */
void syntax_error_print(FILE *f, const cpyc_error *err, const uint8_t *data, size_t len, const char *path)
{
    Arena arena;
    arena_init(&arena);
    Arena *a = &arena;
    /* a RecursionError or MemoryError of the compiler has no place: just "Type: message" */
    bool placed = !err->exc_type[0] || syntax_error_is_placed_type(err->exc_type);
    if (err->status == CPYC_ERR_SYNTAX && err->line >= 0 && placed)
        fprintf(f, "  File \"%s\", line %d\n", err->file ? err->file : "<string>", err->line);
    const char *s = NULL;
    size_t n = 0;
    bool have = false, newline = false;
    int offset = err->col, end_col = err->end_col;
    char *again = NULL;
    if (err->line > 0 && err->text_from != CPYC_TEXT_SOURCE &&
        reread_line(path, err->line, (const char **)&again, &n)) {
        /* the parser decodes the line read again with the source's codec (a cookie's, or UTF-8
           after a BOM), errors="replace"; without either, and for the compiler, it must be
           UTF-8 as it is */
        const char *enc = NULL;
        DecodedSource ds;
        cpyc_error derr;
        error_clear(&derr);
        if (err->text_from == CPYC_TEXT_PARSER && source_decode(data, len, a, &ds, &derr) == 0)
            enc = ds.cookie ? ds.encoding : ds.bom ? "utf-8" : NULL;
        if (enc) have = text_decode_replace(enc, again, n, a, &s, &n) == 0;
        else if (utf8_valid(again, n)) { s = again; have = true; }
        if (have && err->text_from == CPYC_TEXT_PARSER) {
            offset = (int)syntax_char_column(s, n, err->byte_col);
            end_col = err->byte_end_col > 0 ? (int)syntax_char_column(s, n, err->byte_end_col) : err->byte_end_col;
        }
        if (have) {
            newline = n > 0 && s[n - 1] == '\n';
            n -= newline;
        }
    }
    if (!have && err->line > 0 && err->text_from != CPYC_TEXT_COMPILER) {
        source_line(data, len, err->line, a, &s, &n, &newline);
        have = true;
    }
    if (have) {
        size_t skip = 0;
        while (skip < n && (s[skip] == ' ' || s[skip] == '\f')) skip++;
        fprintf(f, "    %.*s\n", (int)(n - skip), s + skip);
        /* traceback's clamping, in code points of the line (its text keeps the newline):
           symtable errors give byte offsets, which may pass the end */
        int chars = 0;
        for (size_t k = 0; k < n; k++) chars += ((uint8_t)s[k] & 0xc0) != 0x80;
        int textlen = chars + newline;
        int end = err->end_line > 0 && err->end_line != err->line ? chars + 1
                : end_col > 0 ? end_col : offset;
        if (offset > textlen) offset = chars + 1;
        if (end > textlen) end = chars + 1;
        if (offset >= end || end < 0) end = offset + 1;
        int spaces = (int)skip;   /* leading bytes skipped are ASCII */
        int colno = offset - 1 - spaces, end_colno = end - 1 - spaces;
        if (colno >= 0) {
            fputs("    ", f);
            /* columns count code points of the stripped line */
            const char *q = s + skip;
            for (int c = 0; c < colno && q < s + n; c++) {
                fputc(*q == '\t' ? '\t' : ' ', f);
                q++;
                while (q < s + n && ((uint8_t)*q & 0xc0) == 0x80) q++;
            }
            for (int c = colno; c < end_colno; c++) fputc('^', f);
            fputc('\n', f);
        }
    }
    fprintf(f, "%s: %s\n", err->exc_type[0] ? err->exc_type : "SyntaxError", err->msg);
    free(again);
    arena_free(&arena);
}

/* ------------------------------------------------------------------ warnings */

/* The length of the Python whitespace (str.isspace) character at s, or 0. */
static size_t space_at(const uint8_t *s, size_t n)
{
    if (!n) return 0;
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r') || (s[0] >= 0x1c && s[0] <= 0x1f)) return 1;
    if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0)) return 2;
    if (n < 3) return 0;
    uint32_t c = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    if ((s[0] & 0xf0) != 0xe0) return 0;
    return c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000 ? 3 : 0;
}

/* The length of the Python whitespace character ending at s + n, or 0. */
static size_t space_before(const uint8_t *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (space_at(s + n - k, k) == k) return k;
    return 0;
}

/* The lines of the file named `filename` as linecache.getlines gives them to the warnings
   module (the file read again and decoded as tokenize.open decodes it): the starts of its
   lines, *nlines of them (the text ends at starts[*nlines] - 1), or NULL: the name is
   "<...>", or the file cannot be read or decoded. */
static const char **linecache_lines(const char *filename, Arena *a, size_t *nlines)
{
    size_t fl = filename ? strlen(filename) : 0;
    if (!fl || (filename[0] == '<' && filename[fl - 1] == '>')) return NULL;
    uint8_t *data;
    size_t len;
    cpyc_error err;
    error_clear(&err);
    if (file_read_all(filename, &data, &len, &err)) return NULL;
    DecodedSource src;
    bool ok = source_decode(data, len, a, &src, &err) == 0;
    /* the decoded text may be the file's own bytes (past a BOM): keep a copy of it */
    if (ok && src.utf8 >= (const char *)data && src.utf8 <= (const char *)data + len)
        src.utf8 = arena_memdup(a, src.utf8, src.len), ok = src.utf8 != NULL;
    free(data);
    if (!ok) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < src.len; i++) n += src.utf8[i] == '\n';
    const char **starts = arena_alloc(a, (n + 2) * sizeof *starts);
    if (!starts) return NULL;
    const char *p = src.utf8, *end = p + src.len;
    *nlines = 0;
    while (p < end) {
        starts[(*nlines)++] = p;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    starts[*nlines] = end + (src.len && end[-1] == '\n' ? 0 : 1);   /* one past the last newline */
    return starts;
}

/* Writes a name the way Python's stderr shows a str made from it: bytes that are not UTF-8
   (surrogate escapes) as \udcXX. */
static void put_name(FILE *f, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n;) {
        bool valid;
        size_t k = utf8_piece((const uint8_t *)name + i, n - i, &valid);
        if (valid) fwrite(name + i, 1, k, f);
        else
            for (size_t j = 0; j < k; j++) fprintf(f, "\\udc%02x", (unsigned char)name[i + j]);
        i += k;
    }
}

void warnings_print(FILE *f, const Warnings *w, const char *filename, WarnFilters *filters)
{
    if (!w || !w->n) return;
    Arena arena;
    arena_init(&arena);
    /* one write per file's warnings where stdio allows: they stay together between threads */
    flockfile(f);
    size_t at = 0, nlines = 0;
    Warning wr;
    const char **lines = linecache_lines(filename, &arena, &nlines);
    while (warnings_next(w, &at, &wr)) {
        int act = warn_filters_action(filters, filename, wr.lineno, wr.msg, wr.len);
        if (act == WARN_IGNORE || (act == WARN_ONCE && !warn_filters_first(filters, wr.msg, wr.len))) continue;
        put_name(f, filename);
        fprintf(f, ":%d: %s: %.*s\n", wr.lineno, wr.category, (int)wr.len, wr.msg);
        if (lines && wr.lineno >= 1 && (size_t)wr.lineno <= nlines) {
            const char *s = lines[wr.lineno - 1];
            size_t n = (size_t)(lines[wr.lineno] - s) - 1;   /* without its newline */
            /* str.strip(); a line of nothing else still shows as "  " */
            const uint8_t *u = (const uint8_t *)s;
            size_t k;
            while ((k = space_at(u, n))) u += k, n -= k;
            while ((k = space_before(u, n))) n -= k;
            fprintf(f, "  %.*s\n", (int)n, (const char *)u);
        }
    }
    funlockfile(f);
    arena_free(&arena);
}
