/* arena.c - region allocation (one arena per unit of work) and a growable byte buffer. */
#include <stdlib.h>
#include <string.h>

#include "cpyc_internal.h"

struct ArenaBlock {
    ArenaBlock *next;
    size_t size, used;
    _Alignas(max_align_t) unsigned char mem[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void arena_init(Arena *a) { a->head = NULL; a->used_total = 0; }

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

void *arena_alloc(Arena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    ArenaBlock *b = a->head;
    if (!b || b->size - b->used < size) {
        /* Big requests get a block of their own behind the current one, so the
           current block's free space is not wasted. */
        size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        if (bsize > SIZE_MAX - sizeof(ArenaBlock)) return NULL;
        ArenaBlock *nb = malloc(sizeof(ArenaBlock) + bsize);
        if (!nb) return NULL;
        nb->size = bsize;
        nb->used = 0;
        if (b && bsize != ARENA_BLOCK) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->mem + b->used;
    b->used += size;
    a->used_total += size;
    memset(p, 0, size);
    return p;
}

void *arena_memdup(Arena *a, const void *src, size_t size)
{
    void *p = arena_alloc(a, size);
    if (p && size) memcpy(p, src, size);
    return p;
}

void buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void buf_reserve(Buf *b, size_t extra)
{
    if (b->failed) return;
    if (extra <= b->cap - b->len) return;
    size_t need = b->len + extra;
    if (need < b->len) { b->failed = true; return; }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) { cap = need; break; }
        cap *= 2;
    }
    uint8_t *d = realloc(b->data, cap);
    if (!d) { b->failed = true; return; }
    b->data = d;
    b->cap = cap;
}

void buf_put(Buf *b, const void *data, size_t n)
{
    buf_reserve(b, n);
    if (b->failed || n == 0) return;
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

void buf_byte(Buf *b, uint8_t c)
{
    if (b->len < b->cap) { b->data[b->len++] = c; return; }
    buf_put(b, &c, 1);
}

void buf_u32le(Buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    buf_put(b, t, 4);
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = true; return; }
    if ((size_t)n < sizeof small) { buf_put(b, small, (size_t)n); return; }
    buf_reserve(b, (size_t)n + 1);
    if (b->failed) return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
