/* base.h - what every folder builds on: arena memory, byte buffers, pointer maps, errors as
   values, whole-file input. */
#ifndef CPYC_BASE_H
#define CPYC_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpyc.h"

#define CPYC_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ arena.c */
/* One arena per compilation unit or per file read: everything is freed at once. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
    unsigned char *cur, *end;   /* the free space of the head block */
    ArenaBlock *spare;          /* blocks kept by arena_reset for the next allocations */
    size_t nspare;
    struct Arena *sub;          /* see arena_sub; NULL until asked for */
    struct Arena *root;         /* a sub's: the arena whose spare blocks it shares */
    unsigned char *base;        /* cur when nothing was allocated since a reset (see arena_reset) */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Frees everything allocated but keeps up to a few MB of blocks for reuse: one arena per
   thread across files costs no page faults or malloc calls after the first files. The
   arena keeps its last block, empty, for what comes next. Inline for the common case of a
   code unit's scratch arena that got nothing since its last reset (see arena_sub). */
void arena_reset_chain(Arena *a);   /* (arena_reset's walk over a and its subs) */
static inline void arena_reset(Arena *a)
{
    if (a->cur != a->base || !a->root) arena_reset_chain(a);
}
/* a's scratch arena, made on first use: memory that dies long before a's (a code unit's
   instructions and CFG, gone once its code object is built), freed by the caller's
   arena_reset of it. Its own sub serves the next nesting level, so a unit's scratch
   survives its nested units'. arena_reset(a) and arena_free(a) reset or free the subs too
   (arena_free is for the first arena only). A sub is for use while its arena holds
   something allocated since its last reset (a nested unit's scratch is made while its
   parent's holds the parent): a sub's reset stops at the first level that got nothing
   since, the levels below it having been reset with it (the first arena's goes through
   them all). NULL when out of memory. */
Arena *arena_sub(Arena *a);
/* For the command line's long runs: freed heap memory is kept for reuse (mallopt). */
void heap_keep_freed_memory(void);
void *arena_memdup(Arena *a, const void *src, size_t size);
/* The slow path of arena_alloc_raw: a new block. */
void *arena_alloc_new_block(Arena *a, size_t size);
/* The slow path of arena_alloc: a new block, zeroed. */
void *arena_alloc_zeroed_block(Arena *a, size_t size);

/* Returns zeroed memory aligned for any object, or NULL when out of memory. Inline: most
   requests are of a constant size (a node, an entry), whose zeroing the compiler then does
   with a few stores rather than a call to memset. */
/* The room for size bytes (rounded up to the alignment, *rounded) aligned for any object in
   the current block, or NULL when it has none left. */
static inline void *arena_place(Arena *a, size_t size, size_t *rounded)
{
    const size_t align = _Alignof(max_align_t);
    size = ((size ? size : 1) + align - 1) & ~(align - 1);
    *rounded = size;
    /* (arena_alloc_raw leaves cur 8-aligned; a fresh arena has cur = end = NULL) */
    uintptr_t p = ((uintptr_t)a->cur + align - 1) & ~(uintptr_t)(align - 1), end = (uintptr_t)a->end;
    if (p <= end && size <= end - p) {
        a->cur = (unsigned char *)p + size;
        return (void *)p;
    }
    return NULL;
}
static inline void *arena_alloc(Arena *a, size_t size)
{
    size_t n;
    void *p = arena_place(a, size, &n);
    return p ? memset(p, 0, n) : arena_alloc_zeroed_block(a, n);
}

/* Returns uninitialized memory aligned for pointers and 8-byte integers (not for long
   double), or NULL: the parser's nodes and lists, which it fills completely. */
static inline void *arena_alloc_raw(Arena *a, size_t size)
{
    size = ((size ? size : 1) + 7) & ~(size_t)7;
    if (size <= (size_t)((uintptr_t)a->end - (uintptr_t)a->cur)) {
        void *p = a->cur;
        a->cur += size;
        return p;
    }
    return arena_alloc_new_block(a, size);
}
/* The current block's free room when it holds size bytes or more (else NULL): for a writer
   that fills it before it knows how much it keeps, which the next arena_alloc_raw of at
   most size bytes then takes (the same address). */
static inline void *arena_room(Arena *a, size_t size)
{
    return size <= (size_t)((uintptr_t)a->end - (uintptr_t)a->cur) ? a->cur : NULL;
}

/* A growable byte buffer on the C heap (used for output that outlives arenas). */
typedef struct Buf {
    uint8_t *data;
    size_t len, cap;
    bool failed; /* an allocation failed; further appends are ignored */
} Buf;

void buf_free(Buf *b);
void buf_reserve(Buf *b, size_t extra);
void buf_put(Buf *b, const void *data, size_t n);
void buf_byte(Buf *b, uint8_t c);
void buf_u32le(Buf *b, uint32_t v);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ----------------------------------------------------------------- ptrmap.c */
/* Identity map: pointer -> index in order of insertion (heap memory; ptrmap_free). */
typedef struct PtrMap {
    const void **keys;
    uint32_t *vals;
    size_t cap, count;
} PtrMap;

/* Returns the key's index, or adds it with index `count` and returns -1; -2 when out of memory. */
long long ptrmap_get_or_add(PtrMap *m, const void *key);
void ptrmap_free(PtrMap *m);

/* ------------------------------------------------------------------ error.c */
/* Fills err and returns -1, so stages can write `return error_at(...)`. */
int error_at(cpyc_error *err, cpyc_status st, long long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void error_clear(cpyc_error *err);
/* A Python exception at a source position (CPython's 1-based offsets), keeping err->file. */
int error_syntax_v(cpyc_error *err, const char *exc_type, int line, int col, int end_line,
                   int end_col, const char *fmt, va_list ap);

/* --------------------------------------------------------------- warning.c */
/* The warnings a compilation issues (CPython's compile() hands its SyntaxWarnings to the
   warnings module as it meets them), kept in that order on the C heap, so that they outlive
   the compilation's arena: each with its category ("SyntaxWarning"), line and message. */
typedef struct Warnings {
    Buf b;              /* the records, one after the other */
    size_t n;
} Warnings;
typedef struct Warning {
    const char *category;   /* a static string */
    int lineno;
    const char *msg;        /* UTF-8, NUL-terminated */
    size_t len;
} Warning;
void warnings_add(Warnings *w, const char *category, int lineno, const char *msg, size_t len);
void warnings_addf(Warnings *w, const char *category, int lineno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The record at *at (start with 0), advancing *at; false after the last one. */
bool warnings_next(const Warnings *w, size_t *at, Warning *out);
void warnings_clear(Warnings *w);   /* empties w (its memory is kept) */
void warnings_free(Warnings *w);

/* ------------------------------------------------------------------ file.c */
/* Reads a whole file into a heap buffer (free with free()). */
int file_read_all(const char *path, uint8_t **data, size_t *len, cpyc_error *err);
struct stat;
/* The same with the open file's fstat, in as few system calls as it takes; 0, an errno
   value when open or fstat fails, or minus one when reading fails. */
int file_read_st(const char *path, uint8_t **data, size_t *len, struct stat *st);

#endif
