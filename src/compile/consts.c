/* consts.c - CPython's constant key, the module-wide constant cache and a unit's constants. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pyc/marshal.h"

/* ---- the key (_PyCode_ConstantKey) ----
   Equal keys: same kind (False, True, None are kinds of their own, so False != 0) and equal
   values, where a float's or a complex part's zero keeps its sign apart and a NaN is only
   equal to itself (the same object: Python compares key tuples identity first). Tuples and
   frozensets compare by their items' keys; assembled code objects as code_richcompare
   does (so an expression compiled twice, a while test or a finally body, makes one
   <lambda> or <genexpr> constant); stand-in code objects and the rest by identity. */

static bool float_key_equal(double a, double b)
{
    return a == b && (a != 0.0 || signbit(a) == signbit(b));
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t double_hash(double d)
{
    if (d == 0.0) return signbit(d) ? 2 : 1;   /* one hash per key-equal class */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return mix(bits);
}

/* Assembled: every field code_richcompare reads is there (codegen's stand-ins lack them). */
static inline bool code_comparable(const Value *v)
{
    const Code *c = v->u.code;
    return c && c->oval[CO_NAME] && c->oval[CO_CODE] && c->oval[CO_CONSTS] && c->oval[CO_NAMES] &&
           c->oval[CO_LOCALSPLUSNAMES] && c->oval[CO_LINETABLE] && c->oval[CO_EXCEPTIONTABLE];
}

/* const_key_hash with a str's or bytes' inline: most items of the tuples hashed are names.
   The data hash is mixed already: one multiply spreads it over the 64 bits (one to one). */
static inline uint64_t item_hash(const Value *v)
{
    uint64_t h = (uint64_t)v->kind * 0x9e3779b97f4a7c15ULL;
    if (v->kind == V_STR && v->u.s.hash)   /* most: a name, its hash known */
        return h ^ (uint64_t)v->u.s.hash * 0xff51afd7ed558ccdULL;
    switch (v->kind) {
    case V_STR: case V_BYTES: {
        uint64_t dh = v->u.s.hash ? v->u.s.hash : value_data_hash(v);
        return h ^ dh * 0xff51afd7ed558ccdULL;
    }
    case V_NONE: case V_FALSE: case V_TRUE: case V_ELLIPSIS:
        return h;
    case V_INT:   /* a digit or none, as const_key_hash */
        if (v->u.i.ndigits == 0) return h;
        if (v->u.i.ndigits == 1 || v->u.i.ndigits == -1)
            return mix(h ^ (uint64_t)(uint32_t)v->u.i.ndigits ^ v->u.i.digits[0]);
        return const_key_hash(v);
    default:
        return const_key_hash(v);
    }
}

/* A tuple's or frozenset's key hash from its items' (ih[k], or computed when ih is NULL);
   a frozenset's does not depend on the items' order. */
static uint64_t seq_hash(const Value *v, const uint64_t *ih)
{
    uint64_t h = (uint64_t)v->kind * 0x9e3779b97f4a7c15ULL, n = v->u.seq.n;
    if (v->kind == V_TUPLE) {
        h ^= n;
        /* items' hashes are mixed already: one multiply each (order-dependent: a swap of
           unequal items changes it), the finalizer spreads the high bits over the low */
        for (size_t k = 0; k < n; k++)
            h = (h + (ih ? ih[k] : item_hash(v->u.seq.items[k]))) * 0x9e3779b97f4a7c15ULL;
        return mix(h);
    }
    uint64_t sum = 0;
    for (size_t k = 0; k < n; k++) sum += mix(ih ? ih[k] : item_hash(v->u.seq.items[k]));
    return mix(h ^ sum ^ n);
}

/* const_key_hash of a code object (h: of its kind), apart: the tuples of constants hash
   theirs often, and the other kinds need none of its frame. */
static __attribute__((noinline)) uint64_t code_key_hash(const Value *v, uint64_t h)
{
    if (!code_comparable(v)) return h ^ mix((uint64_t)(uintptr_t)v);
    /* the flat fields only: the constants (nested code) would make hashing quadratic;
       co_code by its length (code_key_equal compares its bytes, which nothing else hashes;
       the line table's hash, the cache's merging computes anyway) */
    return mix(h ^ item_hash(v->u.code->oval[CO_NAME]) ^
               mix((uint64_t)v->u.code->oval[CO_CODE]->u.s.len * 0x9e3779b97f4a7c15ULL +
                   31 * item_hash(v->u.code->oval[CO_LINETABLE]) +
                   (uint64_t)(uint32_t)v->u.code->ival[CO_FIRSTLINENO]));
}

uint64_t const_key_hash(const Value *v)
{
    uint64_t h = (uint64_t)v->kind * 0x9e3779b97f4a7c15ULL;
    switch ((ValueKind)v->kind) {
    case V_INT: {
        int32_t n = v->u.i.ndigits < 0 ? -v->u.i.ndigits : v->u.i.ndigits;
        h ^= (uint64_t)(uint32_t)v->u.i.ndigits;
        for (int32_t k = 0; k < n; k++) h = mix(h ^ v->u.i.digits[k]);
        return h;
    }
    case V_FLOAT: return h ^ double_hash(v->u.f.v);
    case V_COMPLEX: return h ^ mix(double_hash(v->u.c.re) + 31 * double_hash(v->u.c.im));
    case V_STR: case V_BYTES: return item_hash(v);   /* the data hash is kept in v */
    case V_TUPLE: case V_FROZENSET: return seq_hash(v, NULL);
    case V_NULL: case V_NONE: case V_FALSE: case V_TRUE: case V_ELLIPSIS: case V_STOPITER:
        return h;
    case V_CODE: return code_key_hash(v, h);
    default:
        return h ^ mix((uint64_t)(uintptr_t)v);   /* identity */
    }
}

typedef struct { uint64_t h; const Value *v; } HashedItem;

static int cmp_hashed(const void *a, const void *b)
{
    uint64_t x = ((const HashedItem *)a)->h, y = ((const HashedItem *)b)->h;
    return x < y ? -1 : x > y;
}

/* Frozensets hold distinct items: equal when each item of a has a key-equal item in b. Items
   are sorted by hash so only hash collisions are compared pairwise. */
static bool frozenset_key_equal(const Value *a, const Value *b)
{
    size_t n = a->u.seq.n;
    if (n != b->u.seq.n) return false;
    HashedItem stack[32], *ha = n * 2 <= CPYC_COUNTOF(stack) ? stack : malloc(2 * n * sizeof *ha);
    if (!ha) return false;
    HashedItem *hb = ha + n;
    for (size_t k = 0; k < n; k++) {
        ha[k] = (HashedItem){const_key_hash(a->u.seq.items[k]), a->u.seq.items[k]};
        hb[k] = (HashedItem){const_key_hash(b->u.seq.items[k]), b->u.seq.items[k]};
    }
    qsort(ha, n, sizeof *ha, cmp_hashed);
    qsort(hb, n, sizeof *hb, cmp_hashed);
    bool eq = true;
    for (size_t i = 0; i < n && eq; ) {
        size_t j = i;
        while (j < n && ha[j].h == ha[i].h) j++;   /* a run of equal hashes in both */
        for (size_t k = i; k < j && eq; k++) {
            if (hb[k].h != ha[i].h) { eq = false; break; }
            bool found = false;
            for (size_t m = i; m < j && !found; m++) found = const_key_equal(ha[k].v, hb[m].v);
            eq = found;
        }
        i = j;
    }
    if (ha != stack) free(ha);
    return eq;
}

/* Whether s[0..n) == t[0..n), n > 0: most constants compared are short, so words at a time
   (overlapping at the end, never past n) rather than a call to memcmp. */
static inline bool same_data(const uint8_t *s, const uint8_t *t, size_t n)
{
    if (n > 16) return memcmp(s, t, n) == 0;
    if (n >= 8) {
        uint64_t a, b, c, d;
        memcpy(&a, s, 8), memcpy(&b, t, 8);
        memcpy(&c, s + n - 8, 8), memcpy(&d, t + n - 8, 8);
        return a == b && c == d;
    }
    if (n >= 4) {
        uint32_t a, b, c, d;
        memcpy(&a, s, 4), memcpy(&b, t, 4);
        memcpy(&c, s + n - 4, 4), memcpy(&d, t + n - 4, 4);
        return a == b && c == d;
    }
    return s[0] == t[0] && s[n / 2] == t[n / 2] && s[n - 1] == t[n - 1];
}

/* code_richcompare: the counts, flags and first line, then the fields below by key (so
   co_qualname, co_filename, the kinds and the stack size are not compared). */
static bool code_key_equal(const Value *a, const Value *b)
{
    if (!code_comparable(a) || !code_comparable(b)) return false;
    const Code *x = a->u.code, *y = b->u.code;
    static const int ints[] = {CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_FLAGS,
                               CO_FIRSTLINENO};
    static const int objs[] = {CO_NAME, CO_CODE, CO_LINETABLE, CO_EXCEPTIONTABLE, CO_NAMES,
                               CO_LOCALSPLUSNAMES, CO_CONSTS};   /* the recursive one last */
    for (size_t k = 0; k < CPYC_COUNTOF(ints); k++)
        if (x->ival[ints[k]] != y->ival[ints[k]]) return false;
    for (size_t k = 0; k < CPYC_COUNTOF(objs); k++)
        if (!const_key_equal(x->oval[objs[k]], y->oval[objs[k]])) return false;
    return true;
}

bool const_key_equal(const Value *a, const Value *b)
{
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    switch ((ValueKind)a->kind) {
    case V_NULL: case V_NONE: case V_FALSE: case V_TRUE: case V_ELLIPSIS: case V_STOPITER:
        return true;
    case V_INT: {
        int32_t n = a->u.i.ndigits < 0 ? -a->u.i.ndigits : a->u.i.ndigits;
        if (a->u.i.ndigits != b->u.i.ndigits) return false;
        if (n <= 1) return n == 0 || a->u.i.digits[0] == b->u.i.digits[0];   /* most: no call */
        return memcmp(a->u.i.digits, b->u.i.digits, (size_t)n * 2) == 0;
    }
    case V_FLOAT: return float_key_equal(a->u.f.v, b->u.f.v);
    case V_COMPLEX:
        return float_key_equal(a->u.c.re, b->u.c.re) && float_key_equal(a->u.c.im, b->u.c.im);
    case V_STR: case V_BYTES:
        return a->u.s.len == b->u.s.len &&   /* names share the parser's texts */
               (a->u.s.len == 0 || a->u.s.data == b->u.s.data ||
                same_data(a->u.s.data, b->u.s.data, a->u.s.len));
    case V_TUPLE:
        if (a->u.seq.n != b->u.seq.n) return false;
        for (size_t k = 0; k < a->u.seq.n; k++)
            if (!const_key_equal(a->u.seq.items[k], b->u.seq.items[k])) return false;
        return true;
    case V_FROZENSET: return frozenset_key_equal(a, b);
    case V_CODE: return code_key_equal(a, b);
    default: return false;   /* lists, dicts, sets: identity */
    }
}

/* ---- a map by key in order of first addition: a unit's constants, the module's cache ---- */
/* A slot holds the high half of its item's hash over index + 1 (0: empty), so probing
   past other keys reads neither their hashes nor their items. */
static inline uint64_t slot_of(uint64_t h, uint32_t k) { return (h >> 32) << 32 | (k + 1); }

static inline __attribute__((always_inline)) uint64_t *map_slot(const ConstMap *m, const Value *v, uint64_t h)
{
    uint32_t mask = m->nslots - 1, i = (uint32_t)h & mask;
    for (;;) {
        uint64_t *slot = &m->slots[i];
        if (*slot == 0) return slot;
        if (*slot >> 32 == h >> 32) {
            uint32_t k = (uint32_t)*slot - 1;
            if (m->hashes[k] == h) {
                /* a str or bytes (most keys) compared inline: the same text first (names
                   share the parser's), then the length, then the bytes */
                const Value *w = m->items[k];
                if (w->kind == v->kind && (v->kind == V_STR || v->kind == V_BYTES)) {
                    if (w->u.s.data == v->u.s.data ? w->u.s.len == v->u.s.len
                                                    : w->u.s.len == v->u.s.len &&
                                                          (v->u.s.len == 0 ||
                                                           same_data(w->u.s.data, v->u.s.data, v->u.s.len)))
                        return slot;
                } else if (const_key_equal(w, v)) {
                    return slot;
                }
            }
        }
        i = (i + 1) & mask;
    }
}

/* Room for one more item in items and hashes; false out of memory. */
static bool items_reserve(ConstMap *m)
{
    if (m->n < m->cap) return true;
    uint32_t cap = m->cap ? m->cap * 2 : 8;
    /* both in one block (pointers and hashes are 8 bytes: the hashes' alignment holds) */
    _Static_assert(sizeof(Value *) <= sizeof(uint64_t), "the hashes follow the items");
    Value **items = arena_alloc_raw(m->arena, cap * (sizeof *items + sizeof(uint64_t)));
    if (!items) return false;
    uint64_t *hashes = (uint64_t *)(void *)(items + cap);
    if (m->n) {
        memcpy(items, m->items, m->n * sizeof *items);
        memcpy(hashes, m->hashes, m->n * sizeof *hashes);
    }
    m->items = items, m->hashes = hashes, m->cap = cap;
    return true;
}

/* n empty slots (n: 16 or more, a power of two), four stores a turn: the module cache's
   tables reach tens of kilobytes, which memset clears a byte a step (rep stosb) */
static uint64_t *empty_slots(Arena *a, uint32_t n)
{
    uint64_t *slots = arena_alloc_raw(a, n * sizeof *slots);
    if (slots)
        for (uint64_t *p = slots, *end = slots + n; p < end; p += 4) p[0] = p[1] = p[2] = p[3] = 0;
    return slots;
}

/* Slots for the items and one more (at most half full), rebuilt when they grow or are
   missing (nslots 0 with items: constmap_append and flowgraph leave them so). */
static bool slots_reserve(ConstMap *m)
{
    if (m->nslots && (m->n + 1) * 2 <= m->nslots) return true;
    uint32_t nslots = m->nslots ? m->nslots * 2 : 16;
    while ((m->n + 1) * 2 > nslots) nslots *= 2;
    uint64_t *slots = empty_slots(m->arena, nslots);
    if (!slots) return false;
    m->slots = slots;
    m->nslots = nslots;
    for (uint32_t k = 0, mask = nslots - 1; k < m->n; k++) {   /* distinct keys: the first free slot */
        uint32_t i = (uint32_t)m->hashes[k] & mask;
        while (slots[i]) i = (i + 1) & mask;
        slots[i] = slot_of(m->hashes[k], k);
    }
    return true;
}

/* Index of v's key (of hash h), or -1; with add, v is appended when absent (-2 out of
   memory). */
static inline __attribute__((always_inline)) int map_lookup_hashed(ConstMap *m, Value *v, uint64_t h,
                                                                   bool add)
{
    if (m->n && !m->nslots && !slots_reserve(m)) return -2;
    uint64_t *slot = m->nslots ? map_slot(m, v, h) : NULL;
    if (slot && *slot) return (int)((uint32_t)*slot - 1);
    if (!add) return -1;
    if (m->n == m->cap && !items_reserve(m)) return -2;
    if (!slot || (m->n + 1) * 2 > m->nslots) {   /* the slots grow: v's slot moves */
        if (!slots_reserve(m)) return -2;
        slot = map_slot(m, v, h);
    }
    m->items[m->n] = v;
    m->hashes[m->n] = h;
    *slot = slot_of(h, m->n);
    return (int)m->n++;
}

static int map_lookup(ConstMap *m, Value *v, bool add)
{
    return map_lookup_hashed(m, v, const_key_hash(v), add);
}

void constmap_init(ConstMap *m, Arena *a)
{
    memset(m, 0, sizeof *m);
    m->arena = a;
}

int constmap_add(ConstMap *m, Value *v)
{
    int i = map_lookup(m, v, true);
    return i < -1 ? -1 : i;
}

int constmap_find(const ConstMap *m, const Value *v)
{
    if (m->n && !m->nslots) {   /* no slots to probe: a scan */
        uint64_t h = const_key_hash(v);
        for (uint32_t k = 0; k < m->n; k++)
            if (m->hashes[k] == h && const_key_equal(m->items[k], v)) return (int)k;
        return -1;
    }
    return map_lookup((ConstMap *)m, (Value *)v, false);   /* without add it writes nothing */
}

int constmap_append_grow(ConstMap *m, Value *v, uint64_t hash)
{
    if (!items_reserve(m)) return -1;
    m->items[m->n] = v;
    m->hashes[m->n] = hash;
    if (m->nslots) m->slots = NULL, m->nslots = 0;   /* rebuilt by the next lookup */
    return (int)m->n++;
}

/* ---- the module's cache ---- */
struct ConstCache {
    ConstMap map;
    Value *empty_tuple, *empty_bytes;   /* const_cache_empty's: the first met */
};

/* map_lookup_hashed with add for the cache's map, which always has slots (const_cache_new
   makes them; constmap_append_grow never sees it): none of the tests for their absence. */
static inline __attribute__((always_inline)) int cache_lookup(ConstMap *m, Value *v, uint64_t h)
{
    uint64_t *slot = map_slot(m, v, h);
    if (*slot) return (int)((uint32_t)*slot - 1);
    if (m->n == m->cap && !items_reserve(m)) return -2;
    if ((m->n + 1) * 2 > m->nslots) {   /* the slots grow: v's slot moves */
        if (!slots_reserve(m)) return -2;
        slot = map_slot(m, v, h);
    }
    m->items[m->n] = v;
    m->hashes[m->n] = h;
    *slot = slot_of(h, m->n);
    return (int)m->n++;
}

ConstCache *const_cache_new(Arena *a)
{
    ConstCache *cc = arena_alloc(a, sizeof *cc);
    if (!cc) return NULL;
    constmap_init(&cc->map, a);
    /* a module's cache holds hundreds of keys: room for 512 at once, not 8 doubled */
    cc->map.slots = empty_slots(a, 1024);
    cc->map.items = arena_alloc_raw(a, 512 * sizeof *cc->map.items);
    cc->map.hashes = arena_alloc_raw(a, 512 * sizeof *cc->map.hashes);
    if (!cc->map.slots || !cc->map.items || !cc->map.hashes) return NULL;
    cc->map.nslots = 1024, cc->map.cap = 512;
    return cc;
}

static Value *merge_hashed(ConstCache *cc, Value *v, uint64_t h, const uint64_t *ih);
static Value *merge_leaf(ConstCache *cc, Value *v, uint64_t h);

/* m, the cache's object for v's key. When v is an identifier (const_name) and m a plain
   str, the identifier leaves the tree but not the interpreter: CPython's parser interned
   it, so m notes that its text is interned as another object. */
static Value *kept(Value *v, Value *m)
{
    if (v != m && v->kind == V_STR && v->tcode == TYPE_INTERNED && m->tcode != TYPE_INTERNED)
        m->ident = 1;
    return m;
}

/* const_cache_merge of the tuple or frozenset v: its items are hashed once, for its own
   hash and their merging. */
static __attribute__((noinline)) Value *merge_seq(ConstCache *cc, Value *v, uint64_t *hash)
{
    size_t n = v->u.seq.n;
    uint64_t stack[32], *ih = n <= CPYC_COUNTOF(stack) ? stack : arena_alloc_raw(cc->map.arena, n * sizeof *ih);
    if (!ih) return NULL;
    for (size_t k = 0; k < n; k++) ih[k] = item_hash(v->u.seq.items[k]);
    return merge_hashed(cc, v, *hash = seq_hash(v, n ? ih : NULL), ih);
}

/* const_cache_merge of v, whose key hash is h (ih: its items' when a tuple or frozenset,
   or NULL). */
static Value *merge_hashed(ConstCache *cc, Value *v, uint64_t h, const uint64_t *ih)
{
    if (v->kind == V_NONE || v->kind == V_ELLIPSIS) return v;   /* singletons already */
    uint32_t before = cc->map.n;
    int idx = cache_lookup(&cc->map, v, h);
    if (idx < 0) return NULL;
    if ((uint32_t)idx < before) return kept(v, cc->map.items[idx]);
    /* v is new: its items become the module's objects too (a merged item is key-equal to
       the one it replaces, so v's hash and place stay right) */
    if (v->kind == V_TUPLE || v->kind == V_FROZENSET) {
        for (size_t k = 0; k < v->u.seq.n; k++) {
            Value *u = v->u.seq.items[k], *m;
            if (u->kind == V_TUPLE || u->kind == V_FROZENSET) m = const_cache_merge(cc, u);
            else m = merge_leaf(cc, u, ih ? ih[k] : const_key_hash(u));
            if (!m) return NULL;
            v->u.seq.items[k] = m;
        }
    }
    return v;
}

/* merge_hashed of anything but a tuple or frozenset (most: strs, numbers, code objects),
   apart: no items, so a smaller frame than the containers' */
static Value *merge_leaf(ConstCache *cc, Value *v, uint64_t h)
{
    if (v->kind == V_NONE || v->kind == V_ELLIPSIS) return v;   /* singletons already */
    uint32_t before = cc->map.n;
    int idx = cache_lookup(&cc->map, v, h);
    if (idx < 0) return NULL;
    return (uint32_t)idx < before ? kept(v, cc->map.items[idx]) : v;
}

Value *const_cache_merge_hashed(ConstCache *cc, Value *v, uint64_t *hash)
{
    if (v->kind == V_TUPLE || v->kind == V_FROZENSET) return merge_seq(cc, v, hash);
    return merge_leaf(cc, v, *hash = item_hash(v));   /* (const_key_hash, strs inline) */
}

Value *const_cache_merge(ConstCache *cc, Value *v)
{
    uint64_t h;
    return const_cache_merge_hashed(cc, v, &h);
}

Value *const_cache_merge_one(ConstCache *cc, Value *v)
{
    /* most: a line or exception table, hashed inline */
    uint64_t h = v->kind == V_BYTES ? item_hash(v) : const_key_hash(v);
    int idx = cache_lookup(&cc->map, v, h);
    return idx < 0 ? NULL : kept(v, cc->map.items[idx]);
}

Value *const_cache_merge_one_tuple(ConstCache *cc, Value *v, const uint64_t *ih)
{
    int idx = cache_lookup(&cc->map, v, seq_hash(v, v->u.seq.n ? ih : NULL));
    return idx < 0 ? NULL : cc->map.items[idx];
}

Value *const_cache_merge_one_names(ConstCache *cc, Value *v)
{
    /* seq_hash with item_hash's str case inline: no test of a kind per item (the hash is
       a NameMap key's, set: value_data_hash only as a safeguard) */
    const uint64_t hs = (uint64_t)V_STR * 0x9e3779b97f4a7c15ULL;
    uint64_t h = (uint64_t)V_TUPLE * 0x9e3779b97f4a7c15ULL ^ v->u.seq.n;
    for (size_t k = 0; k < v->u.seq.n; k++) {
        const Value *it = v->u.seq.items[k];
        uint64_t dh = it->u.s.hash ? it->u.s.hash : value_data_hash(it);
        h = (h + (hs ^ dh * 0xff51afd7ed558ccdULL)) * 0x9e3779b97f4a7c15ULL;
    }
    int idx = cache_lookup(&cc->map, v, mix(h));
    return idx < 0 ? NULL : cc->map.items[idx];
}

Value *const_cache_empty(ConstCache *cc, Value *v)
{
    Value **one = v->kind == V_TUPLE ? &cc->empty_tuple : v->kind == V_BYTES ? &cc->empty_bytes : NULL;
    if (!one) return v;
    if (!*one) *one = v;
    return *one;
}

void const_cache_empties(const ConstCache *cc, Value **tuple, Value **bytes)
{
    *tuple = cc->empty_tuple, *bytes = cc->empty_bytes;
}

void const_cache_clear_marks(ConstCache *cc)
{
    for (uint32_t k = 0; k < cc->map.n; k++) cc->map.items[k]->mark = 0;
}

/* ---- builders ---- */
Value *const_none(Arena *a) { return value_new(a, V_NONE, 0); }
Value *const_ellipsis(Arena *a) { return value_new(a, V_ELLIPSIS, 0); }
Value *const_bool(Arena *a, bool b) { return value_new(a, b ? V_TRUE : V_FALSE, 0); }
Value *const_int(Arena *a, int64_t v) { return value_int_from_i64(a, v, 0); }

Value *const_float(Arena *a, double d)
{
    Value *v = value_new(a, V_FLOAT, 0);
    if (v) v->u.f.v = d;
    return v;
}

Value *const_complex(Arena *a, double re, double im)
{
    Value *v = value_new(a, V_COMPLEX, 0);
    if (v) v->u.c.re = re, v->u.c.im = im;
    return v;
}

static Value *const_data(Arena *a, ValueKind kind, const void *data, size_t len)
{
    Value *v = value_new(a, kind, 0);
    if (!v) return NULL;
    v->u.s.len = len;
    v->u.s.data = (const uint8_t *)"";
    if (len) {   /* (arena_memdup would zero the copy first) */
        uint8_t *p = arena_alloc_raw(a, len);
        if (!p) return NULL;
        v->u.s.data = memcpy(p, data, len);
    }
    return v;
}

Value *const_str(Arena *a, const char *utf8, size_t len) { return const_data(a, V_STR, utf8, len); }
Value *const_name(Arena *a, const char *utf8, size_t len)
{
    Value *v = const_str(a, utf8, len);
    if (v) v->tcode = TYPE_INTERNED;   /* a mark for refs.c, which sets the real code */
    return v;
}

Value *const_name_ref(Arena *a, const char *utf8, size_t len)
{
    Value *v = value_new(a, V_STR, TYPE_INTERNED);   /* (as const_name's) */
    if (!v) return NULL;
    v->u.s.data = (const uint8_t *)utf8;
    v->u.s.len = len;
    return v;
}

Value *const_bytes(Arena *a, const void *data, size_t len) { return const_data(a, V_BYTES, data, len); }

static Value *const_seq(Arena *a, ValueKind kind, Value *const *items, size_t n)
{
    Value *v = value_new(a, kind, 0);
    if (!v) return NULL;
    v->u.seq.n = n;
    if (n) {   /* (as in const_data) */
        Value **p = arena_alloc_raw(a, n * sizeof *items);
        if (!p) return NULL;
        v->u.seq.items = memcpy(p, items, n * sizeof *items);
    }
    return v;
}

Value *const_tuple(Arena *a, Value **items, size_t n) { return const_seq(a, V_TUPLE, items, n); }
Value *const_frozenset(Arena *a, Value **items, size_t n) { return const_seq(a, V_FROZENSET, items, n); }
