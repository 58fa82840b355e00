/* arena.c - region allocation (one arena per unit of work) and a growable byte buffer. */
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "base.h"

struct ArenaBlock {
    ArenaBlock *next;
    size_t size;   /* of mem: ARENA_BLOCK, or one big request's */
    _Alignas(max_align_t) unsigned char mem[];
};

/* A reset keeps up to ARENA_KEEP standard blocks (8 MB: more than most files need); big
   blocks and the rest go back to malloc, so a huge file does not hold memory for the run.
   An arena and its subs share one list of kept blocks (the first arena's), so what a code
   unit frees serves the values that follow, and the other way round. */
enum { ARENA_BLOCK = 64 * 1024, ARENA_KEEP = 128 };

void arena_init(Arena *a)
{
    a->head = a->spare = NULL;
    a->cur = a->end = NULL;
    a->nspare = 0;
    a->sub = a->root = NULL;
    a->base = NULL;
}

/* The arena whose spare list a uses. */
static Arena *pool(Arena *a) { return a->root ? a->root : a; }

static void free_chain(ArenaBlock *b)
{
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
}

void arena_free(Arena *a)
{
    for (Arena *s = a, *next; s; s = next) {
        next = s->sub;
        free_chain(s->head);
        free_chain(s->spare);
        if (s != a) free(s);
    }
    arena_init(a);
}

Arena *arena_sub(Arena *a)
{
    if (!a->sub && (a->sub = malloc(sizeof *a->sub))) {
        arena_init(a->sub);
        a->sub->root = pool(a);
    }
    return a->sub;
}

/* Keeps the head block (when standard) as the arena's, empty: a code unit's scratch serves the
   next unit of its level without a trip through the spare list. */
static void reset_one(Arena *a)
{
    Arena *p = pool(a);
    ArenaBlock *keep = a->head->size == ARENA_BLOCK ? a->head : NULL;
    for (ArenaBlock *b = keep ? keep->next : a->head, *next; b; b = next) {
        next = b->next;
        if (b->size == ARENA_BLOCK && p->nspare < ARENA_KEEP) {
            b->next = p->spare;
            p->spare = b;
            p->nspare++;
        } else {
            free(b);
        }
    }
    if (keep) {
        keep->next = NULL;
        a->cur = keep->mem;
        a->end = keep->mem + ARENA_BLOCK;
    } else {
        a->cur = a->end = NULL;
    }
    a->head = keep;
    a->base = a->cur;
}

void arena_reset_chain(Arena *a)
{
    if (!a->root) {                     /* the first arena's reset (a file's end) walks them all */
        for (; a; a = a->sub)
            if (a->cur != a->base) reset_one(a);
        return;
    }
    for (; a && a->cur != a->base; a = a->sub) reset_one(a);   /* (see arena_sub) */
}

void *arena_alloc_new_block(Arena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    /* Big requests get a block of their own behind the current one, so the current
       block's free space is not wasted. */
    size_t bsize = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
    if (bsize > SIZE_MAX - sizeof(ArenaBlock)) return NULL;
    ArenaBlock *nb;
    Arena *p = pool(a);
    if (bsize == ARENA_BLOCK && p->spare) {
        nb = p->spare;
        p->spare = nb->next;
        p->nspare--;
    } else {
        if (!(nb = malloc(sizeof(ArenaBlock) + bsize))) return NULL;
        nb->size = bsize;
    }
    a->base = NULL;                     /* (cur moves, or a block goes behind the head) */
    if (a->head && bsize != ARENA_BLOCK) {
        nb->next = a->head->next;
        a->head->next = nb;
        return nb->mem;
    }
    nb->next = a->head;
    a->head = nb;
    a->cur = nb->mem + size;
    a->end = nb->mem + bsize;
    return nb->mem;
}

void heap_keep_freed_memory(void)
{
#ifdef __GLIBC__
    /* glibc hands the top of the heap back to the kernel when a free leaves more than
       128 KB there, and maps big buffers afresh each time: the next file then page-faults
       the same memory in again (zeroed by the kernel). Keeping it costs no more at the peak. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}

void *arena_alloc_zeroed_block(Arena *a, size_t size)
{
    void *p = arena_alloc_new_block(a, size);
    if (p) memset(p, 0, size);
    return p;
}

void *arena_memdup(Arena *a, const void *src, size_t size)
{
    /* arena_alloc's placement, without the zeroing the copy makes moot */
    size_t n;
    void *p = arena_place(a, size, &n);
    if (!p) p = arena_alloc_new_block(a, n);
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
