/* ptrmap.c - a hash map from object identity (pointer) to a small integer. */
#include <stdlib.h>

#include "base.h"

static size_t ptr_slot(const void *p, size_t cap)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

static bool ptrmap_grow(PtrMap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    const void **keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) { free(keys); free(vals); return false; }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t h = ptr_slot(m->keys[i], cap);
        while (keys[h]) h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

long long ptrmap_get_or_add(PtrMap *m, const void *key)
{
    if ((m->count + 1) * 2 > m->cap && !ptrmap_grow(m)) return -2;
    size_t h = ptr_slot(key, m->cap);
    while (m->keys[h]) {
        if (m->keys[h] == key) return m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    m->keys[h] = key;
    m->vals[h] = (uint32_t)m->count++;
    return -1;
}

void ptrmap_free(PtrMap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->count = 0;
}
