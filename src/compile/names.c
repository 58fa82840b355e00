/* names.c - insertion-ordered string maps (NameMap) and arena strings for the back end. */
#include <stdarg.h>
#include <string.h>

#include "compile.h"

/* Only the slots use the hash: the map's order is insertion order. It is the one of str
   values (value_bytes_hash), so a name made of a key keeps it (assemble.c). */
static inline uint32_t name_hash(const char *s, size_t len)
{
    return value_bytes_hash_inline((const uint8_t *)s, len);
}

void namemap_init(NameMap *m, Arena *a) { memset(m, 0, sizeof *m); m->arena = a; }

/* The slot holding key, or the empty slot where it would go. Keys are mostly the same
   interned pointer, so that is tried before the bytes. */
static inline __attribute__((always_inline)) uint64_t *find_slot(const NameMap *m, const char *key,
                                                                  size_t len, uint32_t h)
{
    uint32_t mask = m->nslots - 1, i = h & mask;
    for (;;) {
        uint64_t *slot = &m->slots[i];
        if (*slot == 0) return slot;
        if ((uint32_t)(*slot >> 32) == h) {
            uint32_t k = (uint32_t)*slot - 1;
            const char *s = m->keys[k];
            if (s == key || (m->klen[k] == len && memcmp(s, key, len) == 0)) return slot;
        }
        i = (i + 1) & mask;
    }
}

/* The slots of a map filled without them (namemap_start_distinct), made from the keys'
   hashes; false out of memory. */
static __attribute__((noinline)) bool make_slots(NameMap *m)
{
    uint32_t nslots = 16;
    while (nslots < 2 * (m->n + 1)) nslots *= 2;
    uint64_t *slots = arena_alloc(m->arena, nslots * sizeof *slots);
    if (!slots) return false;
    for (uint32_t k = 0, mask = nslots - 1; k < m->n; k++) {   /* distinct: the first free slot */
        uint32_t i = m->khash[k] & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = (uint64_t)m->khash[k] << 32 | (k + 1);
    }
    m->slots = slots;
    m->nslots = nslots;
    return true;
}

/* Whether m can be probed: its slots made when missing (a lookup changes nothing else). */
static inline bool has_slots(const NameMap *m)
{
    return m->nslots || make_slots((NameMap *)m);
}

static bool rehash(NameMap *m, uint32_t nslots)
{
    uint64_t *slots = arena_alloc(m->arena, nslots * sizeof *slots);
    if (!slots) return false;
    uint64_t *old = m->slots;
    uint32_t oldn = m->nslots, mask = nslots - 1;
    for (uint32_t j = 0; j < oldn; j++) {   /* keys are distinct: just the first free slot */
        if (!old[j]) continue;
        uint32_t i = (uint32_t)(old[j] >> 32) & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = old[j];
    }
    m->slots = slots;
    m->nslots = nslots;
    return true;
}

/* Index of key, or -1; *hash receives its hash. */
static int find_index(const NameMap *m, const char *key, size_t len, uint32_t *hash)
{
    uint32_t h = *hash = name_hash(key, len);
    if (!m->n) return -1;
    if (!has_slots(m)) {   /* out of memory: by the keys */
        for (uint32_t k = 0; k < m->n; k++)
            if (m->khash[k] == h && m->klen[k] == len && memcmp(m->keys[k], key, len) == 0) return (int)k;
        return -1;
    }
    uint64_t s = *find_slot(m, key, len, h);
    return s ? (int)((uint32_t)s - 1) : -1;
}

int namemap_find(const NameMap *m, const char *key)
{
    if (!m->n) return -1;
    uint32_t h;
    return find_index(m, key, strlen(key), &h);
}

intptr_t namemap_get(const NameMap *m, const char *key, intptr_t dflt)
{
    if (!m->n) return dflt;
    uint32_t h;
    int i = find_index(m, key, strlen(key), &h);
    return i < 0 ? dflt : m->vals[i];
}

void namemap_key(NameKey *k, const char *s)
{
    k->s = s;
    k->len = strlen(s);
    k->hash = name_hash(s, k->len);
}

intptr_t namemap_get_key(const NameMap *m, const NameKey *k, intptr_t dflt)
{
    if (!m->n) return dflt;
    if (!has_slots(m)) {   /* out of memory: by the keys */
        for (uint32_t i = 0; i < m->n; i++)
            if (m->khash[i] == k->hash && m->klen[i] == k->len && memcmp(m->keys[i], k->s, k->len) == 0)
                return m->vals[i];
        return dflt;
    }
    uint64_t s = *find_slot(m, k->s, k->len, k->hash);
    return s ? m->vals[(uint32_t)s - 1] : dflt;
}

/* Room for cap entries in keys, klen and vals (one allocation); false out of memory. */
static bool reserve_entries(NameMap *m, uint32_t cap)
{
    if (cap <= m->cap) return true;
    char *p = arena_alloc_raw(m->arena, cap * (sizeof *m->keys + sizeof *m->vals + 2 * sizeof *m->klen));
    if (!p) return false;
    const char **keys = (const char **)p;
    intptr_t *vals = (intptr_t *)(p + cap * sizeof *keys);
    uint32_t *klen = (uint32_t *)(p + cap * (sizeof *keys + sizeof *vals)), *khash = klen + cap;
    if (m->n) {
        memcpy(keys, m->keys, m->n * sizeof *keys);
        memcpy(klen, m->klen, m->n * sizeof *klen);
        memcpy(khash, m->khash, m->n * sizeof *khash);
        memcpy(vals, m->vals, m->n * sizeof *vals);
    }
    m->keys = keys, m->klen = klen, m->khash = khash, m->vals = vals, m->cap = cap;
    return true;
}

/* The slot of key (of length len and hash h) with room for one more key: the empty slot
   where it goes when absent. NULL out of memory. */
static inline __attribute__((always_inline)) uint64_t *slot_for_add(NameMap *m, const char *key,
                                                                     size_t len, uint32_t h)
{
    if (m->n && !has_slots(m)) return NULL;
    if ((m->n + 1) * 2 > m->nslots) {
        if (m->n) {   /* present keys need no room */
            uint64_t *slot = find_slot(m, key, len, h);
            if (*slot) return slot;
        }
        if (!rehash(m, m->nslots ? m->nslots * 2 : 32)) return NULL;
    }
    return find_slot(m, key, len, h);
}

/* Appends key (absent; *slot its empty slot, of hash h) with val; its index or -1. */
static inline __attribute__((always_inline)) int append_at(NameMap *m, uint64_t *slot, const char *key,
                                                           size_t len, uint32_t h, intptr_t val)
{
    if (m->n == m->cap && !reserve_entries(m, m->cap ? m->cap * 2 : 16)) return -1;
    m->keys[m->n] = key;
    m->klen[m->n] = (uint32_t)len;
    m->khash[m->n] = h;
    m->vals[m->n] = val;
    *slot = (uint64_t)h << 32 | ++m->n;
    return (int)(m->n - 1);
}

int namemap_set(NameMap *m, const char *key, intptr_t val)
{
    size_t len = strlen(key);
    uint32_t h = name_hash(key, len);
    uint64_t *slot = slot_for_add(m, key, len, h);
    if (!slot) return -1;
    if (*slot) {
        int i = (int)((uint32_t)*slot - 1);
        m->vals[i] = val;
        return i;
    }
    return append_at(m, slot, key, len, h, val);
}

int namemap_set_key(NameMap *m, const NameKey *k, intptr_t val)
{
    uint64_t *slot = slot_for_add(m, k->s, k->len, k->hash);
    if (!slot) return -1;
    if (*slot) {
        int i = (int)((uint32_t)*slot - 1);
        m->vals[i] = val;
        return i;
    }
    return append_at(m, slot, k->s, k->len, k->hash, val);
}

int namemap_find_key(const NameMap *m, const NameKey *k)
{
    if (!m->n) return -1;
    if (!has_slots(m)) {   /* out of memory: by the keys */
        for (uint32_t i = 0; i < m->n; i++)
            if (m->khash[i] == k->hash && m->klen[i] == k->len && memcmp(m->keys[i], k->s, k->len) == 0)
                return (int)i;
        return -1;
    }
    uint64_t s = *find_slot(m, k->s, k->len, k->hash);
    return s ? (int)((uint32_t)s - 1) : -1;
}

int namemap_add_index_key_grow(NameMap *m, const NameKey *k)
{
    uint64_t *slot = slot_for_add(m, k->s, k->len, k->hash);
    if (!slot) return -1;
    if (*slot) return (int)m->vals[(uint32_t)*slot - 1];
    intptr_t v = m->n;
    return append_at(m, slot, k->s, k->len, k->hash, v) < 0 ? -1 : (int)v;
}

int namemap_add_index(NameMap *m, const char *key)
{
    NameKey k;
    namemap_key(&k, key);
    return namemap_add_index_key(m, &k);
}

bool namemap_start_distinct(NameMap *m, uint32_t n, intptr_t *vals)
{
    if (!n) return true;
    if (!vals) return reserve_entries(m, n);
    char *p = arena_alloc_raw(m->arena, n * (sizeof *m->keys + 2 * sizeof *m->klen));
    if (!p) return false;
    m->keys = (const char **)p;
    m->klen = (uint32_t *)(p + n * sizeof *m->keys);
    m->khash = m->klen + n;
    m->vals = vals, m->cap = n;
    return true;
}

bool namemap_reserve(NameMap *m, uint32_t room)
{
    if (m->n || m->nslots) return true;
    uint32_t nslots = 32;   /* (slot_for_add's first size) */
    while (nslots < 2 * (room + 1)) nslots *= 2;
    if (!reserve_entries(m, room < 16 ? 16 : room)) return false;
    if (!(m->slots = arena_alloc(m->arena, nslots * sizeof *m->slots))) return false;
    m->nslots = nslots;
    return true;
}

bool namemap_copy_room(NameMap *dst, const NameMap *src, Arena *a, uint32_t room)
{
    if (room <= src->n) return namemap_copy(dst, src, a);
    namemap_init(dst, a);
    uint32_t nslots = 16;   /* make_slots', with room for the rest */
    while (nslots < 2 * (room + 1)) nslots *= 2;
    uint64_t *slots = arena_alloc(a, nslots * sizeof *slots);
    if (!slots || !reserve_entries(dst, room)) return false;
    for (uint32_t k = 0, mask = nslots - 1; k < src->n; k++) {   /* a few: no memcpy calls */
        uint32_t h = src->khash[k], i = h & mask;
        dst->keys[k] = src->keys[k], dst->klen[k] = src->klen[k], dst->khash[k] = h;
        dst->vals[k] = src->vals[k];
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = (uint64_t)h << 32 | (k + 1);
    }
    dst->n = src->n;
    dst->slots = slots, dst->nslots = nslots;
    return true;
}

bool namemap_copy(NameMap *dst, const NameMap *src, Arena *a)
{
    namemap_init(dst, a);
    if (!src->n) return true;
    /* (without slots, the copy makes its own at its first lookup) */
    uint64_t *slots = src->nslots ? arena_alloc_raw(a, src->nslots * sizeof *slots) : NULL;
    if ((src->nslots && !slots) || !reserve_entries(dst, src->cap)) return false;
    if (slots) memcpy(slots, src->slots, src->nslots * sizeof *slots);
    memcpy(dst->keys, src->keys, src->n * sizeof *dst->keys);
    memcpy(dst->klen, src->klen, src->n * sizeof *dst->klen);
    memcpy(dst->khash, src->khash, src->n * sizeof *dst->khash);
    memcpy(dst->vals, src->vals, src->n * sizeof *dst->vals);
    dst->slots = slots, dst->nslots = src->nslots, dst->n = src->n;
    return true;
}

bool namemap_del(NameMap *m, const char *key)
{
    int i = namemap_find(m, key);
    if (i < 0 || !m->nslots) return false;   /* (no slots: out of memory) */
    memmove(&m->keys[i], &m->keys[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->keys);
    memmove(&m->klen[i], &m->klen[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->klen);
    memmove(&m->khash[i], &m->khash[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->khash);
    memmove(&m->vals[i], &m->vals[i + 1], (m->n - (uint32_t)i - 1) * sizeof *m->vals);
    m->n--;
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    for (uint32_t k = 0; k < m->n; k++) {
        uint32_t h = m->khash[k];
        *find_slot(m, m->keys[k], m->klen[k], h) = (uint64_t)h << 32 | (k + 1);
    }
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
