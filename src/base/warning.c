/* warning.c - the list of warnings a compilation issues (base.h). A record is the category
   pointer, the line, the message's length and the message with its NUL, packed in a Buf. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

typedef struct WarnHead {
    const char *category;
    int lineno;
    uint32_t len;
} WarnHead;

/* Records start at multiples of the head's alignment. */
static size_t record_size(size_t len)
{
    size_t n = sizeof(WarnHead) + len + 1, al = _Alignof(WarnHead);
    return (n + al - 1) / al * al;
}

void warnings_add(Warnings *w, const char *category, int lineno, const char *msg, size_t len)
{
    if (len > UINT32_MAX - 64) len = UINT32_MAX - 64;
    size_t size = record_size(len);
    buf_reserve(&w->b, size);
    if (w->b.failed) return;
    WarnHead h = {category, lineno, (uint32_t)len};
    uint8_t *at = w->b.data + w->b.len;
    memcpy(at, &h, sizeof h);
    memcpy(at + sizeof h, msg, len);
    memset(at + sizeof h + len, 0, size - sizeof h - len);
    w->b.len += size;
    w->n++;
}

void warnings_addf(Warnings *w, const char *category, int lineno, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    warnings_add(w, category, lineno, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

bool warnings_next(const Warnings *w, size_t *at, Warning *out)
{
    if (!w || *at >= w->b.len) return false;
    WarnHead h;
    memcpy(&h, w->b.data + *at, sizeof h);
    *out = (Warning){h.category, h.lineno, (const char *)w->b.data + *at + sizeof h, h.len};
    *at += record_size(h.len);
    return true;
}

void warnings_clear(Warnings *w)
{
    w->b.len = 0;
    w->n = 0;
}

void warnings_free(Warnings *w)
{
    buf_free(&w->b);
    w->n = 0;
}
