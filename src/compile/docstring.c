/* docstring.c - the docstring cleanup of CPython 3.13's compiler (_PyCompile_CleanDoc):
   inspect.cleandoc's margin removal, but leading and trailing blank lines kept. */
#include <string.h>

#include "compile.h"

/* expandtabs(8) of s into arena memory: columns count code points and restart after \n
   and \r. NULL out of memory. */
static char *expand_tabs(Arena *a, const char *s, size_t len, size_t *outlen)
{
    size_t tabs = 0;
    for (size_t k = 0; k < len; k++) tabs += s[k] == '\t';
    char *x = arena_alloc_raw(a, len + tabs * 8 + 1);
    if (!x) return NULL;
    size_t n = 0, col = 0;
    for (size_t k = 0; k < len; k++) {
        char c = s[k];
        if (c == '\t') {
            size_t pad = 8 - col % 8;
            memset(x + n, ' ', pad);
            n += pad;
            col += pad;
            continue;
        }
        x[n++] = c;
        if (c == '\n' || c == '\r') col = 0;
        else if (((uint8_t)c & 0xc0) != 0x80) col++;
    }
    *outlen = n;
    return x;
}

/* Just past the end of the line at p (its \n included), or end. */
static const char *next_line(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl + 1 : end;
}

const char *docstring_clean(Arena *a, const char *s, size_t len, size_t *outlen)
{
    /* the compiler encodes the string as strict UTF-8: a lone surrogate (ED A0..BF) fails */
    const char *end = s + len;
    for (const char *p = s; (p = memchr(p, 0xed, (size_t)(end - p))) && p + 1 < end; p++)
        if ((uint8_t)p[1] >= 0xa0) return NULL;
    const char *x = s;
    size_t n = len;
    char *expanded = NULL;
    if (memchr(s, '\t', len)) {
        if (!(expanded = expand_tabs(a, s, len, &n))) return NULL;
        x = expanded;
    }
    end = x + n;
    /* the smallest indentation of the non-blank lines after the first */
    size_t margin = SIZE_MAX;
    for (const char *p = next_line(x, end); p < end; p = next_line(p, end)) {
        const char *line = p;
        while (p < end && *p == ' ') p++;
        if (p < end && *p != '\n' && (size_t)(p - line) < margin) margin = (size_t)(p - line);
    }
    if (margin == SIZE_MAX) margin = 0;
    const char *p = x;
    while (p < end && *p == ' ') p++;
    if (p == x && margin == 0 && !expanded) {   /* nothing to remove: the text itself */
        *outlen = len;
        return s;
    }
    /* the first line loses its leading spaces, the others `margin` of them (written in
       place over the expansion, which is never behind) */
    char *out = expanded ? expanded : arena_alloc_raw(a, n + 1), *w = out;
    if (!out) return NULL;
    for (bool first = true; p < end; first = false) {
        if (!first)
            for (size_t i = 0; i < margin && p < end && *p == ' '; i++) p++;
        const char *next = next_line(p, end);
        memmove(w, p, (size_t)(next - p));
        w += next - p;
        p = next;
    }
    *w = 0;
    *outlen = (size_t)(w - out);
    return out;
}
