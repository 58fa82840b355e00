/* refs.c - gives a module's code-object tree the marshal type codes and FLAG_REF bits that
   CPython 3.13 writes, and makes one object of what CPython shares (interned strings,
   immortal singletons). The rules are in docs/DESIGN.md, last section. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pyc/marshal.h"

/* A string content -> its interned object, open addressing in arena memory. */
typedef struct InternTable {
    Value **slots;
    uint32_t n, nslots;
} InternTable;

typedef struct Refs {
    Arena *arena;
    const RefsEnv *env;
    cpyc_error *err;
    InternTable interned;
    Value *small_ints[262];     /* -5..256: immortal, one object each */
    Value *bytes1[257];         /* b'' (index 256) and the 256 one-byte bytes: immortal */
    Value *empty_tuple;         /* immortal */
    PtrMap seen;                /* objects met by the current walk */
    uint32_t *count;            /* references to each object (by its index in seen) */
    uint32_t ncount;
    bool failed;
} Refs;

static bool nomem(Refs *r)
{
    if (!r->failed) error_at(r->err, CPYC_ERR_MEMORY, -1, "out of memory");
    r->failed = true;
    return false;
}

/* ---- interning ---- */

/* A str whose tcode is an interned one is interned (const_name marks identifiers so); other
   codes count as none, so a tree the pass has seen before gives the same result again. */
static bool is_interned(const Value *v)
{
    uint8_t t = v->tcode & (uint8_t)~FLAG_REF;
    return t == TYPE_INTERNED || t == TYPE_ASCII_INTERNED || t == TYPE_SHORT_ASCII_INTERNED;
}

static uint32_t str_hash(const Value *v)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < v->u.s.len; i++) h = (h ^ v->u.s.data[i]) * 16777619u;
    return h;
}

static Value **intern_slot_for(InternTable *t, const Value *v)
{
    uint32_t mask = t->nslots - 1, i = str_hash(v) & mask;
    for (;;) {
        Value **s = &t->slots[i];
        if (!*s || ((*s)->u.s.len == v->u.s.len &&
                    memcmp((*s)->u.s.data, v->u.s.data, v->u.s.len) == 0))
            return s;
        i = (i + 1) & mask;
    }
}

static bool env_has(const RefsEnv *env, const Value *v)
{
    size_t lo = 0, hi = env ? env->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *t = env->texts[mid];
        size_t tl = strlen(t), n = tl < v->u.s.len ? tl : v->u.s.len;
        int c = memcmp(t, v->u.s.data, n);
        if (!c) c = (tl > v->u.s.len) - (tl < v->u.s.len);
        if (!c) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

/* The interned object of v's content: v itself (marked) when it is the first. */
static Value *intern_str(Refs *r, Value *v)
{
    InternTable *t = &r->interned;
    if ((t->n + 1) * 2 > t->nslots) {
        uint32_t nslots = t->nslots ? t->nslots * 2 : 256;
        Value **slots = arena_alloc(r->arena, nslots * sizeof *slots), **old = t->slots;
        if (!slots) return nomem(r), v;
        uint32_t oldn = t->nslots;
        t->slots = slots;
        t->nslots = nslots;
        for (uint32_t k = 0; k < oldn; k++)
            if (old[k]) *intern_slot_for(t, old[k]) = old[k];
    }
    Value **s = intern_slot_for(t, v);
    if (*s) return *s;
    t->n++;
    if (!is_interned(v) && env_has(r->env, v)) {
        /* the interpreter's own object: v stays as it was where it is */
        Value *other = arena_memdup(r->arena, v, sizeof *v);
        if (!other) return nomem(r), v;
        other->tcode = TYPE_INTERNED;
        return *s = other;
    }
    v->tcode = TYPE_INTERNED;
    return *s = v;
}

static void intern_at(Refs *r, Value **slot)
{
    if ((*slot)->kind == V_STR) *slot = intern_str(r, *slot);
}

/* [a-zA-Z0-9_]*: the constants a code object interns (should_intern_string). */
static bool name_chars_only(const Value *v)
{
    for (size_t i = 0; i < v->u.s.len; i++) {
        uint8_t c = v->u.s.data[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

/* What CPython's intern_constants does to a constants tuple: identifier-like strings
   interned, tuples in place, frozensets rebuilt when an item changed (a new object: a
   frozenset shared before is no longer shared). Last item first, as CPython walks. Returns
   whether an item of items was replaced. */
static bool intern_constants(Refs *r, Value **items, size_t n)
{
    bool modified = false;
    for (size_t i = n; i-- > 0;) {
        Value *v = items[i];
        if (v->kind == V_STR) {
            if (name_chars_only(v)) {
                Value *w = intern_str(r, v);
                if (w != v) items[i] = w, modified = true;
            }
        } else if (v->kind == V_TUPLE) {
            intern_constants(r, v->u.seq.items, v->u.seq.n);
        } else if (v->kind == V_FROZENSET && v->u.seq.n) {
            Value **tmp = arena_memdup(r->arena, v->u.seq.items, v->u.seq.n * sizeof *tmp);
            if (!tmp) return nomem(r);
            if (intern_constants(r, tmp, v->u.seq.n)) {
                Value *f = const_frozenset(r->arena, tmp, v->u.seq.n);
                if (!f) return nomem(r);
                items[i] = f;
                modified = true;
            }
        }
    }
    return modified;
}

/* Code objects are made innermost first, in the order of their constants; each interns its
   names, constants, localsplus names, then filename, name and qualname (_PyCode_New). */
static void intern_code(Refs *r, Value *code)
{
    Code *c = code->u.code;
    Value *consts = c->oval[CO_CONSTS];
    for (size_t k = 0; consts && k < consts->u.seq.n; k++)
        if (consts->u.seq.items[k]->kind == V_CODE) intern_code(r, consts->u.seq.items[k]);
    static const CodeField tuples[] = {CO_NAMES, CO_CONSTS, CO_LOCALSPLUSNAMES};
    for (size_t f = 0; f < CPYC_COUNTOF(tuples); f++) {
        Value *t = c->oval[tuples[f]];
        if (!t) continue;
        if (tuples[f] == CO_CONSTS) intern_constants(r, t->u.seq.items, t->u.seq.n);
        else
            for (size_t k = t->u.seq.n; k-- > 0;) intern_at(r, &t->u.seq.items[k]);
    }
    static const CodeField strs[] = {CO_FILENAME, CO_NAME, CO_QUALNAME};
    for (size_t f = 0; f < CPYC_COUNTOF(strs); f++)
        if (c->oval[strs[f]]) intern_at(r, &c->oval[strs[f]]);
}

static void intern_identifiers(Refs *r, Value *code);

/* Identifiers among constants (const_name): one object per text with the names. */
static void intern_marked(Refs *r, Value *seq)
{
    for (size_t k = 0; k < seq->u.seq.n; k++) {
        Value **p = &seq->u.seq.items[k];
        if ((*p)->kind == V_CODE) intern_identifiers(r, *p);
        else if ((*p)->kind == V_TUPLE || (*p)->kind == V_FROZENSET) intern_marked(r, *p);
        else if ((*p)->kind == V_STR && is_interned(*p)) intern_at(r, p);
    }
}

/* The parser interns every identifier before the compiler runs: names, localsplus names,
   co_name and strings marked by const_name are interned first, so a constant equal to one
   is replaced by it (and a frozenset holding such a constant is rebuilt). */
static void intern_identifiers(Refs *r, Value *code)
{
    Code *c = code->u.code;
    if (c->oval[CO_CONSTS]) intern_marked(r, c->oval[CO_CONSTS]);
    static const CodeField tuples[] = {CO_NAMES, CO_LOCALSPLUSNAMES};
    for (size_t f = 0; f < CPYC_COUNTOF(tuples); f++) {
        Value *t = c->oval[tuples[f]];
        for (size_t k = 0; t && k < t->u.seq.n; k++) intern_at(r, &t->u.seq.items[k]);
    }
    if (c->oval[CO_NAME]) intern_at(r, &c->oval[CO_NAME]);
}

/* ---- the immortal singletons ---- */

/* A str of at most one character below 256 (CPython's static latin-1 singletons). */
static bool latin1_char(const Value *v)
{
    const uint8_t *s = v->u.s.data;
    return v->u.s.len <= 1 || (v->u.s.len == 2 && (s[0] == 0xc2 || s[0] == 0xc3));
}

static Value *canonical(Refs *r, Value *v)
{
    Value **one = NULL;
    int64_t x;
    switch ((ValueKind)v->kind) {
    case V_INT:
        if (value_int_to_i64(v, &x) && x >= -5 && x <= 256) one = &r->small_ints[x + 5];
        break;
    case V_BYTES:
        if (v->u.s.len <= 1) one = &r->bytes1[v->u.s.len ? v->u.s.data[0] : 256];
        break;
    case V_TUPLE:
        if (v->u.seq.n == 0) one = &r->empty_tuple;
        break;
    case V_STR:
        return latin1_char(v) ? intern_str(r, v) : v;
    default:
        break;
    }
    if (!one) return v;
    if (!*one) *one = v;
    return *one;
}

static bool immortal(const Refs *r, const Value *v)
{
    int64_t x;
    switch ((ValueKind)v->kind) {
    case V_INT: return value_int_to_i64(v, &x) && x >= -5 && x <= 256 && r->small_ints[x + 5] == v;
    case V_BYTES: return v->u.s.len <= 1 && r->bytes1[v->u.s.len ? v->u.s.data[0] : 256] == v;
    case V_TUPLE: return v == r->empty_tuple;
    default: return false;
    }
}

/* ---- walks over the graph ---- */

/* The slots of v that hold objects: items, or a code object's object fields. */
typedef struct Slots { Value **p[CO__COUNT]; Value **items; size_t n; } Slots;

static size_t slots_of(Value *v, Slots *s)
{
    s->items = NULL;
    s->n = 0;
    if (v->kind == V_TUPLE || v->kind == V_FROZENSET || v->kind == V_SET || v->kind == V_LIST) {
        s->items = v->u.seq.items;
        return s->n = v->u.seq.n;
    }
    if (v->kind == V_DICT) {
        s->items = v->u.seq.items;
        return s->n = 2 * v->u.seq.n;
    }
    if (v->kind != V_CODE) return 0;
    Code *c = v->u.code;
    for (int k = 0; k < c->target->n_code_fields; k++) {
        CodeField f = c->target->code_fields[k];
        if (code_field_kind(f) != CF_INT && c->oval[f]) s->p[s->n++] = &c->oval[f];
    }
    return s->n;
}

static Value **slot_at(Slots *s, size_t k) { return s->items ? &s->items[k] : s->p[k]; }

/* Index of v in m; *first says whether this is its first visit. -1 out of memory. */
static long long visit_in(Refs *r, PtrMap *m, const Value *v, bool *first)
{
    long long i = ptrmap_get_or_add(m, v);
    if (i == -2) return nomem(r), -1;
    *first = i == -1;
    return i >= 0 ? i : (long long)m->count - 1;
}

/* The same in r->seen, whose objects have reference counts. */
static long long visit(Refs *r, const Value *v, bool *first)
{
    long long i = visit_in(r, &r->seen, v, first);
    if (i >= 0 && r->seen.count > r->ncount) {
        uint32_t n = r->ncount ? r->ncount * 2 : 1024;
        uint32_t *c = realloc(r->count, n * sizeof *c);
        if (!c) return nomem(r), -1;
        memset(c + r->ncount, 0, (n - r->ncount) * sizeof *c);
        r->count = c;
        r->ncount = n;
    }
    return i;
}

/* Every slot gets its singleton (small ints, one-byte bytes, (), short strings). */
static void canon_walk(Refs *r, PtrMap *done, Value *v)
{
    bool first;
    if (visit_in(r, done, v, &first) < 0 || !first) return;
    Slots s;
    size_t n = slots_of(v, &s);
    for (size_t k = 0; k < n; k++) {
        Value **p = slot_at(&s, k);
        *p = canonical(r, *p);
        canon_walk(r, done, *p);
    }
}

/* co_code is a fresh bytes object per code object (_PyCode_GetCode), and so is a
   non-empty co_localspluskinds: never shared with anything. */
static bool fresh_fields(Refs *r, Value *code)
{
    Code *c = code->u.code;
    Value *consts = c->oval[CO_CONSTS];
    for (size_t k = 0; consts && k < consts->u.seq.n; k++)
        if (consts->u.seq.items[k]->kind == V_CODE && !fresh_fields(r, consts->u.seq.items[k]))
            return false;
    static const CodeField own[] = {CO_CODE, CO_LOCALSPLUSKINDS};
    for (size_t f = 0; f < CPYC_COUNTOF(own); f++) {
        Value *b = c->oval[own[f]];
        if (!b || (own[f] == CO_LOCALSPLUSKINDS && b->u.s.len == 0)) continue;
        if (!(c->oval[own[f]] = arena_memdup(r->arena, b, sizeof *b))) return nomem(r);
    }
    return true;
}

/* Counts the references to each object below v (one per slot). */
static void count_children(Refs *r, Value *v)
{
    Slots s;
    size_t n = slots_of(v, &s);
    for (size_t k = 0; k < n && !r->failed; k++) {
        Value *item = *slot_at(&s, k);
        bool first;
        long long i = visit(r, item, &first);
        if (i < 0) return;
        /* marshal holds a frozenset's items while it writes them (it sorts them), so their
           count is above one then: always flagged */
        r->count[i] += v->kind == V_FROZENSET ? 2 : 1;
        if (v->kind == V_CODE && slot_at(&s, k) == &v->u.code->oval[CO_CODE])
            r->count[i]++;   /* the code object's cached copy */
        if (first) count_children(r, item);
    }
}

static uint8_t type_code(const Value *v)
{
    int64_t x;
    switch ((ValueKind)v->kind) {
    case V_NULL: return TYPE_NULL;
    case V_NONE: return TYPE_NONE;
    case V_FALSE: return TYPE_FALSE;
    case V_TRUE: return TYPE_TRUE;
    case V_ELLIPSIS: return TYPE_ELLIPSIS;
    case V_STOPITER: return TYPE_STOPITER;
    case V_INT: return value_int_to_i64(v, &x) && x >= INT32_MIN && x <= INT32_MAX ? TYPE_INT : TYPE_LONG;
    case V_FLOAT: return TYPE_BINARY_FLOAT;
    case V_COMPLEX: return TYPE_BINARY_COMPLEX;
    case V_BYTES: return TYPE_STRING;
    case V_STR: {
        bool ascii = true;
        for (size_t i = 0; i < v->u.s.len && ascii; i++) ascii = v->u.s.data[i] < 0x80;
        bool in = is_interned(v);
        if (!ascii) return in ? TYPE_INTERNED : TYPE_UNICODE;
        if (v->u.s.len < 256) return in ? TYPE_SHORT_ASCII_INTERNED : TYPE_SHORT_ASCII;
        return in ? TYPE_ASCII_INTERNED : TYPE_ASCII;
    }
    case V_TUPLE: return v->u.seq.n < 256 ? TYPE_SMALL_TUPLE : TYPE_TUPLE;
    case V_LIST: return TYPE_LIST;
    case V_DICT: return TYPE_DICT;
    case V_SET: return TYPE_SET;
    case V_FROZENSET: return TYPE_FROZENSET;
    case V_CODE: return TYPE_CODE;
    }
    return 0;
}

/* Type codes and flags: a value is flagged when its count is above one, when it is
   immortal or interned; singletons (None...) never. */
static void assign(Refs *r, PtrMap *done, Value *v)
{
    bool first;
    if (visit_in(r, done, v, &first) < 0 || !first) return;
    long long i = visit(r, v, &first);   /* counted already: its index */
    if (i < 0) return;
    uint32_t count = r->count[i];
    Slots s;
    size_t n = slots_of(v, &s);
    for (size_t k = 0; k < n; k++) assign(r, done, *slot_at(&s, k));
    bool flag = v->kind > V_STOPITER &&
                (count > 1 || immortal(r, v) || (v->kind == V_STR && is_interned(v)));
    v->tcode = (uint8_t)(type_code(v) | (flag ? FLAG_REF : 0));
}

/* ---- frozenset order: sorted(items, key=marshal.dumps) ---- */
typedef struct Dumped { Buf b; Value *v; } Dumped;

static int cmp_dumped(const void *x, const void *y)
{
    const Buf *a = &((const Dumped *)x)->b, *b = &((const Dumped *)y)->b;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->data, b->data, n) : 0;
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Sorts the items of every frozenset (innermost first) by their own marshal bytes, as
   CPython's writer orders them (bpo-37596). */
static void sort_frozensets(Refs *r, PtrMap *done, Value *v, const cpyc_target *t)
{
    bool first;
    if (visit_in(r, done, v, &first) < 0 || !first) return;
    Slots s;
    size_t n = slots_of(v, &s);
    for (size_t k = 0; k < n; k++) sort_frozensets(r, done, *slot_at(&s, k), t);
    if (v->kind != V_FROZENSET || n < 2 || r->failed) return;
    Dumped *d = calloc(n, sizeof *d);
    if (!d) { nomem(r); return; }
    for (size_t k = 0; k < n && !r->failed; k++) {
        d[k].v = v->u.seq.items[k];
        if (marshal_write_object(&d[k].b, d[k].v, t, r->err)) r->failed = true;
    }
    if (!r->failed) {
        qsort(d, n, sizeof *d, cmp_dumped);   /* equal dumps: equal items, order moot */
        for (size_t k = 0; k < n; k++) v->u.seq.items[k] = d[k].v;
    }
    for (size_t k = 0; k < n; k++) buf_free(&d[k].b);
    free(d);
}

int refs_assign(Value *module, const RefsEnv *env, Arena *a, cpyc_error *err)
{
    if (module->kind != V_CODE)
        return error_at(err, CPYC_ERR_FORMAT, -1, "refs_assign: not a code object");
    Refs *r = arena_alloc(a, sizeof *r);
    if (!r) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    r->arena = a;
    r->env = env;
    r->err = err;
    PtrMap done = {0};
    canon_walk(r, &done, module);
    ptrmap_free(&done);
    if (!r->failed) intern_identifiers(r, module);
    if (!r->failed) intern_code(r, module);
    if (!r->failed) fresh_fields(r, module);
    bool first;
    long long root = r->failed ? -1 : visit(r, module, &first);
    if (root >= 0) {
        r->count[root] = 2;   /* the caller holds the module's code object too */
        count_children(r, module);
    }
    if (!r->failed) assign(r, &done, module);
    ptrmap_free(&done);
    if (!r->failed) sort_frozensets(r, &done, module, module->u.code->target);
    ptrmap_free(&done);
    ptrmap_free(&r->seen);
    free(r->count);
    return r->failed ? -1 : 0;
}
