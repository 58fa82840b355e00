/* codegen.c - the code generator's core: the unit stack (enter/exit scope, qualnames), the
   emit helpers, name resolution (CPython's compiler_nameop), closures and the module entry. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "codegen_internal.h"

int cg_error(Compiler *c, SrcLoc loc, const char *fmt, ...)
{
    cpyc_error *err = c->err;
    if (!err) return -1;
    err->status = CPYC_ERR_SYNTAX;
    err->file = c->opt->filename;
    snprintf(err->exc_type, sizeof err->exc_type, "SyntaxError");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* the compiler reports 1-based byte columns */
    err->line = loc.lineno;
    err->col = loc.col + 1;
    err->end_line = loc.end_lineno;
    err->end_col = loc.end_col + 1;
    err->offset = -1;
    err->text_from = CPYC_TEXT_COMPILER;
    return -1;
}

int cg_nomem(Compiler *c)
{
    if (c->err && !c->err->msg[0]) error_at(c->err, CPYC_ERR_MEMORY, -1, "out of memory");
    return -1;
}

int cg_opi_grow(Compiler *c, SrcLoc loc, int op, int oparg)
{
    /* four times the room: the estimate of cg_enter_scope fell short, so the unit is dense
       and copying it again would cost more than the unused room */
    InstrSeq *s = &c->u->seq;
    int cap = s->cap ? s->cap * 4 : 64;
    Instr *p = arena_alloc_raw(s->arena, (size_t)cap * sizeof *p);
    if (!p) return cg_nomem(c);
    if (s->n) memcpy(p, s->instrs, (size_t)s->n * sizeof *p);
    s->instrs = p, s->cap = cap;
    return cg_opi(c, loc, op, oparg);
}

int cg_note_jump_grow(Compiler *c, int index)
{
    Unit *u = c->u;
    int cap = u->jumps_cap ? u->jumps_cap * 2 : 32;
    int *j = arena_alloc_raw(u->arena, (size_t)cap * sizeof *j);
    if (!j) return cg_nomem(c);
    if (u->njumps) memcpy(j, u->jumps, (size_t)u->njumps * sizeof *j);
    u->jumps = j, u->jumps_cap = cap;
    u->jumps[u->njumps++] = index;
    return 0;
}

int cg_label_grow(Compiler *c)
{
    InstrSeq *s = &c->u->seq;
    if (!s->labelmap_cap) {   /* the unit's first label: its room in the unit */
        memset(c->u->label_room, 0xff, sizeof c->u->label_room);   /* -1: not placed */
        s->labelmap = c->u->label_room, s->labelmap_cap = UNIT_LABELS;
        return s->next_label++;
    }
    int l = instrseq_new_label(s);
    return l < 0 ? cg_nomem(c) : l;
}

/* Code objects compare by content (CPython's code_richcompare): a definition compiled twice
   (the test of a while loop) is one constant, one object module-wide. Stand-ins carry a
   signature of their unit in CO_CODE, so the same comparison serves them. */
static bool code_equal(const Value *a, const Value *b)
{
    const Code *x = a->u.code, *y = b->u.code;
    static const CodeField ints[] = {CO_FIRSTLINENO, CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_FLAGS};
    static const CodeField objs[] = {CO_NAME, CO_CODE, CO_NAMES, CO_LOCALSPLUSNAMES,
                                     CO_LINETABLE, CO_EXCEPTIONTABLE};
    for (size_t i = 0; i < CPYC_COUNTOF(ints); i++)
        if (x->ival[ints[i]] != y->ival[ints[i]]) return false;
    for (size_t i = 0; i < CPYC_COUNTOF(objs); i++) {
        const Value *p = x->oval[objs[i]], *q = y->oval[objs[i]];
        if (p != q && (!p || !q || !const_key_equal(p, q))) return false;
    }
    /* The code objects among the constants are canonical already (inner units finish first):
       distinct ones differ, so comparing them by identity keeps nested lambdas linear. */
    const Value *p = x->oval[CO_CONSTS], *q = y->oval[CO_CONSTS];
    if (p == q) return true;
    if (!p || !q || p->kind != V_TUPLE || q->kind != V_TUPLE) return p && q && const_key_equal(p, q);
    if (p->u.seq.n != q->u.seq.n) return false;
    for (size_t k = 0; k < p->u.seq.n; k++) {
        const Value *u = p->u.seq.items[k], *v = q->u.seq.items[k];
        if (u != v && (u->kind == V_CODE || !const_key_equal(u, v))) return false;
    }
    return true;
}

/* A hash agreeing with code_equal: the first line and the name, code and line table. */
static uint64_t code_hash(const Value *v)
{
    const Code *x = v->u.code;
    uint64_t h = (uint32_t)x->ival[CO_FIRSTLINENO];
    static const CodeField objs[] = {CO_NAME, CO_CODE, CO_LINETABLE};
    for (size_t i = 0; i < CPYC_COUNTOF(objs); i++) {
        const Value *p = x->oval[objs[i]];
        h = (h ^ (p ? const_key_hash(p) : 1)) * 0x9e3779b97f4a7c15u;
    }
    return h ^ h >> 29;
}

static uint32_t *code_slot(Compiler *c, const Value *v, uint64_t h)
{
    uint32_t mask = (uint32_t)c->ncode_slots - 1, i = (uint32_t)h & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t *slot = &c->code_slots[i];
        if (!*slot || (c->code_hashes[*slot - 1] == h && code_equal(c->codes[*slot - 1], v))) return slot;
    }
}

/* The module's one code object equal to v (v itself when new); h agrees with code_equal. */
static Value *canonical_code(Compiler *c, Value *v, uint64_t h)
{
    if (!v->u.code) return v;
    uint32_t *slot = NULL;
    if (c->ncodes) {
        slot = code_slot(c, v, h);
        if (*slot) return c->codes[*slot - 1];
    }
    if (c->ncodes == c->codes_cap) {   /* (the slots move: v's is found again) */
        int cap = c->codes_cap ? c->codes_cap * 2 : c->codes_first_cap;
        Value **n = arena_alloc_raw(c->arena, (size_t)cap * sizeof *n);
        uint64_t *hs = arena_alloc_raw(c->arena, (size_t)cap * sizeof *hs);
        uint32_t *slots = arena_alloc(c->arena, (size_t)cap * 2 * sizeof *slots);
        if (!n || !hs || !slots) return NULL;
        if (c->ncodes) {
            memcpy(n, c->codes, (size_t)c->ncodes * sizeof *n);
            memcpy(hs, c->code_hashes, (size_t)c->ncodes * sizeof *hs);
        }
        c->codes = n, c->code_hashes = hs, c->code_slots = slots;
        c->codes_cap = cap, c->ncode_slots = cap * 2;
        for (int k = 0; k < c->ncodes; k++) *code_slot(c, c->codes[k], c->code_hashes[k]) = (uint32_t)k + 1;
        slot = NULL;
    }
    c->codes[c->ncodes] = v;
    c->code_hashes[c->ncodes] = h;
    *(slot ? slot : code_slot(c, v, h)) = (uint32_t)++c->ncodes;
    return v;
}

static uint32_t ptr_hash(const void *p)
{
    return (uint32_t)(((uintptr_t)p * 0x9e3779b97f4a7c15u) >> 32);
}

/* The index of m (the cache's object for its key, of key hash h) in the unit's constants,
   added when new. The cache makes one object of each key, so the unit finds its constants
   by object: m's Value.mark holds its index + 1 in the unit that added it last (refs.c's
   walks need the marks 0: codegen_module_view clears them), right when the unit's item
   there is m. Otherwise m may still be among the unit's items (a nested unit added it
   since): a scan of the few first, then a table by address, made at the first such search.
   None and Ellipsis, which the cache leaves as they are (v is m), by kind. */
enum { CONST_SCAN = 16 };

static void cref_put(ConstRef *t, uint32_t cap, const Value *m, int idx)
{
    uint32_t i = ptr_hash(m) & (cap - 1);
    while (t[i].key) i = (i + 1) & (cap - 1);
    t[i] = (ConstRef){m, idx};
}

/* (Re)builds the unit's table over its items; false out of memory. */
static bool cref_build(Unit *u, uint32_t cap)
{
    const ConstMap *consts = &u->meta.consts;
    ConstRef *t = arena_alloc_raw(u->arena, cap * sizeof *t);
    if (!t) return false;
    /* only key tells a free slot; four a turn (cap: 64 or more, a power of two) */
    for (ConstRef *p = t, *end = t + cap; p < end; p += 4)
        p[0].key = p[1].key = p[2].key = p[3].key = NULL;
    u->cref = t, u->cref_cap = cap;
    for (uint32_t k = 0; k < consts->n; k++) cref_put(t, cap, consts->items[k], (int)k);
    return true;
}

/* m's index among the unit's items, -1 when absent, -2 out of memory. */
static __attribute__((noinline)) int unit_const_find(Unit *u, const Value *m)
{
    const ConstMap *consts = &u->meta.consts;
    if (!u->cref) {   /* None and Ellipsis count among the items, but never match */
        if (consts->n <= CONST_SCAN) {
            for (uint32_t k = 0; k < consts->n; k++)
                if (consts->items[k] == m) return (int)k;
            return -1;
        }
        uint32_t cap = 4 * CONST_SCAN;
        while (cap < 2 * (consts->n + 1)) cap *= 2;
        if (!cref_build(u, cap)) return -2;
    }
    uint32_t mask = u->cref_cap - 1;
    for (uint32_t i = ptr_hash(m) & mask; u->cref[i].key; i = (i + 1) & mask)
        if (u->cref[i].key == m) return u->cref[i].idx;
    return -1;
}

static inline __attribute__((always_inline)) int unit_const_index(Compiler *c, const Value *v, Value *m, uint64_t h)
{
    Unit *u = c->u;
    ConstMap *consts = &u->meta.consts;
    int *single = v->kind == V_NONE ? &u->none_idx : v->kind == V_ELLIPSIS ? &u->ellipsis_idx : NULL;
    if (single) {
        if (!*single) {
            int idx = constmap_append(consts, m, h);
            if (idx < 0) return -1;
            *single = idx + 1;
        }
        return *single - 1;
    }
    uint32_t k = m->mark - 1;
    if (k < consts->n && consts->items[k] == m) return (int)k;
    int idx = m->mark ? unit_const_find(u, m) : -1;   /* unmarked: in no unit yet */
    if (idx < -1) return -1;
    if (idx < 0) {
        if ((idx = constmap_append(consts, m, h)) < 0) return -1;
        if (u->cref) {
            if (consts->n * 2 > u->cref_cap) {
                if (!cref_build(u, u->cref_cap * 2)) return -1;
            } else {
                cref_put(u->cref, u->cref_cap, m, idx);
            }
        }
    }
    m->mark = (uint32_t)idx + 1;
    return idx;
}

int cg_add_const(Compiler *c, Value *v)
{
    if (!v) return cg_nomem(c);
    uint64_t h;
    Value *m;
    if (v->kind == V_NONE || v->kind == V_ELLIPSIS) {   /* the cache leaves them as they are */
        int *single = v->kind == V_NONE ? &c->u->none_idx : &c->u->ellipsis_idx;
        if (*single) return *single - 1;
        m = v, h = const_key_hash(v);
    } else if (v->kind == V_CODE && !c->codegen_only) {
        /* an assembled code object's key hash agrees with code_equal, and canonical_code
           makes it the module's one object of its key: the cache, which no code object
           reaches otherwise (they are in no tuple codegen or the CFG makes), need not know */
        h = const_key_hash(v);
        m = canonical_code(c, v, h);
    } else if ((v->kind == V_INT && (uint32_t)v->u.i.ndigits <= 1 &&
                (!v->u.i.ndigits || v->u.i.digits[0] < SMALL_INTS)) || v->kind == V_FALSE || v->kind == V_TRUE) {
        /* the small ints and the bools recur most: their cache objects (one per key, for good)
           kept by value, the bools after the ints */
        CachedConst *k = c->small_ints;
        if (!k && !(k = c->small_ints = arena_alloc(c->arena, (SMALL_INTS + 2) * sizeof *k))) return cg_nomem(c);
        k += v->kind == V_INT ? (v->u.i.ndigits ? v->u.i.digits[0] : 0) : SMALL_INTS + (v->kind == V_TRUE);
        if (!k->m && (k->m = const_cache_merge_hashed(c->cc, v, &k->h)) == NULL) return cg_nomem(c);
        m = k->m, h = k->h;
    } else {
        if (v->kind == V_CODE && !(v = canonical_code(c, v, code_hash(v)))) return cg_nomem(c);
        m = const_cache_merge_hashed(c->cc, v, &h);
    }
    int i = m ? unit_const_index(c, v, m, h) : -1;
    return i < 0 ? cg_nomem(c) : i;
}

Value *cg_none(Compiler *c)
{
    return c->none ? c->none : (c->none = const_none(c->arena));
}

int cg_load_const(Compiler *c, SrcLoc loc, Value *v)
{
    int i = cg_add_const(c, v);
    RET(i);
    return cg_opi(c, loc, OP_LOAD_CONST, i);
}

int cg_add_none(Compiler *c)
{
    Unit *u = c->u;
    if (!u->none_idx) {   /* (the cache leaves None as it is: no merge) */
        Value *none = cg_none(c);
        if (!none) return cg_nomem(c);
        if (!c->none_hash) c->none_hash = const_key_hash(none);
        int idx = constmap_append(&u->meta.consts, none, c->none_hash);
        if (idx < 0) return cg_nomem(c);
        u->none_idx = idx + 1;
    }
    return u->none_idx - 1;
}

int cg_load_none_new(Compiler *c, SrcLoc loc)
{
    int i = cg_add_none(c);
    return i < 0 ? -1 : cg_opi(c, loc, OP_LOAD_CONST, i);
}

Value *cg_str(Compiler *c, const char *s) { return const_str(c->arena, s, strlen(s)); }

/* (identifiers and the mangled names live as long as the compilation's values) */
Value *cg_ident(Compiler *c, const char *s) { return const_name_ref(c->arena, s, strlen(s)); }

Value *cg_ident_id(Compiler *c, const char *id)
{
    Value *v = const_name_ref(c->arena, id, ident_head(id)->len);
    if (v) v->u.s.hash = ident_head(id)->hash;   /* (value_data_hash's) */
    return v;
}

Value *cg_mangled(Compiler *c, const char *mangled, const char *name)
{
    return mangled == name ? cg_ident(c, name) : cg_str(c, mangled);
}

/* Calls repeat their keywords (f(x, key=k) ...): the tuple of names is the same constant,
   which otherwise would be made, hashed and merged item by item each time. ids: the
   parser's identifiers. */
int cg_load_name_tuple(Compiler *c, SrcLoc loc, const char *const *ids, uint32_t n)
{
    uint64_t key = n;
    for (uint32_t i = 0; i < n; i++) key = (key ^ (uintptr_t)ids[i]) * 0x9e3779b97f4a7c15u;
    key ^= key >> 29;
    if ((c->nname_tuples + 1) * 2 > (c->name_tuples ? c->name_tuples_mask + 1 : 0)) {
        uint32_t cap = c->name_tuples ? (c->name_tuples_mask + 1) * 2 : 32;
        uint32_t oldn = c->name_tuples ? c->name_tuples_mask + 1 : 0;
        struct NameTuple *t = arena_alloc(c->arena, cap * sizeof *t), *old = c->name_tuples;
        if (!t) return cg_nomem(c);
        c->name_tuples = t, c->name_tuples_mask = cap - 1;
        for (uint32_t k = 0; k < oldn; k++) {
            if (!old[k].m) continue;
            uint32_t i = (uint32_t)old[k].key & (cap - 1);
            while (t[i].m) i = (i + 1) & (cap - 1);
            t[i] = old[k];
        }
    }
    uint32_t mask = c->name_tuples_mask, i = (uint32_t)key & mask;
    struct NameTuple *e;
    for (; (e = &c->name_tuples[i])->m; i = (i + 1) & mask)
        if (e->key == key && e->n == n && memcmp(e->ids, ids, n * sizeof *ids) == 0) break;
    if (!e->m) {   /* new: made and merged as cg_add_const would */
        Value **items = arena_alloc(c->arena, (n + 1) * sizeof *items);
        const char **copy = arena_alloc_raw(c->arena, (n + 1) * sizeof *copy);
        if (!items || !copy) return cg_nomem(c);
        for (uint32_t k = 0; k < n; k++)
            if (!(items[k] = cg_ident_id(c, ids[k]))) return cg_nomem(c);
        memcpy(copy, ids, n * sizeof *ids);
        uint64_t h;
        Value *v = const_tuple(c->arena, items, n);
        Value *m = v ? const_cache_merge_hashed(c->cc, v, &h) : NULL;
        if (!m) return cg_nomem(c);
        *e = (struct NameTuple){key, copy, n, m, h};
        c->nname_tuples++;
    }
    int idx = unit_const_index(c, e->m, e->m, e->h);
    return idx < 0 ? cg_nomem(c) : cg_opi(c, loc, OP_LOAD_CONST, idx);
}

int cg_load_ident(Compiler *c, SrcLoc loc, const char *id) { return cg_load_const(c, loc, cg_ident_id(c, id)); }

int cg_load_str(Compiler *c, SrcLoc loc, const char *s) { return cg_load_const(c, loc, cg_str(c, s)); }

int cg_load_int(Compiler *c, SrcLoc loc, int64_t v)
{
    /* an import's level, a class's first line: a small int the cache has is loaded as it is,
       with no value made for it */
    const CachedConst *k = c->small_ints && v >= 0 && v < SMALL_INTS ? &c->small_ints[v] : NULL;
    if (!k || !k->m) return cg_load_const(c, loc, const_int(c->arena, v));
    int i = unit_const_index(c, k->m, k->m, k->h);
    return i < 0 ? cg_nomem(c) : cg_opi(c, loc, OP_LOAD_CONST, i);
}

int cg_op_o(Compiler *c, SrcLoc loc, int op, NameMap *dict, const char *name)
{
    int i = namemap_add_index(dict, name);
    if (i < 0) return cg_nomem(c);
    return cg_opi(c, loc, op, i);
}

/* A name as the current unit sees it; only __names inside a class can be mangled, so the
   others skip the call. */
static const char *mangle(Compiler *c, const char *name)
{
    Unit *u = c->u;
    if (!u->private_name || name[0] != '_' || name[1] != '_') return name;
    return symtable_maybe_mangle(c->arena, u->private_name, u->ste, name);
}

/* The slot of name in the unit's resolutions, added (nothing known yet) when new; NULL when
   out of memory. */
static uint32_t res_hash(const char *name)
{
    return (uint32_t)(((uintptr_t)name * 0x9e3779b97f4a7c15u) >> 40);
}

/* A table of cap free resolutions (cap: 16 or more, a power of two): only the keys need to
   be NULL (a resolution is written whole when it takes a slot), far fewer stores than
   zeroing it; four a turn, as the loop's own instructions would outnumber the stores. */
static NameRes *res_table(Arena *a, uint32_t cap)
{
    NameRes *res = arena_alloc_raw(a, cap * sizeof *res);
    if (res)
        for (NameRes *p = res, *end = res + cap; p < end; p += 4)
            p[0].key = p[1].key = p[2].key = p[3].key = NULL;
    return res;
}

/* name_res when name is new and the table full: a slot for it, the table grown first. */
static NameRes *name_res_add(Unit *u, const char *name)
{
    if ((u->nres + 1) * 2 > u->res_cap) {
        /* at first room for the block's symbols (its names, mostly) and a few attributes */
        uint32_t cap = u->res_cap * 2;
        if (!cap)
            for (cap = 16; cap < 2 * (u->ste->symbols.n + 4); cap *= 2) {}
        uint32_t mask = cap - 1;
        NameRes *res = res_table(u->arena, cap);
        if (!res) return NULL;
        for (uint32_t j = 0; j < u->res_cap; j++) {
            if (!u->res[j].key) continue;
            uint32_t i = res_hash(u->res[j].key) & mask;
            while (res[i].key) i = (i + 1) & mask;
            res[i] = u->res[j];
        }
        u->res = res;
        u->res_cap = cap;
    }
    uint32_t mask = u->res_cap - 1, i = res_hash(name) & mask;
    while (u->res[i].key) i = (i + 1) & mask;
    NameRes *r = &u->res[i];
    *r = (NameRes){.key = name, .gen = 0, .names_arg = -1};
    u->nres++;
    return r;
}

static inline NameRes *name_res(Unit *u, const char *name)
{
    if (u->res_cap) {
        uint32_t mask = u->res_cap - 1;
        for (uint32_t i = res_hash(name) & mask;; i = (i + 1) & mask) {
            NameRes *r = &u->res[i];
            if (r->key == name) return r;
            if (!r->key) {
                if ((u->nres + 1) * 2 > u->res_cap) break;
                *r = (NameRes){.key = name, .gen = 0, .names_arg = -1};
                u->nres++;
                return r;
            }
        }
    }
    return name_res_add(u, name);
}

/* The unit's resolution of name, or NULL. */
static const NameRes *name_res_find(const Unit *u, const char *name)
{
    if (!u->res_cap) return NULL;
    uint32_t mask = u->res_cap - 1;
    for (uint32_t i = res_hash(name) & mask; u->res[i].key; i = (i + 1) & mask)
        if (u->res[i].key == name) return &u->res[i];
    return NULL;
}

enum { K_FAST, K_GLOBAL, K_DEREF, K_NAME };

/* compiler_nameop's choice of instruction family for a name of the given scope (the same
   as scan_symbols'). */
static int name_kind(Unit *u, int scope, const NameKey *mangled)
{
    switch (scope) {
    case SC_FREE: case SC_CELL: return K_DEREF;
    case SC_LOCAL:
        if (cg_is_function_like(u->ste) || namemap_get_key(&u->meta.fasthidden, mangled, 0) == 1)
            return K_FAST;
        return K_NAME;
    case SC_GLOBAL_IMPLICIT: return cg_is_function_like(u->ste) ? K_GLOBAL : K_NAME;
    case SC_GLOBAL_EXPLICIT: return K_GLOBAL;
    default: return K_NAME;
    }
}

static int cmp_key_at(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* dictbytype's keys: the names of symbols with the given scope or flag, sorted. Each is
   kept as its place in the block's symbols' keys, whose lengths and hashes it keeps too.
   keys has room for 32; past that *keys becomes an arena copy. */
typedef struct ScopeKeys { const char *const *stack[32], *const **keys; uint32_t n; } ScopeKeys;

static bool scope_key_add(Arena *a, ScopeKeys *k, const char *const *key, uint32_t room)
{
    if (k->n == CPYC_COUNTOF(k->stack)) {   /* many: a copy in the arena */
        const char *const **p = arena_alloc_raw(a, room * sizeof *p);
        if (!p) return false;
        memcpy(p, k->stack, sizeof k->stack);
        k->keys = p;
    }
    k->keys[k->n++] = key;
    return true;
}

static int set_scope_keys(Compiler *c, NameMap *out, ScopeKeys *k, int offset, const NameMap *sym)
{
    if (k->n > 1) qsort(k->keys, k->n, sizeof *k->keys, cmp_key_at);
    for (uint32_t i = 0; i < k->n; i++) {
        size_t at = (size_t)(k->keys[i] - sym->keys);   /* the symbol's length and hash */
        NameKey key = {sym->keys[at], sym->klen[at], sym->khash[at]};
        if (namemap_set_key(out, &key, offset + (int)i) < 0) return cg_nomem(c);
    }
    return 0;
}

/* The key of a class body's prologue or epilogue name, made at the first use. */
static const NameKey *class_key(Compiler *c, int which)
{
    static const char *const names[CK_COUNT] = {
        [CK_NAME] = "__name__", [CK_MODULE] = "__module__", [CK_QUALNAME] = "__qualname__",
        [CK_FIRSTLINENO] = "__firstlineno__", [CK_STATIC_ATTRIBUTES] = "__static_attributes__",
    };
    NameKey *k = &c->class_keys[which];
    if (!k->s) namemap_key(k, names[which]);
    return k;
}

/* A class's symbol that begins with "__": its bit in class_syms when it is one of the
   names cg_class_nameop writes. */
static __attribute__((noinline)) void note_class_sym(Compiler *c, const char *name, uint32_t len, uint32_t hash)
{
    for (int w = 0; w < CK_COUNT; w++) {
        const NameKey *k = class_key(c, w);
        if (k->hash == hash && k->len == len && memcmp(k->s, name, len) == 0) c->u->class_syms |= (uint8_t)(1u << w);
    }
}

/* A __dunder__ name, which mangling leaves as it is. */
static inline bool dunder(const char *name, uint32_t len)
{
    return len > 4 && name[len - 1] == '_' && name[len - 2] == '_';
}

/* One pass over the block's symbols for two things. The unit's resolutions start with
   them, by their keys (the parser's identifiers mostly, the pointers the names are written
   with): scope and kind are known from the flags, the text's length and hash are the symbol
   table's, so a name's first cg_nameop only adds it to its table. arg -1 - i: not in the
   table yet, symbol i. Names that may be mangled are left to nameop_resolve.
   And co_cellvars and co_freevars as dictbytype makes them: the cells numbered from 0,
   __class__ and __classdict__ after them when the block needs them, then the frees. */
static int scan_symbols(Compiler *c)
{
    Unit *u = c->u;
    CodeUnitMeta *m = &u->meta;
    const StEntry *ste = u->ste;
    const NameMap *sym = &ste->symbols;
    ScopeKeys cells, frees;
    cells.keys = cells.stack, frees.keys = frees.stack, cells.n = frees.n = 0;
    if (sym->n) {
        uint32_t cap = 16;
        /* the symbols and a few attributes, more in a longer unit (its sequence's room,
           16 a line, tells its length): name_res_add would grow the table by copying */
        while (cap < 2 * (sym->n + 8 + (uint32_t)u->seq.cap / 128)) cap *= 2;
        NameRes *res = res_table(u->arena, cap);
        if (!res) return cg_nomem(c);
        u->res = res, u->res_cap = cap;
        uint32_t mask = cap - 1, n = 0, nglobal = 0;
        bool private = u->private_name != NULL, is_class = ste->type == ST_CLASS;
        /* name_kind by scope (fasthidden is empty yet) */
        bool fl = cg_is_function_like(ste);
        uint8_t kind_of[16];
        memset(kind_of, K_NAME, sizeof kind_of);
        kind_of[SC_LOCAL] = fl ? K_FAST : K_NAME, kind_of[SC_GLOBAL_IMPLICIT] = fl ? K_GLOBAL : K_NAME;
        kind_of[SC_FREE] = kind_of[SC_CELL] = K_DEREF, kind_of[SC_GLOBAL_EXPLICIT] = K_GLOBAL;
        _Static_assert((K_GLOBAL & 1) && (K_NAME & 1) && !(K_FAST & 1) && !(K_DEREF & 1), "co_names kinds odd");
        for (uint32_t k = 0; k < sym->n; k++) {
            const char *name = sym->keys[k];
            int v = (int)sym->vals[k], scope = (v & SYM_SCOPE_MASK) >> SYM_SCOPE_OFFSET;
            if (__builtin_expect(scope >= SC_FREE || (v & (DEF_COMP_CELL | DEF_FREE_CLASS)), 0)) {
                if ((scope == SC_CELL || (v & DEF_COMP_CELL)) && !scope_key_add(m->cellvars.arena, &cells, &sym->keys[k], sym->n))
                    return cg_nomem(c);
                if ((scope == SC_FREE || (v & DEF_FREE_CLASS)) && !scope_key_add(m->freevars.arena, &frees, &sym->keys[k], sym->n))
                    return cg_nomem(c);
            }
            if (is_class && name[0] == '_' && name[1] == '_') note_class_sym(c, name, sym->klen[k], sym->khash[k]);
            if (private && name[0] == '_' && name[1] == '_' && !dunder(name, sym->klen[k])) continue;
            uint32_t i = res_hash(name) & mask;
            while (res[i].key) i = (i + 1) & mask;
            uint8_t kind = kind_of[scope];
            res[i] = (NameRes){.key = name, .gen = u->res_gen, .arg = -1 - (int)k, .names_arg = -1,
                               .scope = (uint8_t)scope, .kind = kind};
            nglobal += kind & 1;
            n++;
        }
        u->nres = n;
        /* co_names: room for the names of those kinds and a few attributes */
        if (nglobal && !namemap_reserve(&m->names, nglobal + 8)) return cg_nomem(c);
        /* the parameters are in varnames already, at their index in the block's */
        const NameMap *params = &ste->varnames;
        for (uint32_t k = 0; k < params->n && fl; k++) {
            const char *name = params->keys[k];
            for (uint32_t i = res_hash(name) & mask; res[i].key; i = (i + 1) & mask)
                if (res[i].key == name) {
                    if (res[i].kind == K_FAST) res[i].arg = (int)params->vals[k];
                    break;
                }
        }
    }
    if (cells.n) RET(set_scope_keys(c, &m->cellvars, &cells, 0, sym));   /* (mostly none of either) */
    if (ste->needs_class_closure && namemap_add_index(&m->cellvars, "__class__") < 0) return cg_nomem(c);
    if (ste->needs_classdict && namemap_add_index(&m->cellvars, "__classdict__") < 0) return cg_nomem(c);
    return frees.n ? set_scope_keys(c, &m->freevars, &frees, (int)m->cellvars.n, sym) : 0;
}

bool cg_imported(Compiler *c, const char *name)
{
    /* the module's symbols change only inside its inlined comprehensions (then its unit or
       one nested in it is the current one), so outside them the module's unit keeps the
       answer for every unit */
    Unit *top = c->top;
    NameRes *r = top->in_inlined_comp ? NULL : name_res(top, name);
    if (r && r->imported) return r->imported == 2;
    /* (st_symbol_flags by the key in name's IdentHead: its one caller's name is a Name's
       id, the parser's identifier) */
    const IdentHead *h = ident_head(name);
    NameKey k = {name, h->len, h->hash};
    bool imported = namemap_get_key(&c->st->top->symbols, &k, 0) & DEF_IMPORT;
    if (r) r->imported = imported ? 2 : 1;
    return imported;
}

/* The index of name (mangled) in co_names, added when new. ident: name is the parser's
   identifier, its length and hash in its IdentHead (most are a unit's first use of an
   attribute, and distinct in the file). */
static inline __attribute__((always_inline)) int names_index(Compiler *c, const char *name, bool ident)
{
    NameRes *r = name_res(c->u, name);
    if (!r) return -1;
    if (r->names_arg < 0) {
        const char *mangled = mangle(c, name);
        if (!mangled) return -1;
        NameKey k;
        if (ident && mangled == name) k = ident_key(name);
        else namemap_key(&k, mangled);
        r->names_arg = namemap_add_index_key(&c->u->meta.names, &k);
    }
    return r->names_arg;
}

/* op's real form and argument for co_names index arg. */
static inline __attribute__((always_inline)) int op_name_arg(Compiler *c, SrcLoc loc, int op, int arg)
{
    if (arg < 0) return cg_nomem(c);
    switch (op) {   /* the pseudo ops and the flag bits of their real forms */
    case OP_LOAD_ATTR: arg <<= 1; break;
    case OP_LOAD_METHOD: op = OP_LOAD_ATTR; arg = arg << 1 | 1; break;
    case OP_LOAD_SUPER_ATTR: arg = arg << 2 | 2; break;
    case OP_LOAD_SUPER_METHOD: op = OP_LOAD_SUPER_ATTR; arg = arg << 2 | 3; break;
    case OP_LOAD_ZERO_SUPER_ATTR: op = OP_LOAD_SUPER_ATTR; arg <<= 2; break;
    case OP_LOAD_ZERO_SUPER_METHOD: op = OP_LOAD_SUPER_ATTR; arg = arg << 2 | 1; break;
    default: break;
    }
    return cg_opi(c, loc, op, arg);
}

int cg_op_ident(Compiler *c, SrcLoc loc, int op, const char *id)
{
    return op_name_arg(c, loc, op, names_index(c, id, true));
}

int cg_op_name(Compiler *c, SrcLoc loc, int op, NameMap *dict, const char *name)
{
    int arg;
    if (dict == &c->u->meta.names) {
        arg = names_index(c, name, false);
    } else {
        const char *mangled = mangle(c, name);
        if (!mangled) return cg_nomem(c);
        arg = namemap_add_index(dict, mangled);
    }
    return op_name_arg(c, loc, op, arg);
}

bool cg_is_function_like(const StEntry *ste)
{
    return ste->type == ST_FUNCTION || ste->type == ST_TYPE_VARIABLE_BOUND ||
           ste->type == ST_TYPE_ALIAS || ste->type == ST_TYPE_PARAMETERS;
}

bool cg_top_level_await(Compiler *c)
{
    (void)c;    /* PyCF_ALLOW_TOP_LEVEL_AWAIT is never set for files */
    return false;
}

/* get_ref_type of the name of key k: a class's implicit __class__ and __classdict__ are
   cells. */
static int scope_of_key(Compiler *c, const NameKey *k)
{
    if (c->u->scope_type == SCOPE_CLASS &&
        (strcmp(k->s, "__class__") == 0 || strcmp(k->s, "__classdict__") == 0))
        return SC_CELL;
    return (int)(namemap_get_key(&c->u->ste->symbols, k, 0) >> SYM_SCOPE_OFFSET) & 15;   /* st_symbol_scope */
}

int cg_scope(Compiler *c, const char *name)
{
    NameKey k;
    namemap_key(&k, name);
    return scope_of_key(c, &k);
}

static bool forbidden_name(Compiler *c, SrcLoc loc, const char *name, int ctx)
{
    if (name[0] != '_' || name[1] != '_' || name[2] != 'd' || strcmp(name, "__debug__") != 0) return false;
    if (ctx == AST_Store) return cg_error(c, loc, "cannot assign to __debug__"), true;
    if (ctx == AST_Del) return cg_error(c, loc, "cannot delete __debug__"), true;
    return false;
}

/* cg_nameop when the name's instruction for ctx is not known yet (r: its resolution, NULL
   when it has none yet). */
static __attribute__((noinline)) int nameop_resolve_key(Compiler *c, SrcLoc loc, const char *name, int ctx,
                                                       NameRes *r, const NameKey *pre)
{
    Unit *u = c->u;
    if (!r && !(r = name_res(u, name))) return cg_nomem(c);
    if (ctx != AST_Load && forbidden_name(c, loc, name, ctx)) return -1;
    bool known = r->gen == u->res_gen;
    bool alone = true;   /* no prefix instruction: the choice can be kept */
    NameKey key = {0};   /* the mangled name, when not known */
    int scope, kind;
    if (known) {
        scope = r->scope, kind = r->kind;
        if (r->arg < 0) {   /* prefilled: symbol -1 - arg */
            const NameMap *sym = &u->ste->symbols;
            uint32_t i = (uint32_t)(-1 - r->arg);
            key = (NameKey){sym->keys[i], sym->klen[i], sym->khash[i]};
        }
    } else if (pre) {   /* never mangled */
        key = *pre;
        scope = (int)(namemap_get_key(&u->ste->symbols, &key, 0) >> SYM_SCOPE_OFFSET) & 15;
        kind = name_kind(u, scope, &key);
    } else {
        const char *mangled = mangle(c, name);
        if (!mangled) return cg_nomem(c);
        namemap_key(&key, mangled);
        scope = (int)(namemap_get_key(&u->ste->symbols, &key, 0) >> SYM_SCOPE_OFFSET) & 15;   /* st_symbol_scope */
        kind = name_kind(u, scope, &key);
    }
    NameMap *dict = kind == K_FAST ? &u->meta.varnames : scope == SC_FREE ? &u->meta.freevars
                    : scope == SC_CELL ? &u->meta.cellvars : &u->meta.names;
    int op = 0;
    switch (kind) {
    case K_DEREF:
        if (ctx == AST_Load) {
            if (u->ste->type == ST_CLASS && !u->in_inlined_comp) {
                op = OP_LOAD_FROM_DICT_OR_DEREF, alone = false;
                RET(cg_op(c, loc, OP_LOAD_LOCALS));
            } else if (u->ste->can_see_class_scope) {
                op = OP_LOAD_FROM_DICT_OR_DEREF, alone = false;
                RET(cg_op_o(c, loc, OP_LOAD_DEREF, &u->meta.freevars, "__classdict__"));
            } else {
                op = OP_LOAD_DEREF;
            }
        } else {
            op = ctx == AST_Store ? OP_STORE_DEREF : OP_DELETE_DEREF;
        }
        break;
    case K_FAST:
        op = ctx == AST_Load ? OP_LOAD_FAST : ctx == AST_Store ? OP_STORE_FAST : OP_DELETE_FAST;
        break;
    case K_GLOBAL:
        if (ctx == AST_Load) {
            if (u->ste->can_see_class_scope && scope == SC_GLOBAL_IMPLICIT) {
                op = OP_LOAD_FROM_DICT_OR_GLOBALS, alone = false;
                RET(cg_op_o(c, loc, OP_LOAD_DEREF, &u->meta.freevars, "__classdict__"));
            } else {
                op = OP_LOAD_GLOBAL;
            }
        } else {
            op = ctx == AST_Store ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL;
        }
        break;
    case K_NAME:
        if (ctx == AST_Load)
            op = u->ste->type == ST_CLASS && u->in_inlined_comp ? OP_LOAD_GLOBAL : OP_LOAD_NAME;
        else
            op = ctx == AST_Store ? OP_STORE_NAME : OP_DELETE_NAME;
        break;
    }
    int arg = r->arg;
    if (!known || arg < 0) {   /* the prefix ops above did not touch the resolutions: r still stands */
        if ((arg = namemap_add_index_key(dict, &key)) < 0) return cg_nomem(c);
        *r = (NameRes){.key = name, .gen = u->res_gen, .arg = arg, .scope = (uint8_t)scope,
                       .kind = (uint8_t)kind,
                       .names_arg = dict == &u->meta.names ? arg : r->names_arg};
    }
    if (alone && (unsigned)(ctx - AST_Load) < 3) r->op[ctx - AST_Load] = (uint16_t)op;
    if (op == OP_LOAD_GLOBAL) arg <<= 1;
    return cg_opi(c, loc, op, arg);
}

/* nameop_resolve_key without a key: six arguments, all in registers, so that cg_nameop
   and nameop_first reach it by a jump and need no frame of their own. */
static __attribute__((noinline)) int nameop_resolve(Compiler *c, SrcLoc loc, const char *name, int ctx,
                                                   NameRes *r)
{
    return nameop_resolve_key(c, loc, name, ctx, r, NULL);
}

/* nameop_resolve at a name's first use in ctx k (a Load, Store or Del), its resolution
   current (when prefilled, arg -1 - i: symbol i, not in its table yet), of a kind that
   needs no prefix instruction: a local of a function (varnames), a global or a name
   (co_names). */
static __attribute__((noinline)) int nameop_first(Compiler *c, SrcLoc loc, const char *name, NameRes *r,
                                                  unsigned k)
{
    Unit *u = c->u;
    int op;
    if (r->kind == K_FAST) {
        op = k == 0 ? OP_LOAD_FAST : k == 1 ? OP_STORE_FAST : OP_DELETE_FAST;
    } else if (r->kind == K_NAME) {
        op = k == 0 ? (u->ste->type == ST_CLASS && u->in_inlined_comp ? OP_LOAD_GLOBAL : OP_LOAD_NAME)
             : k == 1 ? OP_STORE_NAME : OP_DELETE_NAME;
    } else if (k != 0 || !u->ste->can_see_class_scope || r->scope != SC_GLOBAL_IMPLICIT) {
        op = k == 0 ? OP_LOAD_GLOBAL : k == 1 ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL;
    } else {
        return nameop_resolve(c, loc, name, AST_Load, r);
    }
    int arg = r->arg;
    if (arg < 0) {
        const NameMap *sym = &u->ste->symbols;
        uint32_t i = (uint32_t)(-1 - arg);
        NameKey key = {sym->keys[i], sym->klen[i], sym->khash[i]};
        arg = namemap_add_index_key(r->kind == K_FAST ? &u->meta.varnames : &u->meta.names, &key);
        if (arg < 0) return cg_nomem(c);
        r->arg = arg;
        if (r->kind != K_FAST) r->names_arg = arg;
    }
    r->op[k] = (uint16_t)op;
    return cg_opi(c, loc, op, op == OP_LOAD_GLOBAL ? arg << 1 : arg);
}

int cg_nameop(Compiler *c, SrcLoc loc, const char *name, int ctx)
{
    Unit *u = c->u;
    unsigned k = (unsigned)(ctx - AST_Load);
    NameRes *r = NULL;
    if (u->res_cap) {   /* as the last time: a probe and the instruction */
        uint32_t mask = u->res_cap - 1;
        for (uint32_t i = res_hash(name) & mask; u->res[i].key; i = (i + 1) & mask) {
            if (u->res[i].key != name) continue;
            r = &u->res[i];
            int op = k < 3 ? r->op[k] : 0;
            InstrSeq *s = &u->seq;
            if (!op && k < 3 && r->kind != K_DEREF && r->gen == u->res_gen &&
                (k == 0 || name[0] != '_' || name[1] != '_' || name[2] != 'd'))   /* (not __debug__: forbidden_name) */
                return nameop_first(c, loc, name, r, k);
            if (!op || r->gen != u->res_gen || s->n == s->cap) break;
            Instr *in = &s->instrs[s->n++];
            in->opcode = op, in->oparg = op == OP_LOAD_GLOBAL ? r->arg << 1 : r->arg, in->loc = loc;
            return 0;
        }
    }
    return nameop_resolve(c, loc, name, ctx, r);
}

int cg_class_nameop(Compiler *c, SrcLoc loc, int which, int ctx)
{
    const NameKey *k = class_key(c, which);
    Unit *u = c->u;
    if (!(u->class_syms >> which & 1) && u->ste->type == ST_CLASS && !u->in_inlined_comp) {
        /* not one of the class's symbols (most): nameop_resolve_key's plain name, by its
           index in co_names, with no lookup of its scope */
        int arg = namemap_add_index_key(&u->meta.names, k);
        if (arg < 0) return cg_nomem(c);
        return cg_opi(c, loc, ctx == AST_Load ? OP_LOAD_NAME : ctx == AST_Store ? OP_STORE_NAME : OP_DELETE_NAME, arg);
    }
    return nameop_resolve_key(c, loc, k->s, ctx, NULL, k);
}

int cg_push_fblock(Compiler *c, SrcLoc loc, FBlockType t, int block, int exit, const void *datum)
{
    Unit *u = c->u;
    if (u->nfblocks >= CO_MAXBLOCKS) return cg_error(c, loc, "too many statically nested blocks");
    u->fblock[u->nfblocks++] = (FBlock){t, block, loc, exit, datum};
    return 0;
}

void cg_pop_fblock(Compiler *c) { c->u->nfblocks--; }

/* ------------------------------------------------------------------ units */

/* base + ".<locals>" (when locals) + "." + name in arena memory, what joining them in turn
   would make, each measured once. */
static const char *qualname_join(Arena *arena, const char *base, size_t nbase, bool locals,
                                 const char *name, size_t nname, uint32_t *len)
{
    static const char loc[] = ".<locals>";
    size_t nloc = locals ? sizeof loc - 1 : 0;
    char *p = arena_alloc_raw(arena, nbase + nloc + nname + 2);
    if (!p) return NULL;
    *len = (uint32_t)(nbase + nloc + nname + 1);
    memcpy(p, base, nbase);
    if (locals) memcpy(p + nbase, loc, sizeof loc - 1);
    p[nbase + nloc] = '.';
    memcpy(p + nbase + nloc + 1, name, nname + 1);
    return p;
}

static int set_qualname(Compiler *c)
{
    Unit *u = c->u, *parent = u->parent;
    const char *base = NULL;
    bool locals = false;   /* base is followed by ".<locals>" */
    if (parent && parent->parent) {   /* more than the module below */
        if (parent->scope_type == SCOPE_TYPEPARAMS) {
            if (!parent->parent->parent) {
                u->meta.qualname = u->meta.name;
                return 0;
            }
            parent = parent->parent;
        }
        bool force_global = false;
        if (u->scope_type == SCOPE_FUNCTION || u->scope_type == SCOPE_ASYNC_FUNCTION ||
            u->scope_type == SCOPE_CLASS) {
            const char *nm = u->meta.name, *mangled =   /* (most names: no call) */
                parent->private_name && nm[0] == '_' && nm[1] == '_' ? symtable_mangle(c->arena, parent->private_name, nm) : nm;
            if (!mangled) return cg_nomem(c);
            /* the parent's resolution of the name has its scope, when it is current */
            const NameRes *r = mangled == u->meta.name ? name_res_find(parent, mangled) : NULL;
            int scope;
            if (r && r->gen == parent->res_gen) {
                scope = r->scope;
            } else if (mangled == u->meta.name && u->meta.name_len) {
                /* the parser's identifier: st_symbol_scope by its IdentHead's key */
                NameKey k = {mangled, u->meta.name_len, u->meta.name_hash};
                scope = (int)(namemap_get_key(&parent->ste->symbols, &k, 0) >> SYM_SCOPE_OFFSET) & 15;
            } else {
                scope = st_symbol_scope(parent->ste, mangled);
            }
            if (scope == SC_GLOBAL_EXPLICIT) force_global = true;
        }
        if (!force_global) {
            base = parent->meta.qualname;
            locals = parent->scope_type == SCOPE_FUNCTION || parent->scope_type == SCOPE_ASYNC_FUNCTION ||
                     parent->scope_type == SCOPE_LAMBDA;
        }
    }
    if (base) {
        size_t nname = u->meta.name_len ? u->meta.name_len : strlen(u->meta.name);
        /* base's length as the parent knows it: joined here, or its name's */
        const CodeUnitMeta *pm = &parent->meta;
        size_t nbase = pm->qualname_len ? pm->qualname_len
                       : base == pm->name && pm->name_len ? pm->name_len : strlen(base);
        u->meta.qualname = qualname_join(c->arena, base, nbase, locals, u->meta.name, nname, &u->meta.qualname_len);
    } else {
        u->meta.qualname = u->meta.name;
    }
    return u->meta.qualname ? 0 : cg_nomem(c);
}

/* The arena of a unit's working memory: the sub arena of its parent's (of the file's for
   the module), reset here since the unit last there is gone, its code object built and its
   closure made. So memory peaks at one unit per nesting level, not the file's sum. Kept views
   share the units' maps: then everything stays in the file's arena. */
static Arena *unit_arena(Compiler *c)
{
    if (c->keep_views) return c->arena;
    Arena *a = arena_sub(c->u ? c->u->arena : c->arena);
    if (a) arena_reset(a);
    return a;
}

/* A zeroed unit but for its frame blocks (most of its size, read only below nfblocks). */
static Unit *unit_new(Arena *a)
{
    Unit *u = arena_alloc_raw(a, sizeof *u);
    if (u) memset(u, 0, offsetof(Unit, fblock));
    return u;
}

/* cg_enter_scope and cg_enter_scope_id: head is the name's IdentHead when the name is the
   parser's identifier, else NULL. */
static int enter_scope(Compiler *c, const char *name, const IdentHead *head, int scope_type,
                       const void *key, int lineno)
{
    SrcLoc loc = {lineno, lineno, 0, 0};
    Arena *ua = unit_arena(c);
    Unit *u = ua ? unit_new(ua) : NULL;
    if (!u) return cg_nomem(c);
    u->arena = ua;
    u->scope_type = scope_type;
    u->ste = symtable_lookup_after(c->st, c->last_ste, key);
    if (!u->ste)
        return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: no symbol table block for %s", name);
    c->last_ste = u->ste;
    CodeUnitMeta *m = &u->meta;
    m->name = name;
    if (head) m->name_len = head->len, m->name_hash = head->hash;
    /* (the unit is zeroed: namemap_init and constmap_init would only set the arenas) */
    m->cellvars.arena = m->freevars.arena = m->names.arena = m->fasthidden.arena = ua;
    m->consts.arena = c->arena;   /* the CFG makes its folded constants in its arena */
    m->consts.items = u->const_items, m->consts.hashes = u->const_hashes, m->consts.cap = UNIT_CONSTS;
    /* the parameters, valued by index as in the symbol table */
    /* with room for the block's locals, all among its symbols */
    uint32_t room = cg_is_function_like(u->ste) ? u->ste->symbols.n : 0;
    if (!namemap_copy_room(&m->varnames, &u->ste->varnames, ua, room)) return cg_nomem(c);
    m->firstlineno = lineno;
    if (scope_type == SCOPE_CLASS) {
        u->static_attrs = arena_alloc(ua, sizeof *u->static_attrs);
        if (!u->static_attrs) return cg_nomem(c);
        namemap_init(u->static_attrs, ua);
    }
    instrseq_init(&u->seq, ua);
    /* room for the unit's likely length (functions average 5 instructions a line, but one
       in twenty passes 8 and few pass 16), so the sequence rarely grows by copying: the
       room is the unit arena's, reset for the next unit, and only what is written is
       touched */
    int lines = u->ste->end_lineno - u->ste->lineno + 1, cap;
    if (scope_type == SCOPE_MODULE) {
        /* the module's block has no lines of its own: the body's, at fewer a line (the
           definitions are units of their own) */
        const AstSeq *body = ((const AstNode *)key)->kind == AST_Module ? FS((const AstNode *)key, Module, body) : NULL;
        lines = seq_len(body) ? seq_at(body, body->n - 1)->end_lineno : 0;
        cap = lines < 32 ? 64 : lines > 4096 ? 8192 : 2 * lines;
    } else {
        cap = lines < 4 ? 64 : lines > 512 ? 8192 : 16 * lines;
    }
    if (!(u->seq.instrs = arena_alloc_raw(ua, (size_t)cap * sizeof(Instr)))) return cg_nomem(c);
    u->seq.cap = cap;
    if (c->u) u->private_name = c->u->private_name;
    u->parent = c->u;
    u->res_gen = u->gen_count = 1;
    c->u = u;
    c->nestlevel++;
    RET(scan_symbols(c));
    if (scope_type == SCOPE_MODULE) {
        loc.lineno = 0;
        m->qualname = NULL;
    } else {
        RET(set_qualname(c));
    }
    return cg_opi(c, loc, OP_RESUME, RESUME_AT_FUNC_START);
}

int cg_enter_scope(Compiler *c, const char *name, int scope_type, const void *key, int lineno)
{
    return enter_scope(c, name, NULL, scope_type, key, lineno);
}

int cg_enter_scope_id(Compiler *c, const char *id, int scope_type, const void *key, int lineno)
{
    return enter_scope(c, id, ident_head(id), scope_type, key, lineno);
}

void cg_abandon_scope(Compiler *c)
{
    c->u = c->u->parent;
    c->nestlevel--;
}

static int code_flags(Compiler *c)
{
    const StEntry *ste = c->u->ste;
    int flags = 0;
    if (cg_is_function_like(ste)) {
        flags |= CO_NEWLOCALS | CO_OPTIMIZED;
        if (ste->nested) flags |= CO_NESTED;
        if (ste->generator && !ste->coroutine) flags |= CO_GENERATOR;
        if (!ste->generator && ste->coroutine) flags |= CO_COROUTINE;
        if (ste->generator && ste->coroutine) flags |= CO_ASYNC_GENERATOR;
        if (ste->varargs) flags |= CO_VARARGS;
        if (ste->varkeywords) flags |= CO_VARKEYWORDS;
    }
    return flags | (int)c->future.features;
}

/* The view of a finished unit: its sequence with labels resolved, appended to the parent's. */
static int keep_view(Compiler *c, Unit *u)
{
    CodegenView *v = arena_alloc(c->arena, sizeof *v);
    if (!v) return cg_nomem(c);
    v->meta = u->meta;
    v->seq = u->seq;
    v->seq.instrs = u->seq.n ? arena_memdup(c->arena, u->seq.instrs, (size_t)u->seq.n * sizeof(Instr)) : NULL;
    v->seq.cap = u->seq.n;
    if (u->seq.n && !v->seq.instrs) return cg_nomem(c);
    if (instrseq_apply_labels(&v->seq) < 0)
        return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: a jump to an unplaced label in %s",
                        u->meta.name);
    if (u->view) {   /* the nested views gathered so far */
        v->nested = u->view->nested;
        v->nnested = u->view->nnested;
        v->nested_cap = u->view->nested_cap;
    }
    u->view = v;
    Unit *p = u->parent;
    if (!p) return 0;
    if (!p->view && !(p->view = arena_alloc(c->arena, sizeof *p->view))) return cg_nomem(c);
    CodegenView *pv = p->view;
    if (pv->nnested == pv->nested_cap) {
        int cap = pv->nested_cap ? pv->nested_cap * 2 : 4;
        CodegenView **n = arena_alloc(c->arena, (size_t)cap * sizeof *n);
        if (!n) return cg_nomem(c);
        if (pv->nnested) memcpy(n, pv->nested, (size_t)pv->nnested * sizeof *n);
        pv->nested = n;
        pv->nested_cap = cap;
    }
    pv->nested[pv->nnested++] = v;
    return 0;
}

/* What a stand-in's equality stands for: its unit's instructions, names and constants. */
static Value *standin_signature(Compiler *c, const Unit *u)
{
    Buf b = {0};
    const CodeUnitMeta *m = &u->meta;
    buf_printf(&b, "%s\n%s\n%d %d %d %d\n", m->name, m->qualname ? m->qualname : "", m->firstlineno,
               m->argcount, m->posonlyargcount, m->kwonlyargcount);
    const NameMap *maps[] = {&m->names, &m->varnames, &m->cellvars, &m->freevars};
    for (int k = 0; k < 4; k++) {
        for (uint32_t i = 0; i < maps[k]->n; i++) buf_printf(&b, "%s,", maps[k]->keys[i]);
        buf_byte(&b, '\n');
    }
    for (uint32_t i = 0; i < m->consts.n; i++) {
        const Value *k = m->consts.items[i];
        if (k->kind == V_CODE) buf_printf(&b, "<code %p>", (const void *)k);
        else repr_value(&b, k);
        buf_byte(&b, ',');
    }
    for (int i = 0; i < u->seq.n; i++) {
        const Instr *in = &u->seq.instrs[i];
        buf_printf(&b, "%d %d %d %d %d %d\n", in->opcode, in->oparg, in->loc.lineno, in->loc.end_lineno,
                   in->loc.col, in->loc.end_col);
    }
    Value *v = b.failed ? NULL : const_bytes(c->arena, b.data, b.len);
    buf_free(&b);
    return v;
}

/* A stand-in code object when no assembly runs: a V_CODE value naming its unit. */
static Value *standin_code(Compiler *c, const Unit *u)
{
    const CodeUnitMeta *m = &u->meta;
    Value *v = value_new(c->arena, V_CODE, 'c');
    Code *code = arena_alloc(c->arena, sizeof *code);
    if (!v || !code) return NULL;
    code->target = c->opt->target;
    code->oval[CO_NAME] = cg_str(c, m->name);
    code->oval[CO_QUALNAME] = cg_str(c, m->qualname ? m->qualname : m->name);
    code->ival[CO_FIRSTLINENO] = m->firstlineno;
    if (!(code->oval[CO_CODE] = standin_signature(c, u))) return NULL;
    v->u.code = code;
    return v;
}

static Value *assemble_unit(Compiler *c, Unit *u, int flags)
{
    InstrSeq seq = u->seq;   /* the view keeps its own copy */
    /* instrseq_apply_labels, on the jumps cg_jump noted rather than every instruction */
    for (int k = 0; k < u->njumps; k++) {
        Instr *in = &seq.instrs[u->jumps[k]];
        if (in->oparg < 0 || in->oparg >= seq.next_label || seq.labelmap[in->oparg] < 0) {
            error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: a jump to an unplaced label");
            return NULL;
        }
        in->oparg = seq.labelmap[in->oparg];
    }
    seq.next_label = 0, seq.labelmap = NULL, seq.labelmap_cap = 0;
    int nlocals = (int)u->meta.varnames.n, nparams = (int)u->ste->varnames.n;
    CompileStats *st = c->opt->stats;
    double t0 = st ? compile_unit_now() : 0, t1 = 0;
    const cpyc_target *t = c->opt->target;
    if (cfg_optimize(t, &seq, &u->meta.consts, c->cc, nlocals, nparams, u->meta.firstlineno, c->err) < 0)
        return NULL;
    InstrSeq final;
    instrseq_init(&final, u->arena);
    int depth = 0, nlocalsplus = 0;
    if (cfg_finish(&seq, &u->meta, flags, &final, &depth, &nlocalsplus, c->err) < 0) return NULL;
    if (st) t1 = compile_unit_now(), st->cfg += t1 - t0;
    Value *code = assemble_code(t, &final, &u->meta, c->cc, depth, nlocalsplus, flags,
                                &c->file, c->arena, c->err);
    if (st) st->assemble += compile_unit_now() - t1;
    return code;
}

Value *cg_exit_scope(Compiler *c, int add_return, CodeUnitMeta **meta)
{
    Unit *u = c->u;
    if (add_return >= 0) {
        if (add_return && cg_load_none(c, NO_LOC) < 0) return NULL;
        if (cg_op(c, NO_LOC, OP_RETURN_VALUE) < 0) return NULL;
    }
    int flags = code_flags(c);
    if (c->keep_views) {
        /* copy before the CFG passes touch the sequence */
        if (keep_view(c, u) < 0) return NULL;
    }
    Value *co = c->codegen_only ? standin_code(c, u) : assemble_unit(c, u, flags);
    if (!co) {
        if (!c->err->msg[0]) cg_nomem(c);
        return NULL;
    }
    if (meta) *meta = &u->meta;
    cg_abandon_scope(c);
    return co;
}

int cg_make_closure(Compiler *c, SrcLoc loc, Value *co, const CodeUnitMeta *m, int flags)
{
    uint32_t nfree = m->freevars.n;
    if (nfree) {
        Unit *u = c->u;
        for (uint32_t i = 0; i < nfree; i++) {
            /* cg_scope and the index by the key the nested unit's map keeps (its length and
               hash known) */
            NameKey k = namemap_key_at(&m->freevars, i);
            const char *name = k.s;
            int reftype = scope_of_key(c, &k);
            const NameMap *d = reftype == SC_CELL ? &u->meta.cellvars : &u->meta.freevars;
            int arg = (int)namemap_get_key(d, &k, -1);
            if (arg < 0)
                return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1,
                                "codegen: free variable %s of %s not found in %s", name, m->name,
                                c->u->meta.name);
            RET(cg_opi(c, loc, OP_LOAD_CLOSURE, arg));
        }
        flags |= MAKE_FUNCTION_CLOSURE;
        RET(cg_opi(c, loc, OP_BUILD_TUPLE, (int)nfree));
    }
    RET(cg_load_const(c, loc, co));
    RET(cg_op(c, loc, OP_MAKE_FUNCTION));
    if (!flags) return 0;   /* (most functions) */
    static const int order[] = {MAKE_FUNCTION_CLOSURE, MAKE_FUNCTION_ANNOTATIONS,
                                MAKE_FUNCTION_KWDEFAULTS, MAKE_FUNCTION_DEFAULTS};
    for (int i = 0; i < 4; i++)
        if (flags & order[i]) RET(cg_opi(c, loc, OP_SET_FUNCTION_ATTRIBUTE, order[i]));
    return 0;
}

int cg_wrap_in_stopiteration_handler(Compiler *c)
{
    int handler = cg_label(c);
    RET(handler);
    if (instrseq_insert(&c->u->seq, 0, OP_SETUP_CLEANUP, handler, NO_LOC) < 0) return cg_nomem(c);
    Unit *u = c->u;   /* the jumps move down one place, and the new one is first */
    for (int i = 0; i < u->njumps; i++) u->jumps[i]++;
    if (u->njumps == u->jumps_cap) RET(cg_note_jump_grow(c, 0));
    else u->jumps[u->njumps++] = 0;
    RET(cg_load_none(c, NO_LOC));
    RET(cg_op(c, NO_LOC, OP_RETURN_VALUE));
    RET(cg_use_label(c, handler));
    RET(cg_opi(c, NO_LOC, OP_CALL_INTRINSIC_1, INTRINSIC_STOPITERATION_ERROR));
    return cg_opi(c, NO_LOC, OP_RERAISE, 1);
}

/* ------------------------------------------------------------------ entry */

Value *codegen_module_view(AstNode *mod, Symtable *st, const CompileOptions *opt,
                           const FutureFeatures *ff, ConstCache *cc, Arena *a,
                           bool codegen_only, CodegenView **view, cpyc_error *err)
{
    Compiler c = {
        .arena = a, .st = st, .future = *ff, .opt = opt, .optimize = opt->optimize, .cc = cc,
        .err = err, .keep_views = view != NULL, .codegen_only = codegen_only,
    };
    if (view) *view = NULL;
    /* a code object per block at most (the module's is no constant): room for them at once */
    uint32_t nblocks = symtable_block_count(st);
    for (c.codes_first_cap = 64; (uint32_t)c.codes_first_cap < nblocks && c.codes_first_cap < (1 << 20);)
        c.codes_first_cap *= 2;
    c.file.len = strlen(opt->filename);
    char *fcopy = arena_alloc_raw(a, c.file.len + 1);
    if (!fcopy) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory"), NULL;
    c.file.s = memcpy(fcopy, opt->filename, c.file.len + 1);
    c.file.hash = value_bytes_hash((const uint8_t *)fcopy, c.file.len);
    if (cg_enter_scope(&c, "<module>", SCOPE_MODULE, mod, 1) < 0) return NULL;
    Unit *top = c.top = c.u;
    SrcLoc loc = {1, 1, 0, 0};
    if (cg_body(&c, loc, FS(mod, Module, body)) < 0) return NULL;
    Value *co = cg_exit_scope(&c, 1, NULL);
    const_cache_clear_marks(cc);   /* the marks unit_const_index left */
    for (int k = 0; k < c.ncodes; k++) c.codes[k]->mark = 0;
    if (co) co->u.code->units = c.codes, co->u.code->nunits = (uint32_t)c.ncodes;
    if (co && view) *view = top->view;
    return co;
}

Value *codegen_module(AstNode *mod, Symtable *st, const CompileOptions *opt,
                      const FutureFeatures *ff, ConstCache *cc, Arena *a, cpyc_error *err)
{
    return codegen_module_view(mod, st, opt, ff, cc, a, false, NULL, err);
}
