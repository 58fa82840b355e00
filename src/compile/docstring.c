/* docstring.c - the docstring cleanup of CPython 3.13's compiler (_PyCompile_CleanDoc):
   inspect.cleandoc's margin removal, but leading and trailing blank lines kept. */
#include <string.h>

#include "compile.h"

const char *docstring_clean(Arena *a, const char *s, size_t len, size_t *outlen)
{
    /* the compiler encodes the string as strict UTF-8: a lone surrogate fails */
    for (size_t k = 0; k + 1 < len; k++)
        if ((uint8_t)s[k] == 0xed && (uint8_t)s[k + 1] >= 0xa0) return NULL;
    /* expandtabs(8): columns count code points and restart after \n and \r */
    size_t tabs = 0;
    for (size_t k = 0; k < len; k++) tabs += s[k] == '\t';
    char *x = arena_alloc(a, len + tabs * 8 + 1);
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
    const char *p = x, *end = x + n;
    /* the smallest indentation of the non-blank lines after the first */
    while (p < end && *p++ != '\n') {}
    size_t margin = SIZE_MAX;
    while (p < end) {
        const char *line = p;
        while (p < end && *p == ' ') p++;
        if (p < end && *p != '\n' && (size_t)(p - line) < margin) margin = (size_t)(p - line);
        while (p < end && *p++ != '\n') {}
    }
    if (margin == SIZE_MAX) margin = 0;
    /* the first line loses its leading spaces, the others `margin` of them */
    char *w = x;
    p = x;
    while (p < end && *p == ' ') p++;
    while (p < end) if ((*w++ = *p++) == '\n') break;
    while (p < end) {
        for (size_t i = 0; i < margin && p < end && *p == ' '; i++) p++;
        while (p < end) if ((*w++ = *p++) == '\n') break;
    }
    *w = 0;
    *outlen = (size_t)(w - x);
    return x;
}
