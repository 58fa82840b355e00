/* symtable.c - the symbol table's first pass: the blocks of a module and the raw facts of
   each name (bound, used, parameter, global...), as CPython 3.13's Python/symtable.c records
   them, with its SyntaxErrors; block lookup by AST key and name mangling. */
#include <string.h>

#include "symtable_int.h"

/* CPython's C recursion limit (Py_C_RECURSION_LIMIT) and what is used of it when the pass
   starts under `python -m symtable`, `-m py_compile` and `-m compileall` (3 more than from a
   module's top level run directly): ASTs nested deeper fail with RecursionError as there. */
enum { ST_RECURSION_LIMIT = 10000, ST_RECURSION_START = 6 };

/* AST key -> entry; a key entered twice maps to the later entry, as CPython's st_blocks. */
typedef struct BlockMap {
    struct BlockSlot { const void *key; StEntry *e; } *slots;   /* key NULL: empty */
    size_t cap, n;
    bool replaced;              /* a key entered twice that was not an annotation block's */
} BlockMap;

typedef struct Builder {
    Arena *a;
    /* text -> NameRec: an open-addressing table of mask + 1 slots (NULL: none yet) */
    NameRec **texts;
    uint32_t texts_mask, ntexts;
    /* any other pointer a name was seen with -> its NameRec (the parser's identifiers
       keep theirs in their IdentHeads: see rec_of_in) */
    struct PtrSlot { const char *p; NameRec *r; } *ptrs;
    uint32_t ptrs_mask, nptrs;
    NameRec *rec_super;         /* of "super" */
    BuildEntry *first, *last;
    cpyc_error *err;
    const FutureFeatures *future;
    BlockMap *blocks;
    StEntry **stack;            /* st_stack: the blocks being visited, innermost last */
    int nstack, stack_cap;
    StEntry *cur, *top;
    const char *private_name;   /* st_private: the class whose body is visited, or NULL */
} Builder;

static size_t ptr_hash(const void *p, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & mask;
}

static bool blockmap_set(Arena *a, BlockMap *m, const void *key, StEntry *e)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct BlockSlot *slots = arena_alloc_raw(a, cap * sizeof *slots);
        if (!slots) return false;
        /* only key tells a free slot; four a turn (cap: 64 or more, a power of two) */
        for (struct BlockSlot *p = slots, *end = slots + cap; p < end; p += 4)
            p[0].key = p[1].key = p[2].key = p[3].key = NULL;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t h = ptr_hash(m->slots[i].key, cap - 1);
            while (slots[h].key) h = (h + 1) & (cap - 1);
            slots[h] = m->slots[i];
        }
        m->slots = slots, m->cap = cap;
    }
    size_t h = ptr_hash(key, m->cap - 1);
    while (m->slots[h].key && m->slots[h].key != key) h = (h + 1) & (m->cap - 1);
    if (!m->slots[h].key) m->n++;
    else if (m->slots[h].e->type != ST_ANNOTATION) m->replaced = true;
    m->slots[h] = (struct BlockSlot){key, e};
    return true;
}

StEntry *symtable_lookup(const Symtable *st, const void *key)
{
    const BlockMap *m = st ? st->impl : NULL;
    if (!m || !m->cap || !key) return NULL;
    for (size_t h = ptr_hash(key, m->cap - 1); m->slots[h].key; h = (h + 1) & (m->cap - 1))
        if (m->slots[h].key == key) return m->slots[h].e;
    return NULL;
}

StEntry *symtable_lookup_after(const Symtable *st, const StEntry *prev, const void *key)
{
    /* the blocks in creation order are the BuildEntry list; an annotation block shares its
       key with the function's own, which the map holds */
    const BuildEntry *next = prev ? ((const BuildEntry *)prev)->next : NULL;
    if (next && next->e.key == key && next->e.type != ST_ANNOTATION && !((const BlockMap *)st->impl)->replaced)
        return (StEntry *)&next->e;
    return symtable_lookup(st, key);
}

uint32_t symtable_block_count(const Symtable *st)
{
    const BlockMap *m = st ? st->impl : NULL;
    return m ? (uint32_t)m->n : 0;
}

int st_symbol_flags(const StEntry *e, const char *name)
{
    return (int)namemap_get(&e->symbols, name, 0);
}

int st_symbol_scope(const StEntry *e, const char *name)
{
    return (st_symbol_flags(e, name) >> SYM_SCOPE_OFFSET) & 15;
}

bool st_is_function_like(const StEntry *e)
{
    return e->type == ST_FUNCTION || e->type == ST_TYPE_VARIABLE_BOUND ||
           e->type == ST_TYPE_ALIAS || e->type == ST_TYPE_PARAMETERS;
}

/* ---------------------------------------------------------------------- mangling */

const char *symtable_mangle(Arena *a, const char *privateobj, const char *name)
{
    if (!privateobj || name[0] != '_' || name[1] != '_') return name;
    size_t nlen = strlen(name);
    /* __dunder__ names and dotted module names are left alone */
    if ((name[nlen - 1] == '_' && name[nlen - 2] == '_') || strchr(name, '.')) return name;
    while (*privateobj == '_') privateobj++;
    if (!*privateobj) return name;   /* a class named only with underscores */
    size_t plen = strlen(privateobj);
    char *out = arena_alloc_raw(a, 1 + plen + nlen + 1);
    if (!out) return NULL;
    out[0] = '_';
    memcpy(out + 1, privateobj, plen);
    memcpy(out + 1 + plen, name, nlen + 1);
    return out;
}

const char *symtable_maybe_mangle(Arena *a, const char *privateobj, const StEntry *e,
                                  const char *name)
{
    /* around a generic class only the type parameters are mangled */
    if (e->mangled_names && namemap_find(e->mangled_names, name) < 0) return name;
    return symtable_mangle(a, privateobj, name);
}

/* ---------------------------------------------------------------------- errors */

int st_syntax_error(cpyc_error *err, int lineno, int col_offset, int end_lineno,
                    int end_col_offset, const char *fmt, ...)
{
    if (!err) return 0;
    va_list ap;
    va_start(ap, fmt);
    error_syntax_v(err, "SyntaxError", lineno, col_offset + 1, end_lineno, end_col_offset + 1, fmt, ap);
    va_end(ap);
    err->text_from = CPYC_TEXT_COMPILER;
    return 0;
}

int st_nomem(cpyc_error *err)
{
    error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    if (err) snprintf(err->exc_type, sizeof err->exc_type, "MemoryError");
    return 0;
}

#define LOC(n) (n)->lineno, (n)->col_offset, (n)->end_lineno, (n)->end_col_offset
#define STE_LOC(e) (e)->lineno, (e)->col_offset, (e)->end_lineno, (e)->end_col_offset
#define AT(n) ((AstLoc){(n)->lineno, (n)->col_offset, (n)->end_lineno, (n)->end_col_offset})
#define STE_AT(e) AT(e)
#define AT_ERR(l) (l).lineno, (l).col_offset, (l).end_lineno, (l).end_col_offset

/* ---------------------------------------------------------------------- blocks */

/* An arena array with room for one more item: items itself, a copy twice as large, or NULL. */
static void *room_for_one(Arena *a, void *items, int n, int *cap, size_t size)
{
    if (n < *cap) return items;
    int ncap = *cap ? *cap * 2 : 4;
    void *p = arena_alloc(a, (size_t)ncap * size);
    if (!p) return NULL;
    if (n) memcpy(p, items, (size_t)n * size);
    *cap = ncap;
    return p;
}

static bool push_entry(Arena *a, StEntry ***arr, int *n, int *cap, StEntry *e)
{
    StEntry **p = room_for_one(a, *arr, *n, cap, sizeof *p);
    if (!p) return false;
    *arr = p;
    p[(*n)++] = e;
    return true;
}

static int enter_block(Builder *b, const char *name, StBlockType type, const void *key, AstLoc at)
{   /* (at by value: two registers, where four ints went on the stack) */
    BuildEntry *be = arena_alloc(b->a, sizeof *be);
    if (!be) return st_nomem(b->err);
    if (b->last) b->last->next = be;
    else b->first = be;
    b->last = be;
    StEntry *e = &be->e;
    e->name = name;
    e->type = type;
    e->key = key;
    e->lineno = at.lineno, e->col_offset = at.col_offset;
    e->end_lineno = at.end_lineno, e->end_col_offset = at.end_col_offset;
    e->symbols.arena = e->varnames.arena = be->syms.arena = b->a;   /* (zeroed: namemap_init's state) */
    StEntry *prev = b->cur;
    e->parent = prev;
    e->nested = prev && (prev->nested || st_is_function_like(prev));
    if (!blockmap_set(b->a, b->blocks, key, e)) return st_nomem(b->err);
    if (!push_entry(b->a, &b->stack, &b->nstack, &b->stack_cap, e)) return st_nomem(b->err);
    if (prev) {
        /* bpo-37757: no walrus anywhere inside a comprehension's outermost iterable */
        e->comp_iter_expr = prev->comp_iter_expr;
        /* classes mangle every name: they need no inherited set */
        if (prev->mangled_names && type != ST_CLASS) e->mangled_names = prev->mangled_names;
    }
    e->mangled_private = b->private_name;
    b->cur = e;
    /* annotation blocks (future annotations) become strings: they are not children */
    if (type == ST_ANNOTATION) return 1;
    if (prev && !push_entry(b->a, &prev->children, &prev->nchildren, &prev->children_cap, e))
        return st_nomem(b->err);
    return 1;
}

static int exit_block(Builder *b)
{
    b->cur = NULL;
    if (b->nstack && --b->nstack) b->cur = b->stack[b->nstack - 1];
    return 1;
}

static uint32_t addr_slot(const void *p, uint32_t mask)
{
    return (uint32_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

/* Blocks of up to SYMS_LINEAR symbols are searched in order; larger ones get their table
   of slots when first searched (most names are found through their NameRec's cache, or
   known absent by the bloom bits), and it is brought up to date at each search after. */
enum { SYMS_LINEAR = 8 };

/* The slots up to date with the keys; false when out of memory (then searched in order). */
static bool syms_index(BlockSyms *bs)
{
    uint32_t *slots = bs->slots, from = bs->nslotted;
    if (!slots || bs->n * 2 > bs->mask + 1) {
        uint32_t nslots = 4 * SYMS_LINEAR;
        while (nslots < bs->n * 4) nslots *= 2;
        if (!(slots = arena_alloc(bs->arena, nslots * sizeof *slots))) return false;
        bs->slots = slots;
        bs->mask = nslots - 1;
        from = 0;
    }
    for (uint32_t i = from; i < bs->n; i++) {
        uint32_t j = addr_slot(bs->keys[i], bs->mask);
        while (slots[j]) j = (j + 1) & bs->mask;
        slots[j] = i + 1;
    }
    bs->nslotted = bs->n;
    return true;
}

int syms_probe(BlockSyms *bs, NameRec *r)
{
    if (!r->in_block) return -1;   /* (a name's first binding or use) */
    if (bs->n <= SYMS_LINEAR || !syms_index(bs)) {
        for (uint32_t i = 0; i < bs->n; i++)
            if (bs->keys[i] == r) {
                r->cbs = bs, r->cidx = i;
                return (int)i;
            }
        return -1;
    }
    for (uint32_t j = addr_slot(r, bs->mask); bs->slots[j]; j = (j + 1) & bs->mask) {
        uint32_t i = bs->slots[j] - 1;
        if (bs->keys[i] == r) {
            r->cbs = bs, r->cidx = i;
            return (int)i;
        }
    }
    return -1;
}

/* Room for one more item in an arena array (doubling). */
static bool grow_array(Arena *a, void **items, uint32_t n, uint32_t cap, size_t size)
{
    void *p = arena_alloc_raw(a, cap * size);
    if (!p) return false;
    if (n) memcpy(p, *items, n * size);
    *items = p;
    return true;
}

/* Room for cap symbols (keys and values in one allocation). */
static __attribute__((noinline)) bool syms_reserve(Arena *a, BlockSyms *bs, uint32_t cap)
{
    char *p = arena_alloc_raw(a, cap * (sizeof *bs->keys + sizeof *bs->vals));
    if (!p) return false;
    NameRec **keys = (NameRec **)p;
    intptr_t *vals = (intptr_t *)(p + cap * sizeof *keys);
    if (bs->n) {
        memcpy(keys, bs->keys, bs->n * sizeof *keys);
        memcpy(vals, bs->vals, bs->n * sizeof *vals);
    }
    bs->keys = keys, bs->vals = vals, bs->cap = cap;
    return true;
}

int syms_add(Arena *a, BlockSyms *bs, NameRec *r, intptr_t val)
{
    if (bs->n == bs->cap && !syms_reserve(a, bs, bs->cap ? bs->cap * 2 : SYMS_LINEAR)) return -1;
    return (int)syms_push(bs, r, val);
}

bool syms_del(BlockSyms *bs, NameRec *r)
{
    int i = syms_find(bs, r);
    if (i < 0) return false;
    uint32_t rest = bs->n - (uint32_t)i - 1;
    memmove(&bs->keys[i], &bs->keys[i + 1], rest * sizeof *bs->keys);
    memmove(&bs->vals[i], &bs->vals[i + 1], rest * sizeof *bs->vals);
    bs->n--;
    r->cbs = NULL;
    for (uint32_t k = 0; k < bs->n; k++)
        if (bs->keys[k]->cbs == bs) bs->keys[k]->cbs = NULL;
    bs->slots = NULL;   /* made again when next searched */
    return true;
}

static bool ptrs_put(Builder *b, const char *p, NameRec *r)
{
    if ((b->nptrs + 1) * 2 > (b->ptrs ? b->ptrs_mask + 1 : 0)) {
        uint32_t n = b->ptrs ? (b->ptrs_mask + 1) * 2 : 128, oldn = b->ptrs ? b->ptrs_mask + 1 : 0;
        struct PtrSlot *slots = arena_alloc_raw(b->a, n * sizeof *slots), *old = b->ptrs;
        if (!slots) return false;
        /* only p tells a free slot; four a turn (n: 128 or more, a power of two) */
        for (struct PtrSlot *q = slots, *end = slots + n; q < end; q += 4)
            q[0].p = q[1].p = q[2].p = q[3].p = NULL;
        b->ptrs = slots;
        b->ptrs_mask = n - 1;
        for (uint32_t k = 0; k < oldn; k++) {
            if (!old[k].p) continue;
            uint32_t j = addr_slot(old[k].p, b->ptrs_mask);
            while (slots[j].p) j = (j + 1) & b->ptrs_mask;
            slots[j] = old[k];
        }
    }
    uint32_t j = addr_slot(p, b->ptrs_mask);
    while (b->ptrs[j].p) j = (j + 1) & b->ptrs_mask;
    b->ptrs[j].p = p, b->ptrs[j].r = r;
    b->nptrs++;
    return true;
}

/* A table of n free text slots (n: 128 or more, a power of two), four stores a turn: a
   large module's table is tens of kilobytes, which memset clears a byte a step (rep stosb). */
static NameRec **empty_texts(Arena *a, uint32_t n)
{
    NameRec **slots = arena_alloc_raw(a, n * sizeof *slots);
    if (slots)
        for (NameRec **p = slots, **end = slots + n; p < end; p += 4) p[0] = p[1] = p[2] = p[3] = NULL;
    return slots;
}

static bool texts_grow(Builder *b)
{
    uint32_t n = b->texts ? (b->texts_mask + 1) * 2 : 128, oldn = b->texts ? b->texts_mask + 1 : 0;
    NameRec **slots = empty_texts(b->a, n), **old = b->texts;
    if (!slots) return false;
    b->texts = slots;
    b->texts_mask = n - 1;
    for (uint32_t k = 0; k < oldn; k++) {
        if (!old[k]) continue;
        uint32_t j = old[k]->thash & b->texts_mask;
        while (slots[j]) j = (j + 1) & b->texts_mask;
        slots[j] = old[k];
    }
    return true;
}

/* The NameRec of name's text (made when new); NULL when out of memory. ident: name is the
   parser's, its length and hash in its IdentHead. */
static __attribute__((noinline)) NameRec *rec_slow(Builder *b, const char *name, bool ident)
{
    if ((b->ntexts + 1) * 2 > (b->texts ? b->texts_mask + 1 : 0) && !texts_grow(b)) return NULL;
    NameKey k;   /* the hash the block's NameMap will need */
    IdentHead *head = ident ? ident_head(name) : NULL;
    if (head) k.s = name, k.len = head->len, k.hash = head->hash;
    else namemap_key(&k, name);
    uint32_t h = k.hash, j = h & b->texts_mask;
    NameRec *r;
    while ((r = b->texts[j])) {
        if (r->thash == h && r->len == k.len && memcmp(r->s, name, k.len) == 0) break;
        j = (j + 1) & b->texts_mask;
    }
    if (!r) {
        if (!(r = arena_alloc_raw(b->a, sizeof *r))) return NULL;
        *r = (NameRec){.s = name, .len = (uint32_t)k.len, .thash = h};
        b->texts[j] = r;
        b->ntexts++;
    }
    if (head) {   /* found again from the identifier itself (rec_of_in) */
        head->user = r, head->owner = b->blocks;
        return r;
    }
    return ptrs_put(b, name, r) ? r : NULL;
}

static inline __attribute__((always_inline)) NameRec *rec_of_in(Builder *b, const char *name, bool ident)
{
    if (ident) {   /* (its head was written by this build, its blocks map its own) */
        const IdentHead *h = ident_head(name);
        return h->owner == b->blocks ? h->user : rec_slow(b, name, true);
    }
    if (b->ptrs)
        for (uint32_t j = addr_slot(name, b->ptrs_mask); b->ptrs[j].p; j = (j + 1) & b->ptrs_mask)
            if (b->ptrs[j].p == name) return b->ptrs[j].r;
    return rec_slow(b, name, ident);
}

static inline NameRec *rec_of(Builder *b, const char *name) { return rec_of_in(b, name, false); }

/* name's flags in e |= flag (CPython's dict update in symtable_add_def); -1 out of memory. */
static int sym_or(Builder *b, StEntry *e, NameRec *r, intptr_t flag)
{
    BlockSyms *bs = syms_of(e);
    int i = syms_find(bs, r);
    if (i >= 0) {
        bs->vals[i] |= flag;
        return 0;
    }
    return syms_add(b->a, bs, r, flag) < 0 ? -1 : 0;
}

/* m (empty) as namemap_set would leave it after adding the n distinct names recs in order,
   with the values vals (kept as the map's array), or each name's index when vals is NULL. */
static bool namemap_fill(NameMap *m, NameRec *const *recs, uint32_t n, intptr_t *vals)
{
    if (!namemap_start_distinct(m, n, vals)) return false;
    for (uint32_t i = 0; i < n; i++)
        namemap_push_distinct(m, recs[i]->s, recs[i]->len, recs[i]->thash, vals ? vals[i] : (intptr_t)i);
    return true;
}

/* The end: every block's symbols and parameters into its NameMaps. */
static int build_namemaps(Builder *b)
{
    for (BuildEntry *be = b->first; be; be = be->next) {
        BlockSyms *bs = &be->syms;
        if (!namemap_fill(&be->e.symbols, bs->keys, bs->n, bs->vals) ||
            !namemap_fill(&be->e.varnames, bs->params, bs->nparams, NULL))
            return st_nomem(b->err);
    }
    return 1;
}

static inline __attribute__((always_inline)) const char *mangle_cur(Builder *b, StEntry *e, const char *name)
{
    if (!b->private_name || name[0] != '_' || name[1] != '_') return name;   /* most names */
    return symtable_maybe_mangle(b->a, b->private_name, e, name);
}

static long lookup_in(Builder *b, StEntry *e, const char *name)
{
    const char *m = mangle_cur(b, e, name);
    NameRec *r = m ? rec_of(b, m) : NULL;
    int i = r ? syms_find(syms_of(e), r) : -1;
    return i >= 0 ? (long)syms_of(e)->vals[i] : 0;
}

/* add_def_in past its common cases: a parameter, a type parameter, a global, an error. */
static __attribute__((noinline, cold)) int add_def_slow(Builder *b, const char *name, NameRec *r, int flag, StEntry *e, int i,
                        AstLoc loc)
{
    BlockSyms *bs = syms_of(e);
    long val = flag;
    if (i >= 0) {
        val = (long)bs->vals[i];
        if ((flag & DEF_PARAM) && (val & DEF_PARAM))
            return st_syntax_error(b->err, AT_ERR(loc), "duplicate argument '%s' in function definition", name);
        if ((flag & DEF_TYPE_PARAM) && (val & DEF_TYPE_PARAM))
            return st_syntax_error(b->err, AT_ERR(loc), "duplicate type parameter '%s'", name);
        val |= flag;
    }
    if (e->comp_iter_target) {
        /* a comprehension's iteration variable: no named expression may rebind it */
        if (val & (DEF_GLOBAL | DEF_NONLOCAL))
            return st_syntax_error(b->err, AT_ERR(loc), "comprehension inner loop cannot rebind "
                                   "assignment expression target '%s'", name);
        val |= DEF_COMP_ITER;
    }
    if (i >= 0) bs->vals[i] = val;
    else if (syms_add(b->a, bs, r, val) < 0) return st_nomem(b->err);
    if (flag & DEF_PARAM) {
        /* (a parameter is new: a second one of the name failed above) */
        if (bs->nparams == bs->params_cap) {
            uint32_t cap = bs->params_cap ? bs->params_cap * 2 : 8;
            if (!grow_array(b->a, (void **)&bs->params, bs->nparams, cap, sizeof *bs->params))
                return st_nomem(b->err);
            bs->params_cap = cap;
        }
        bs->params[bs->nparams++] = r;
    } else if ((flag & DEF_GLOBAL) && sym_or(b, b->top, r, flag) < 0) {
        return st_nomem(b->err);
    }
    return 1;
}

/* CPython's symtable_add_def_helper: name (mangled as in the current block) gets flag in e.
   Returns the NameRec of the name as mangled, or NULL with the error set. ident: name is
   the parser's identifier (see rec_slow). */
static inline __attribute__((always_inline)) NameRec *add_def_rec(Builder *b, const char *name, int flag, StEntry *e,
                                                                  AstLoc loc, bool ident)
{
    const char *mangled = mangle_cur(b, b->cur, name);
    NameRec *r = mangled ? rec_of_in(b, mangled, ident && mangled == name) : NULL;
    if (!r) return st_nomem(b->err), NULL;
    BlockSyms *bs = syms_of(e);
    int i = syms_find(bs, r);
    if (!(flag & (DEF_PARAM | DEF_TYPE_PARAM | DEF_GLOBAL)) && !e->comp_iter_target) {
        if (i >= 0) bs->vals[i] |= flag;   /* a name seen before in the block */
        else if (syms_add(b->a, bs, r, flag) < 0) return st_nomem(b->err), NULL;
        return r;
    }
    return add_def_slow(b, name, r, flag, e, i, loc) ? r : NULL;
}

static int add_def_in(Builder *b, const char *name, int flag, StEntry *e, AstLoc loc)
{
    return add_def_rec(b, name, flag, e, loc, false) != NULL;
}

static int add_def(Builder *b, const char *name, int flag, AstLoc loc)
{
    if ((flag & DEF_TYPE_PARAM) && b->cur->mangled_names &&
        namemap_set(b->cur->mangled_names, name, 1) < 0)
        return st_nomem(b->err);
    return add_def_in(b, name, flag, b->cur, loc);
}

/* add_def of one of the parser's identifiers, not a type parameter (see rec_slow). */
static int add_def_id(Builder *b, const char *name, int flag, AstLoc loc)
{
    return add_def_rec(b, name, flag, b->cur, loc, true) != NULL;
}

static int record_directive(Builder *b, const char *name, AstLoc loc)
{
    StEntry *e = b->cur;
    const char *mangled = mangle_cur(b, e, name);
    StDirective *d = mangled ? room_for_one(b->a, e->directives, e->ndirectives, &e->directives_cap, sizeof *d) : NULL;
    if (!d) return st_nomem(b->err);
    e->directives = d;
    d[e->ndirectives++] = (StDirective){mangled, AT_ERR(loc)};
    return 1;
}

/* ---------------------------------------------------------------------- the walk */

static int visit_stmt(Builder *b, AstNode *s, int d);
static inline int visit_expr(Builder *b, AstNode *e, int d);

static uint32_t seq_len(const AstSeq *s) { return s ? s->n : 0; }
#define SEQ_AT(s, i) ((AstNode *)(s)->items[i])

/* The RecursionError of a visit past ST_RECURSION_LIMIT; returns 0. */
static __attribute__((noinline, cold)) int too_deep(Builder *b)
{
    error_at(b->err, CPYC_ERR_SYNTAX, -1, "maximum recursion depth exceeded during compilation");
    snprintf(b->err->exc_type, sizeof b->err->exc_type, "RecursionError");
    b->err->line = -1;
    return 0;
}

/* Each visit returns 1, or 0 with the error set. d is the depth CPython's recursion counter
   has in the visit that calls (the visits of statements, expressions, patterns and type
   params count one each, from ST_RECURSION_START). */
#define VISIT(b, kind, n) do { if (!visit_##kind((b), (n), d)) return 0; } while (0)
#define VISIT_SEQ(b, kind, seq) do { \
        AstSeq *s_ = (seq); \
        for (uint32_t i_ = 0, n_ = seq_len(s_); i_ < n_; i_++) \
            if (SEQ_AT(s_, i_) && !visit_##kind((b), SEQ_AT(s_, i_), d)) return 0; \
    } while (0)

static int visit_stmts(Builder *b, AstSeq *seq, int d)
{
    for (uint32_t i = 0, n = seq_len(seq); i < n; i++)
        if (!visit_stmt(b, SEQ_AT(seq, i), d)) return 0;
    return 1;
}

static __attribute__((noinline)) int visit_exprs_in(Builder *b, AstSeq *seq, int d)
{
    for (uint32_t i = 0, n = seq->n; i < n; i++)
        if (SEQ_AT(seq, i) && !visit_expr(b, SEQ_AT(seq, i), d)) return 0;
    return 1;
}

/* (many lists are empty: decorators, defaults, bases, keywords) */
static inline int visit_exprs(Builder *b, AstSeq *seq, int d)
{
    return !seq_len(seq) || visit_exprs_in(b, seq, d);
}

static __attribute__((noinline)) int visit_keywords_in(Builder *b, AstSeq *seq, int d)
{
    for (uint32_t i = 0, n = seq->n; i < n; i++)
        if (!visit_expr(b, SEQ_AT(seq, i)->f[F_keyword_value].n, d)) return 0;
    return 1;
}

static inline int visit_keywords(Builder *b, AstSeq *seq, int d)
{
    return !seq_len(seq) || visit_keywords_in(b, seq, d);
}

static const char *const block_words[] = {
    [ST_ANNOTATION] = "an annotation", [ST_TYPE_ALIAS] = "a type alias",
    [ST_TYPE_PARAMETERS] = "the definition of a generic",
};

/* "yield expression cannot be used within an annotation" and its kin for type scopes. */
static int check_not_annotation(Builder *b, const char *what, const AstNode *e)
{
    StEntry *c = b->cur;
    if (c->type == ST_TYPE_VARIABLE_BOUND)
        return st_syntax_error(b->err, LOC(e), "%s cannot be used within %s", what, c->scope_info);
    if (c->type == ST_ANNOTATION || c->type == ST_TYPE_ALIAS || c->type == ST_TYPE_PARAMETERS)
        return st_syntax_error(b->err, LOC(e), "%s cannot be used within %s", what,
                               block_words[c->type]);
    return 1;
}

static int yield_in_comprehension(Builder *b, const AstNode *e)
{
    static const char *const kinds[] = {
        [COMP_LIST] = "list comprehension", [COMP_SET] = "set comprehension",
        [COMP_DICT] = "dict comprehension", [COMP_GENEXP] = "generator expression",
    };
    return st_syntax_error(b->err, LOC(e), "'yield' inside %s", kinds[b->cur->comprehension]);
}

static bool future_annotations(const Builder *b)
{
    return b->future && (b->future->features & CO_FUTURE_ANNOTATIONS);
}

static int visit_annotation(Builder *b, AstNode *ann, int d)
{
    bool fut = future_annotations(b);
    if (fut && !enter_block(b, "_annotation", ST_ANNOTATION, ann, AT(ann))) return 0;
    if (!visit_expr(b, ann, d)) return 0;
    if (fut) exit_block(b);
    return 1;
}

static int visit_arg_annotations(Builder *b, AstSeq *args, int d)
{
    for (uint32_t i = 0, n_ = seq_len(args); i < n_; i++) {
        AstNode *ann = SEQ_AT(args, i)->f[F_arg_annotation].n;
        if (ann && !visit_expr(b, ann, d)) return 0;
    }
    return 1;
}

/* The annotations of a def, visited in the enclosing block (in an annotation block of
   their own under future annotations, keyed by the def). */
static int visit_annotations(Builder *b, AstNode *s, AstNode *args, AstNode *returns, int d)
{
    bool fut = future_annotations(b);
    if (fut && !enter_block(b, "_annotation", ST_ANNOTATION, s, AT(s))) return 0;
    AstNode *va = args->f[F_arguments_vararg].n, *kw = args->f[F_arguments_kwarg].n;
    if (!visit_arg_annotations(b, args->f[F_arguments_posonlyargs].s, d) ||
        !visit_arg_annotations(b, args->f[F_arguments_args].s, d))
        return 0;
    if (va && va->f[F_arg_annotation].n && !visit_expr(b, va->f[F_arg_annotation].n, d)) return 0;
    if (kw && kw->f[F_arg_annotation].n && !visit_expr(b, kw->f[F_arg_annotation].n, d)) return 0;
    if (!visit_arg_annotations(b, args->f[F_arguments_kwonlyargs].s, d)) return 0;
    if (fut) exit_block(b);
    if (returns && !visit_annotation(b, returns, d)) return 0;
    return 1;
}

/* A parameter of the block just entered: new in it, with room reserved (visit_arguments);
   add_def raises the errors of the others. */
static int add_param(Builder *b, AstNode *a)
{
    const char *name = a->f[F_arg_arg].id;
    StEntry *e = b->cur;
    BlockSyms *bs = syms_of(e);
    const char *mangled = mangle_cur(b, e, name);
    NameRec *r = mangled ? rec_of_in(b, mangled, mangled == name) : NULL;   /* (the parser's) */
    if (!r) return st_nomem(b->err);
    if (syms_find(bs, r) >= 0 || e->comp_iter_target || bs->n == bs->cap || bs->nparams == bs->params_cap)
        return add_def(b, name, DEF_PARAM, AT(a));
    syms_push(bs, r, DEF_PARAM);
    bs->params[bs->nparams++] = r;
    return 1;
}

static int visit_params(Builder *b, AstSeq *args)
{
    for (uint32_t i = 0, n_ = seq_len(args); i < n_; i++)
        if (!add_param(b, SEQ_AT(args, i))) return 0;
    return 1;
}

/* The parameters of a def or lambda, in its block just entered (room for all at once). */
static int visit_arguments(Builder *b, AstNode *args)
{
    AstNode *va = args->f[F_arguments_vararg].n, *kw = args->f[F_arguments_kwarg].n;
    AstSeq *po = args->f[F_arguments_posonlyargs].s, *as = args->f[F_arguments_args].s;
    AstSeq *ko = args->f[F_arguments_kwonlyargs].s;
    uint32_t n = seq_len(po) + seq_len(as) + seq_len(ko) + (va != NULL) + (kw != NULL);
    BlockSyms *bs = syms_of(b->cur);
    if (n > bs->cap && !syms_reserve(b->a, bs, n < SYMS_LINEAR ? SYMS_LINEAR : n)) return st_nomem(b->err);
    if (n > bs->params_cap) {
        if (!grow_array(b->a, (void **)&bs->params, bs->nparams, n, sizeof *bs->params)) return st_nomem(b->err);
        bs->params_cap = n;
    }
    if (!visit_params(b, po) || !visit_params(b, as) || !visit_params(b, ko)) return 0;
    if (va) {
        if (!add_param(b, va)) return 0;
        b->cur->varargs = true;
    }
    if (kw) {
        if (!add_param(b, kw)) return 0;
        b->cur->varkeywords = true;
    }
    return 1;
}

/* The defaults a def evaluates in the enclosing block. */
static int visit_defaults(Builder *b, AstNode *args, int d)
{
    return visit_exprs(b, args->f[F_arguments_defaults].s, d) &&
           visit_exprs(b, args->f[F_arguments_kw_defaults].s, d);
}

static bool has_kwonly_defaults(AstNode *args)
{
    AstSeq *kwd = args->f[F_arguments_kw_defaults].s;
    for (uint32_t i = 0; i < seq_len(args->f[F_arguments_kwonlyargs].s) && i < seq_len(kwd); i++)
        if (kwd->items[i]) return true;
    return false;
}

/* The block of a generic's type parameters (PEP 695), with the hidden names its code uses. */
static int enter_type_params(Builder *b, const char *name, AstSeq *tps, bool has_defaults,
                             bool has_kwdefaults, int kind, AstNode *s)
{
    StBlockType outer = b->cur->type;
    if (!enter_block(b, name, ST_TYPE_PARAMETERS, tps, AT(s))) return 0;
    if (outer == ST_CLASS) {
        b->cur->can_see_class_scope = true;
        if (!add_def(b, "__classdict__", DEF_USE, AT(s))) return 0;
    }
    if (kind == AST_ClassDef) {
        /* set when the tuple of type params is made, used for the bases */
        if (!add_def(b, ".type_params", DEF_LOCAL, AT(s)) ||
            !add_def(b, ".type_params", DEF_USE, AT(s)) ||
            !add_def(b, ".generic_base", DEF_LOCAL, AT(s)) ||
            !add_def(b, ".generic_base", DEF_USE, AT(s)))
            return 0;
    }
    if (has_defaults && !add_def(b, ".defaults", DEF_PARAM, AT(s))) return 0;
    if (has_kwdefaults && !add_def(b, ".kwdefaults", DEF_PARAM, AT(s))) return 0;
    return 1;
}

/* A TypeVar's bound or constraints, or a type param's default: a block of its own. */
static int visit_bound_or_default(Builder *b, AstNode *e, const char *name, const void *key,
                                  const char *info, int d)
{
    /* (3.13.0 has no "reserved name '__classdict__'" check: 3.13.5 does) */
    if (!e) return 1;
    bool in_class = b->cur->can_see_class_scope;
    if (!enter_block(b, name, ST_TYPE_VARIABLE_BOUND, key, AT(e))) return 0;
    b->cur->can_see_class_scope = in_class;
    if (in_class && !add_def(b, "__classdict__", DEF_USE, AT(e))) return 0;
    b->cur->scope_info = info;
    if (!visit_expr(b, e, d)) return 0;
    return exit_block(b);
}

static int visit_type_param(Builder *b, AstNode *tp, int d)
{
    if (++d > ST_RECURSION_LIMIT) return too_deep(b);
    const char *name = tp->f[0].id;   /* TypeVar, ParamSpec and TypeVarTuple: name first */
    if (!add_def(b, name, DEF_TYPE_PARAM | DEF_LOCAL, AT(tp))) return 0;
    switch (tp->kind) {
    case AST_TypeVar: {
        AstNode *bound = tp->f[F_TypeVar_bound].n;
        const char *info = bound && bound->kind == AST_Tuple ? "a TypeVar constraint" : "a TypeVar bound";
        /* the default needs a key of its own: one past the node, as compile.c looks it up */
        if (!visit_bound_or_default(b, bound, name, tp, bound ? info : NULL, d) ||
            !visit_bound_or_default(b, tp->f[F_TypeVar_default_value].n, name,
                                    (const char *)tp + 1, "a TypeVar default", d))
            return 0;
        break;
    }
    case AST_TypeVarTuple:
        if (!visit_bound_or_default(b, tp->f[F_TypeVarTuple_default_value].n, name, tp,
                                    "a TypeVarTuple default", d))
            return 0;
        break;
    case AST_ParamSpec:
        if (!visit_bound_or_default(b, tp->f[F_ParamSpec_default_value].n, name, tp,
                                    "a ParamSpec default", d))
            return 0;
        break;
    default:
        break;
    }
    return 1;
}

static int visit_pattern(Builder *b, AstNode *p, int d)
{
    if (++d > ST_RECURSION_LIMIT) return too_deep(b);
    /* CPython ignores add_def's result for pattern captures: no error can arise there */
    switch (p->kind) {
    case AST_MatchValue:
        VISIT(b, expr, p->f[F_MatchValue_value].n);
        break;
    case AST_MatchSequence:
        VISIT_SEQ(b, pattern, p->f[F_MatchSequence_patterns].s);
        break;
    case AST_MatchStar:
        if (p->f[F_MatchStar_name].id) add_def(b, p->f[F_MatchStar_name].id, DEF_LOCAL, AT(p));
        break;
    case AST_MatchMapping:
        VISIT_SEQ(b, expr, p->f[F_MatchMapping_keys].s);
        VISIT_SEQ(b, pattern, p->f[F_MatchMapping_patterns].s);
        if (p->f[F_MatchMapping_rest].id) add_def(b, p->f[F_MatchMapping_rest].id, DEF_LOCAL, AT(p));
        break;
    case AST_MatchClass:
        VISIT(b, expr, p->f[F_MatchClass_cls].n);
        VISIT_SEQ(b, pattern, p->f[F_MatchClass_patterns].s);
        VISIT_SEQ(b, pattern, p->f[F_MatchClass_kwd_patterns].s);
        break;
    case AST_MatchAs:
        if (p->f[F_MatchAs_pattern].n) VISIT(b, pattern, p->f[F_MatchAs_pattern].n);
        if (p->f[F_MatchAs_name].id) add_def(b, p->f[F_MatchAs_name].id, DEF_LOCAL, AT(p));
        break;
    case AST_MatchOr:
        VISIT_SEQ(b, pattern, p->f[F_MatchOr_patterns].s);
        break;
    default:   /* MatchSingleton */
        break;
    }
    return 1;
}

static int visit_alias(Builder *b, AstNode *a)
{
    const char *name = a->f[F_alias_asname].id ? a->f[F_alias_asname].id : a->f[F_alias_name].id;
    if (strcmp(name, "*") == 0) {
        if (b->cur->type != ST_MODULE)
            return st_syntax_error(b->err, LOC(a), "import * only allowed at module level");
        return 1;
    }
    /* `import a.b.c` binds a */
    const char *dot = strchr(name, '.');
    const char *store = dot ? arena_strndup(b->a, name, (size_t)(dot - name)) : name;
    if (!store) return st_nomem(b->err);
    return store == name ? add_def_id(b, name, DEF_IMPORT, AT(a)) : add_def(b, store, DEF_IMPORT, AT(a));
}

/* The error for a name a global or nonlocal statement cannot declare, or NULL. */
static const char *directive_conflict(long cur, bool global)
{
    if (!(cur & (DEF_PARAM | DEF_LOCAL | DEF_USE | DEF_ANNOT))) return NULL;
    if (cur & DEF_PARAM) return global ? "name '%s' is parameter and global" : "name '%s' is parameter and nonlocal";
    if (cur & DEF_USE)
        return global ? "name '%s' is used prior to global declaration"
                      : "name '%s' is used prior to nonlocal declaration";
    if (cur & DEF_ANNOT) return global ? "annotated name '%s' can't be global" : "annotated name '%s' can't be nonlocal";
    return global ? "name '%s' is assigned to before global declaration"
                  : "name '%s' is assigned to before nonlocal declaration";
}

static int visit_directive(Builder *b, AstNode *s, bool global)
{
    AstSeq *names = s->f[F_Global_names].s;   /* Nonlocal's names are field 0 too */
    for (uint32_t i = 0, n_ = seq_len(names); i < n_; i++) {
        const char *name = names->items[i];
        const char *msg = directive_conflict(lookup_in(b, b->cur, name), global);
        if (msg) return st_syntax_error(b->err, LOC(s), msg, name);
        if (!add_def(b, name, global ? DEF_GLOBAL : DEF_NONLOCAL, AT(s)) ||
            !record_directive(b, name, AT(s)))
            return 0;
    }
    return 1;
}

static int visit_ann_assign(Builder *b, AstNode *s, int d)
{
    AstNode *target = s->f[F_AnnAssign_target].n, *value = s->f[F_AnnAssign_value].n;
    bool simple = s->f[F_AnnAssign_simple].i != 0;
    if (target->kind == AST_Name) {
        const char *id = target->f[F_Name_id].id;
        long cur = lookup_in(b, b->cur, id);
        if ((cur & (DEF_GLOBAL | DEF_NONLOCAL)) && b->cur != b->top && simple)
            return st_syntax_error(b->err, LOC(s), cur & DEF_GLOBAL ? "annotated name '%s' can't be global"
                                                                    : "annotated name '%s' can't be nonlocal", id);
        if (simple) {
            if (!add_def(b, id, DEF_ANNOT | DEF_LOCAL, AT(target))) return 0;
        } else if (value && !add_def(b, id, DEF_LOCAL, AT(target))) {
            return 0;
        }
    } else if (!visit_expr(b, target, d)) {
        return 0;
    }
    if (!visit_annotation(b, s->f[F_AnnAssign_annotation].n, d)) return 0;
    return !value || visit_expr(b, value, d);
}

/* FunctionDef and AsyncFunctionDef (same fields). */
static int visit_funcdef(Builder *b, AstNode *s, int d)
{
    const char *name = s->f[F_FunctionDef_name].id;
    AstNode *args = s->f[F_FunctionDef_args].n;
    AstSeq *tps = s->f[F_FunctionDef_type_params].s;
    if (!add_def_id(b, name, DEF_LOCAL, AT(s)) || !visit_defaults(b, args, d) ||
        !visit_exprs(b, s->f[F_FunctionDef_decorator_list].s, d))
        return 0;
    if (seq_len(tps)) {
        /* CPython's parser always gives a def a defaults list, so ".defaults" is always added */
        if (!enter_type_params(b, name, tps, true, has_kwonly_defaults(args), s->kind, s)) return 0;
        for (uint32_t i = 0; i < tps->n; i++)
            if (!visit_type_param(b, SEQ_AT(tps, i), d)) return 0;
    }
    if (!visit_annotations(b, s, args, s->f[F_FunctionDef_returns].n, d)) return 0;
    if (!enter_block(b, name, ST_FUNCTION, s, AT(s))) return 0;
    if (s->kind == AST_AsyncFunctionDef) b->cur->coroutine = true;
    if (!visit_arguments(b, args) || !visit_stmts(b, s->f[F_FunctionDef_body].s, d)) return 0;
    exit_block(b);
    if (seq_len(tps)) exit_block(b);
    return 1;
}

static int visit_classdef(Builder *b, AstNode *s, int d)
{
    const char *name = s->f[F_ClassDef_name].id;
    AstSeq *tps = s->f[F_ClassDef_type_params].s;
    if (!add_def_id(b, name, DEF_LOCAL, AT(s)) || !visit_exprs(b, s->f[F_ClassDef_decorator_list].s, d))
        return 0;
    const char *saved = b->private_name;
    if (seq_len(tps)) {
        if (!enter_type_params(b, name, tps, false, false, AST_ClassDef, s)) return 0;
        b->private_name = name;
        b->cur->mangled_names = arena_alloc(b->a, sizeof(NameMap));
        if (!b->cur->mangled_names) return st_nomem(b->err);
        namemap_init(b->cur->mangled_names, b->a);
        for (uint32_t i = 0; i < tps->n; i++)
            if (!visit_type_param(b, SEQ_AT(tps, i), d)) return 0;
    }
    if (!visit_exprs(b, s->f[F_ClassDef_bases].s, d) || !visit_keywords(b, s->f[F_ClassDef_keywords].s, d))
        return 0;
    if (!enter_block(b, name, ST_CLASS, s, AT(s))) return 0;
    b->private_name = name;
    b->cur->mangled_private = name;
    if (seq_len(tps) && (!add_def(b, "__type_params__", DEF_LOCAL, AT(s)) ||
                         !add_def(b, ".type_params", DEF_USE, AT(s))))
        return 0;
    if (!visit_stmts(b, s->f[F_ClassDef_body].s, d)) return 0;
    exit_block(b);
    if (seq_len(tps)) exit_block(b);
    b->private_name = saved;
    return 1;
}

static int visit_type_alias(Builder *b, AstNode *s, int d)
{
    AstNode *target = s->f[F_TypeAlias_name].n, *value = s->f[F_TypeAlias_value].n;
    AstSeq *tps = s->f[F_TypeAlias_type_params].s;
    if (!visit_expr(b, target, d)) return 0;
    const char *name = target->f[F_Name_id].id;
    bool in_class = b->cur->type == ST_CLASS;
    if (seq_len(tps)) {
        if (!enter_type_params(b, name, tps, false, false, AST_TypeAlias, s)) return 0;
        for (uint32_t i = 0; i < tps->n; i++)
            if (!visit_type_param(b, SEQ_AT(tps, i), d)) return 0;
    }
    if (!enter_block(b, name, ST_TYPE_ALIAS, s, AT(s))) return 0;
    b->cur->can_see_class_scope = in_class;
    if (in_class && !add_def(b, "__classdict__", DEF_USE, AT(value))) return 0;
    if (!visit_expr(b, value, d)) return 0;
    exit_block(b);
    if (seq_len(tps)) exit_block(b);
    return 1;
}

static int visit_stmt(Builder *b, AstNode *s, int d)
{
    if (++d > ST_RECURSION_LIMIT) return too_deep(b);
    switch (s->kind) {
    case AST_FunctionDef:
    case AST_AsyncFunctionDef:
        if (!visit_funcdef(b, s, d)) return 0;
        break;
    case AST_ClassDef:
        if (!visit_classdef(b, s, d)) return 0;
        break;
    case AST_TypeAlias:
        if (!visit_type_alias(b, s, d)) return 0;
        break;
    case AST_Return:
        if (s->f[F_Return_value].n) {
            VISIT(b, expr, s->f[F_Return_value].n);
            b->cur->returns_value = true;
        }
        break;
    case AST_Delete:
        VISIT_SEQ(b, expr, s->f[F_Delete_targets].s);
        break;
    case AST_Assign:
        VISIT_SEQ(b, expr, s->f[F_Assign_targets].s);
        VISIT(b, expr, s->f[F_Assign_value].n);
        break;
    case AST_AnnAssign:
        if (!visit_ann_assign(b, s, d)) return 0;
        break;
    case AST_AugAssign:
        VISIT(b, expr, s->f[F_AugAssign_target].n);
        VISIT(b, expr, s->f[F_AugAssign_value].n);
        break;
    case AST_For:
    case AST_AsyncFor:   /* same fields */
        VISIT(b, expr, s->f[F_For_target].n);
        VISIT(b, expr, s->f[F_For_iter].n);
        VISIT_SEQ(b, stmt, s->f[F_For_body].s);
        VISIT_SEQ(b, stmt, s->f[F_For_orelse].s);
        break;
    case AST_While:
    case AST_If:         /* same fields */
        VISIT(b, expr, s->f[F_If_test].n);
        VISIT_SEQ(b, stmt, s->f[F_If_body].s);
        VISIT_SEQ(b, stmt, s->f[F_If_orelse].s);
        break;
    case AST_Match: {
        VISIT(b, expr, s->f[F_Match_subject].n);
        AstSeq *cases = s->f[F_Match_cases].s;
        for (uint32_t i = 0, n_ = seq_len(cases); i < n_; i++) {
            AstNode *m = SEQ_AT(cases, i);
            VISIT(b, pattern, m->f[F_match_case_pattern].n);
            if (m->f[F_match_case_guard].n) VISIT(b, expr, m->f[F_match_case_guard].n);
            VISIT_SEQ(b, stmt, m->f[F_match_case_body].s);
        }
        break;
    }
    case AST_Raise:
        if (s->f[F_Raise_exc].n) {
            VISIT(b, expr, s->f[F_Raise_exc].n);
            if (s->f[F_Raise_cause].n) VISIT(b, expr, s->f[F_Raise_cause].n);
        }
        break;
    case AST_Try:
    case AST_TryStar: {  /* same fields */
        VISIT_SEQ(b, stmt, s->f[F_Try_body].s);
        AstSeq *hs = s->f[F_Try_handlers].s;
        for (uint32_t i = 0, n_ = seq_len(hs); i < n_; i++) {
            AstNode *h = SEQ_AT(hs, i);
            if (h->f[F_ExceptHandler_type].n) VISIT(b, expr, h->f[F_ExceptHandler_type].n);
            if (h->f[F_ExceptHandler_name].id &&
                !add_def(b, h->f[F_ExceptHandler_name].id, DEF_LOCAL, AT(h)))
                return 0;
            VISIT_SEQ(b, stmt, h->f[F_ExceptHandler_body].s);
        }
        VISIT_SEQ(b, stmt, s->f[F_Try_orelse].s);
        VISIT_SEQ(b, stmt, s->f[F_Try_finalbody].s);
        break;
    }
    case AST_Assert:
        VISIT(b, expr, s->f[F_Assert_test].n);
        if (s->f[F_Assert_msg].n) VISIT(b, expr, s->f[F_Assert_msg].n);
        break;
    case AST_Import:
    case AST_ImportFrom: {
        AstSeq *names = s->f[s->kind == AST_Import ? F_Import_names : F_ImportFrom_names].s;
        for (uint32_t i = 0, n_ = seq_len(names); i < n_; i++)
            if (!visit_alias(b, SEQ_AT(names, i))) return 0;
        break;
    }
    case AST_Global:
    case AST_Nonlocal:
        if (!visit_directive(b, s, s->kind == AST_Global)) return 0;
        break;
    case AST_Expr:
        VISIT(b, expr, s->f[F_Expr_value].n);
        break;
    case AST_With:
    case AST_AsyncWith: {   /* same fields */
        AstSeq *items = s->f[F_With_items].s;
        for (uint32_t i = 0, n_ = seq_len(items); i < n_; i++) {
            AstNode *it = SEQ_AT(items, i);
            VISIT(b, expr, it->f[F_withitem_context_expr].n);
            if (it->f[F_withitem_optional_vars].n) VISIT(b, expr, it->f[F_withitem_optional_vars].n);
        }
        VISIT_SEQ(b, stmt, s->f[F_With_body].s);
        break;
    }
    default:   /* Pass, Break, Continue */
        break;
    }
    return 1;
}

/* A named expression inside a comprehension binds in the nearest enclosing function or
   module: the target is declared there (nonlocal or global in the comprehension). */
static int extend_namedexpr_scope(Builder *b, AstNode *e)
{
    const char *target = e->f[F_Name_id].id;
    for (int i = b->nstack - 1; i >= 0; i--) {
        StEntry *ste = b->stack[i];
        if (ste->comprehension) {
            long f = lookup_in(b, ste, target);
            if ((f & DEF_COMP_ITER) && (f & DEF_LOCAL))
                return st_syntax_error(b->err, LOC(e), "assignment expression cannot rebind "
                                       "comprehension iteration variable '%s'", target);
            continue;
        }
        if (ste->type == ST_FUNCTION) {
            long f = lookup_in(b, ste, target);
            if (!add_def(b, target, f & DEF_GLOBAL ? DEF_GLOBAL : DEF_NONLOCAL, AT(e)) ||
                !record_directive(b, target, AT(e)))
                return 0;
            return add_def_in(b, target, DEF_LOCAL, ste, AT(e));
        }
        if (ste->type == ST_MODULE) {
            if (!add_def(b, target, DEF_GLOBAL, AT(e)) || !record_directive(b, target, AT(e)))
                return 0;
            return add_def_in(b, target, DEF_GLOBAL, ste, AT(e));
        }
        static const char *const where[] = {
            [ST_CLASS] = "in a class body", [ST_TYPE_PARAMETERS] = "within the definition of a generic",
            [ST_TYPE_ALIAS] = "in a type alias", [ST_TYPE_VARIABLE_BOUND] = "in a TypeVar bound",
        };
        if (ste->type != ST_ANNOTATION && where[ste->type])
            return st_syntax_error(b->err, LOC(e), "assignment expression within a comprehension "
                                   "cannot be used %s", where[ste->type]);
    }
    return 1;   /* unreachable: the module ends every search */
}

static int visit_namedexpr(Builder *b, AstNode *e, int d)
{
    if (!check_not_annotation(b, "named expression", e)) return 0;
    if (b->cur->comp_iter_expr > 0)
        return st_syntax_error(b->err, LOC(e), "assignment expression cannot be used in a "
                               "comprehension iterable expression");
    if (b->cur->comprehension && !extend_namedexpr_scope(b, e->f[F_NamedExpr_target].n)) return 0;
    return visit_expr(b, e->f[F_NamedExpr_value].n, d) && visit_expr(b, e->f[F_NamedExpr_target].n, d);
}

static int visit_comprehension(Builder *b, AstNode *c, int d)
{
    b->cur->comp_iter_target = true;
    if (!visit_expr(b, c->f[F_comprehension_target].n, d)) return 0;
    b->cur->comp_iter_target = false;
    b->cur->comp_iter_expr++;
    if (!visit_expr(b, c->f[F_comprehension_iter].n, d)) return 0;
    b->cur->comp_iter_expr--;
    if (!visit_exprs(b, c->f[F_comprehension_ifs].s, d)) return 0;
    if (c->f[F_comprehension_is_async].i) b->cur->coroutine = true;
    return 1;
}

/* ListComp, SetComp, DictComp, GeneratorExp: the outermost iterable in the enclosing block,
   the rest in a function block of its own receiving that iterable as ".0". */
static int visit_comp(Builder *b, AstNode *e, int d)
{
    static const struct { const char *name; int comp; } kinds[] = {
        [AST_ListComp - AST_ListComp] = {"listcomp", COMP_LIST},
        [AST_SetComp - AST_ListComp] = {"setcomp", COMP_SET},
        [AST_DictComp - AST_ListComp] = {"dictcomp", COMP_DICT},
        [AST_GeneratorExp - AST_ListComp] = {"genexpr", COMP_GENEXP},
    };
    bool is_gen = e->kind == AST_GeneratorExp, is_dict = e->kind == AST_DictComp;
    AstSeq *gens = e->f[is_dict ? F_DictComp_generators : F_ListComp_generators].s;
    AstNode *outer = SEQ_AT(gens, 0);
    b->cur->comp_iter_expr++;
    if (!visit_expr(b, outer->f[F_comprehension_iter].n, d)) return 0;
    b->cur->comp_iter_expr--;
    if (!enter_block(b, kinds[e->kind - AST_ListComp].name, ST_FUNCTION, e, AT(e))) return 0;
    StEntry *c = b->cur;
    c->comprehension = kinds[e->kind - AST_ListComp].comp;
    if (outer->f[F_comprehension_is_async].i) c->coroutine = true;
    if (!add_def(b, ".0", DEF_PARAM, STE_AT(c))) return 0;
    c->comp_iter_target = true;
    if (!visit_expr(b, outer->f[F_comprehension_target].n, d)) return 0;
    c->comp_iter_target = false;
    if (!visit_exprs(b, outer->f[F_comprehension_ifs].s, d)) return 0;
    for (uint32_t i = 1; i < gens->n; i++)
        if (!visit_comprehension(b, SEQ_AT(gens, i), d)) return 0;
    if (is_dict && !visit_expr(b, e->f[F_DictComp_value].n, d)) return 0;
    if (!visit_expr(b, e->f[is_dict ? F_DictComp_key : F_ListComp_elt].n, d)) return 0;
    c->generator = is_gen;
    bool is_async = c->coroutine && !is_gen;
    exit_block(b);
    if (is_async) b->cur->coroutine = true;
    return 1;
}

static __attribute__((noinline)) int visit_name_slow(Builder *b, AstNode *e)
{
    bool load = e->f[F_Name_ctx].i == AST_Load;
    NameRec *r = add_def_rec(b, e->f[F_Name_id].id, load ? DEF_USE : DEF_LOCAL, b->cur, AT(e), true);
    if (!r) return 0;
    /* super() needs __class__ (a mangled name is never "super") */
    if (load && r == b->rec_super && st_is_function_like(b->cur) &&
        !add_def(b, "__class__", DEF_USE, AT(e)))
        return 0;
    return 1;
}

/* Most names: seen before in the block (the NameRec's cache finds them) or new in it (its
   bloom bits tell), neither mangled nor "super", outside a comprehension's target; anything
   else takes visit_name_slow. */
static int visit_name(Builder *b, AstNode *e)
{
    const char *id = e->f[F_Name_id].id;
    StEntry *cur = b->cur;
    if ((b->private_name && id[0] == '_' && id[1] == '_') || cur->comp_iter_target)
        return visit_name_slow(b, e);
    const IdentHead *h = ident_head(id);   /* (a Name's id is the parser's) */
    if (h->owner == b->blocks) {
        NameRec *r = h->user;
        BlockSyms *bs = syms_of(cur);
        if (r == b->rec_super) return visit_name_slow(b, e);
        intptr_t flag = e->f[F_Name_ctx].i == AST_Load ? DEF_USE : DEF_LOCAL;
        if (r->cbs == bs) {
            bs->vals[r->cidx] |= flag;
            return 1;
        }
        uint64_t bit = bloom_bit(r);
        if (!(bs->bloom & bit) && bs->n < bs->cap) {
            syms_push(bs, r, flag);   /* new in the block */
            return 1;
        }
    }
    return visit_name_slow(b, e);
}

static int visit_expr_node(Builder *b, AstNode *e, int d);

/* Names and constants, most of the expressions, without the call (when no level on the
   way can reach the limit). */
static inline int visit_expr(Builder *b, AstNode *e, int d)
{
    if (d < ST_RECURSION_LIMIT - 2) {
        /* in a.b and a.b.c only the innermost value has names: the levels skipped are
           counted to the depth of what is visited below them */
        int k = 0;
        for (; k < 2 && e->kind == AST_Attribute; k++) e = e->f[F_Attribute_value].n;
        if (e->kind == AST_Constant) return 1;
        if (e->kind == AST_Name) return visit_name(b, e);
        return visit_expr_node(b, e, d + k);
    }
    return visit_expr_node(b, e, d);
}

static int visit_expr_node(Builder *b, AstNode *e, int d)
{
    if (++d > ST_RECURSION_LIMIT) return too_deep(b);
    switch (e->kind) {
    case AST_NamedExpr:
        if (!visit_namedexpr(b, e, d)) return 0;
        break;
    case AST_BoolOp:
        VISIT_SEQ(b, expr, e->f[F_BoolOp_values].s);
        break;
    case AST_BinOp:
        VISIT(b, expr, e->f[F_BinOp_left].n);
        VISIT(b, expr, e->f[F_BinOp_right].n);
        break;
    case AST_UnaryOp:
        VISIT(b, expr, e->f[F_UnaryOp_operand].n);
        break;
    case AST_Lambda: {
        AstNode *args = e->f[F_Lambda_args].n;
        if (!visit_defaults(b, args, d) || !enter_block(b, "lambda", ST_FUNCTION, e, AT(e)) ||
            !visit_arguments(b, args))
            return 0;
        VISIT(b, expr, e->f[F_Lambda_body].n);
        exit_block(b);
        break;
    }
    case AST_IfExp:
        VISIT(b, expr, e->f[F_IfExp_test].n);
        VISIT(b, expr, e->f[F_IfExp_body].n);
        VISIT(b, expr, e->f[F_IfExp_orelse].n);
        break;
    case AST_Dict:
        VISIT_SEQ(b, expr, e->f[F_Dict_keys].s);
        VISIT_SEQ(b, expr, e->f[F_Dict_values].s);
        break;
    case AST_Set:
        VISIT_SEQ(b, expr, e->f[F_Set_elts].s);
        break;
    case AST_ListComp:
    case AST_SetComp:
    case AST_DictComp:
    case AST_GeneratorExp:
        if (!visit_comp(b, e, d)) return 0;
        break;
    case AST_Yield:
    case AST_YieldFrom:
        if (!check_not_annotation(b, "yield expression", e)) return 0;
        if (e->f[F_Yield_value].n) VISIT(b, expr, e->f[F_Yield_value].n);
        b->cur->generator = true;
        if (b->cur->comprehension) return yield_in_comprehension(b, e);
        break;
    case AST_Await:
        if (!check_not_annotation(b, "await expression", e)) return 0;
        VISIT(b, expr, e->f[F_Await_value].n);
        b->cur->coroutine = true;
        break;
    case AST_Compare:
        VISIT(b, expr, e->f[F_Compare_left].n);
        VISIT_SEQ(b, expr, e->f[F_Compare_comparators].s);
        break;
    case AST_Call:
        VISIT(b, expr, e->f[F_Call_func].n);
        VISIT_SEQ(b, expr, e->f[F_Call_args].s);
        if (!visit_keywords(b, e->f[F_Call_keywords].s, d)) return 0;
        break;
    case AST_FormattedValue:
        VISIT(b, expr, e->f[F_FormattedValue_value].n);
        if (e->f[F_FormattedValue_format_spec].n) VISIT(b, expr, e->f[F_FormattedValue_format_spec].n);
        break;
    case AST_JoinedStr:
        VISIT_SEQ(b, expr, e->f[F_JoinedStr_values].s);
        break;
    case AST_Attribute:
        VISIT(b, expr, e->f[F_Attribute_value].n);
        break;
    case AST_Subscript:
        VISIT(b, expr, e->f[F_Subscript_value].n);
        VISIT(b, expr, e->f[F_Subscript_slice].n);
        break;
    case AST_Starred:
        VISIT(b, expr, e->f[F_Starred_value].n);
        break;
    case AST_Slice:
        if (e->f[F_Slice_lower].n) VISIT(b, expr, e->f[F_Slice_lower].n);
        if (e->f[F_Slice_upper].n) VISIT(b, expr, e->f[F_Slice_upper].n);
        if (e->f[F_Slice_step].n) VISIT(b, expr, e->f[F_Slice_step].n);
        break;
    case AST_Name:
        if (!visit_name(b, e)) return 0;
        break;
    case AST_List:
    case AST_Tuple:   /* same fields */
        VISIT_SEQ(b, expr, e->f[F_List_elts].s);
        break;
    default:   /* Constant */
        break;
    }
    return 1;
}

/* The tables by text and by block at the size the module's length suggests (the stdlib's
   modules have a distinct name per 4 lines or fewer, a block per 11), not grown from the
   smallest by rehashing (the one by pointer holds only the names that are not the parser's
   identifiers: a few); false out of memory. */
static bool presize(Builder *b, const AstNode *mod)
{
    const AstSeq *body = mod->kind == AST_Module ? mod->f[F_Module_body].s : NULL;
    uint32_t lines = seq_len(body) ? (uint32_t)SEQ_AT(body, body->n - 1)->end_lineno : 0;
    uint32_t n = 128, nb = 64;
    while (n < lines / 2 && n < (1u << 20)) n *= 2;
    while (nb < lines / 4 && nb < (1u << 20)) nb *= 2;
    if (n > 128) {
        if (!(b->texts = empty_texts(b->a, n))) return false;
        b->texts_mask = n - 1;
    }
    if (nb > 64) {
        struct BlockSlot *slots = arena_alloc_raw(b->a, nb * sizeof *slots);
        if (!slots) return false;
        for (struct BlockSlot *p = slots, *end = slots + nb; p < end; p += 4)
            p[0].key = p[1].key = p[2].key = p[3].key = NULL;
        b->blocks->slots = slots, b->blocks->cap = nb;
    }
    return true;
}

Symtable *symtable_build(AstNode *mod, const CompileOptions *opt, FutureFeatures *ff, Arena *a,
                         cpyc_error *err)
{
    Symtable *st = arena_alloc(a, sizeof *st);
    BlockMap *blocks = arena_alloc(a, sizeof *blocks);
    if (!st || !blocks) { st_nomem(err); return NULL; }
    st->arena = a;
    st->filename = opt ? opt->filename : NULL;
    st->future = ff;
    st->impl = blocks;
    Builder b = {.a = a, .err = err, .future = ff, .blocks = blocks};
    if (mod->kind == AST_FunctionType) {
        error_at(err, CPYC_ERR_UNSUPPORTED, -1, "this compiler does not handle FunctionTypes");
        snprintf(err->exc_type, sizeof err->exc_type, "RuntimeError");
        return NULL;
    }
    if (!presize(&b, mod)) { st_nomem(err); return NULL; }
    if (!(b.rec_super = rec_of(&b, "super"))) { st_nomem(err); return NULL; }
    if (!enter_block(&b, "top", ST_MODULE, mod, (AstLoc){0, 0, 0, 0})) return NULL;
    st->top = b.top = b.cur;
    int ok = mod->kind == AST_Expression ? visit_expr(&b, mod->f[F_Expression_body].n, ST_RECURSION_START)
                                         : visit_stmts(&b, mod->f[F_Module_body].s, ST_RECURSION_START);
    if (!ok) return NULL;
    exit_block(&b);
    const cpyc_target *t = opt && opt->target ? opt->target : cpyc_target_by_name("3.13");
    NameRec *dunder_class = rec_of(&b, "__class__"), *dunder_classdict = rec_of(&b, "__classdict__");
    if (!dunder_class || !dunder_classdict) { st_nomem(err); return NULL; }
    if (!st_analyze(st->top, a, dunder_class, dunder_classdict, t, err) || !build_namemaps(&b))
        return NULL;
    return st;
}
