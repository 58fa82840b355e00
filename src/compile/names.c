/* names.c - insertion-ordered string maps (NameMap) and arena strings for the back end. */
#include <stdarg.h>
#include <string.h>

#include "compile.h"

static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;   /* FNV-1a: short identifiers, no adversary to fear */
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

void namemap_init(NameMap *m, Arena *a) { memset(m, 0, sizeof *m); m->arena = a; }

/* The slot holding key, or the empty slot where it would go. */
static uint32_t *find_slot(const NameMap *m, const char *key, size_t len)
{
    uint32_t mask = m->nslots - 1, i = name_hash(key, len) & mask;
    for (;;) {
        uint32_t *slot = &m->slots[i];
        if (*slot == 0) return slot;
        uint32_t k = *slot - 1;
        if (m->klen[k] == len && memcmp(m->keys[k], key, len) == 0) return slot;
        i = (i + 1) & mask;
    }
}

static bool rehash(NameMap *m, uint32_t nslots)
{
    uint32_t *slots = arena_alloc(m->arena, nslots * sizeof *slots);
    if (!slots) return false;
    m->slots = slots;
    m->nslots = nslots;
    for (uint32_t k = 0; k < m->n; k++) *find_slot(m, m->keys[k], m->klen[k]) = k + 1;
    return true;
}

int namemap_find(const NameMap *m, const char *key)
{
    if (!m->n) return -1;
    uint32_t s = *find_slot(m, key, strlen(key));
    return s ? (int)(s - 1) : -1;
}

intptr_t namemap_get(const NameMap *m, const char *key, intptr_t dflt)
{
    int i = namemap_find(m, key);
    return i < 0 ? dflt : m->vals[i];
}

int namemap_set(NameMap *m, const char *key, intptr_t val)
{
    size_t len = strlen(key);
    if ((m->n + 1) * 2 > m->nslots && !rehash(m, m->nslots ? m->nslots * 2 : 16)) return -1;
    uint32_t *slot = find_slot(m, key, len);
    if (*slot) {
        m->vals[*slot - 1] = val;
        return (int)(*slot - 1);
    }
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 8;
        const char **keys = arena_alloc(m->arena, cap * sizeof *keys);
        uint32_t *klen = arena_alloc(m->arena, cap * sizeof *klen);
        intptr_t *vals = arena_alloc(m->arena, cap * sizeof *vals);
        if (!keys || !klen || !vals) return -1;
        if (m->n) {
            memcpy(keys, m->keys, m->n * sizeof *keys);
            memcpy(klen, m->klen, m->n * sizeof *klen);
            memcpy(vals, m->vals, m->n * sizeof *vals);
        }
        m->keys = keys, m->klen = klen, m->vals = vals, m->cap = cap;
    }
    m->keys[m->n] = key;
    m->klen[m->n] = (uint32_t)len;
    m->vals[m->n] = val;
    *slot = ++m->n;
    return (int)(m->n - 1);
}

int namemap_add_index(NameMap *m, const char *key)
{
    int i = namemap_find(m, key);
    if (i >= 0) return (int)m->vals[i];
    intptr_t v = m->n;
    return namemap_set(m, key, v) < 0 ? -1 : (int)v;
}

bool namemap_del(NameMap *m, const char *key)
{
    int i = namemap_find(m, key);
    if (i < 0) return false;
    memmove(&m->keys[i], &m->keys[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->keys);
    memmove(&m->klen[i], &m->klen[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->klen);
    memmove(&m->vals[i], &m->vals[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->vals);
    m->n--;
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    for (uint32_t k = 0; k < m->n; k++) *find_slot(m, m->keys[k], m->klen[k]) = k + 1;
    return true;
}

const char *arena_strndup(Arena *a, const char *s, size_t len)
{
    char *p = arena_alloc_raw(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

const char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = arena_alloc_raw(a, (size_t)n + 1);
    if (!p) return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}
