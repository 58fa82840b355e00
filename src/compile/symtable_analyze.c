/* symtable_analyze.c - the symbol table's second pass: the scope of every name (local, global,
   free, cell), cells for closures, inlined comprehensions (PEP 709), as CPython 3.13's
   analyze_block decides them. The sets behave exactly as Python's sets (same probing, resizes
   and dummies) because a set's order decides the order free names join a block's symbols. */
#include <stdlib.h>
#include <string.h>

#include "symtable_int.h"

/* ---------------------------------------------------------------------- Python sets */

typedef struct SetEntry {
    const char *key;        /* NULL: never used; set_dummy: deleted */
    int64_t hash;           /* -1 for a deleted entry */
} SetEntry;

typedef struct NameSet {
    SetEntry *table;
    size_t mask, fill, used;    /* fill counts deleted entries too */
    SetEntry *small;            /* the SET_MINSIZE table it started with (scratch memory) */
    struct NameSet *next_spare;
} NameSet;

enum { SET_MINSIZE = 8, LINEAR_PROBES = 9, PERTURB_SHIFT = 5 };
static const char set_dummy[] = "<dummy>";

/* Names' str hashes by the name's address: SipHash per set operation was the pass's main
   cost, and the same identifier strings come back at every level. */
typedef struct HashCache {
    const char **keys;
    int64_t *hashes;
    size_t mask, used;      /* mask + 1 slots (0: no table yet) */
} HashCache;

typedef struct Analyzer {
    Arena *scratch;             /* the scope arrays and the sets, freed when the pass ends */
    const cpyc_target *target;  /* str hashes as the oracle's (PYTHONHASHSEED=0) */
    cpyc_error *err;
    bool oom;
    HashCache *hc;
    /* sets done with, for reuse: every block makes nine and most stay at the smallest size
       (their tables: SET_MINSIZE entries); tables grown larger go back to the heap */
    struct NameSet *spare;
} Analyzer;

static int64_t str_hash_compute(const Analyzer *an, const char *s)
{
    size_t len = 0;
    unsigned high = 0;
    for (; s[len]; len++) high |= (unsigned char)s[len];
    if (high < 0x80) return cpyc_hash_bytes(an->target, s, len);   /* ASCII: the str's bytes */
    int64_t h = 0;
    if (cpyc_hash_str_utf8(an->target, s, len, &h) != 0) {
        uint64_t x = 1469598103934665603ull;   /* not UTF-8: any stable hash will do */
        for (const char *p = s; *p; p++) x = (x ^ (uint8_t)*p) * 1099511628211ull;
        h = (int64_t)(x >> 1);
    }
    return h;
}

static size_t ptr_slot(const char *s, size_t mask)
{
    uint64_t x = (uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 32) & mask;
}

static bool hc_grow(HashCache *c)
{
    size_t n = c->mask ? (c->mask + 1) * 2 : 256;
    const char **keys = calloc(n, sizeof *keys);
    int64_t *hashes = malloc(n * sizeof *hashes);
    if (!keys || !hashes) { free(keys); free(hashes); return false; }
    for (size_t i = 0; c->mask && i <= c->mask; i++) {
        if (!c->keys[i]) continue;
        size_t j = ptr_slot(c->keys[i], n - 1);
        while (keys[j]) j = (j + 1) & (n - 1);
        keys[j] = c->keys[i], hashes[j] = c->hashes[i];
    }
    free(c->keys);
    free(c->hashes);
    c->keys = keys, c->hashes = hashes, c->mask = n - 1;
    return true;
}

static int64_t str_hash(const Analyzer *an, const char *s)
{
    HashCache *c = an->hc;
    if ((c->used + 1) * 2 > c->mask + 1 && !hc_grow(c)) return str_hash_compute(an, s);
    size_t i = ptr_slot(s, c->mask);
    while (c->keys[i]) {
        if (c->keys[i] == s) return c->hashes[i];
        i = (i + 1) & c->mask;
    }
    c->keys[i] = s;
    c->used++;
    return c->hashes[i] = str_hash_compute(an, s);
}

static NameSet *set_new(Analyzer *an)
{
    NameSet *s = an->spare;
    if (s) {
        an->spare = s->next_spare;
        memset(s->small, 0, SET_MINSIZE * sizeof *s->small);
    } else {
        s = arena_alloc_raw(an->scratch, sizeof *s);
        SetEntry *small = s ? arena_alloc(an->scratch, SET_MINSIZE * sizeof *small) : NULL;
        if (!small) {
            an->oom = true;
            return NULL;
        }
        s->small = small;
    }
    s->table = s->small;
    s->mask = SET_MINSIZE - 1;
    s->fill = s->used = 0;
    return s;
}

static void set_free(Analyzer *an, NameSet *s)
{
    if (!s) return;
    if (s->table != s->small) free(s->table);
    s->next_spare = an->spare;
    an->spare = s;
}


static bool same_key(const SetEntry *e, const char *key, int64_t hash)
{
    return e->hash == hash && e->key != set_dummy && (e->key == key || strcmp(e->key, key) == 0);
}

/* The entry holding key, or the unused entry that ends its probe sequence. */
static SetEntry *set_lookkey(const NameSet *s, const char *key, int64_t hash)
{
    size_t mask = s->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        SetEntry *e = &s->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->hash == 0 && !e->key) return e;
            if (same_key(e, key, hash)) return e;
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void set_insert_clean(SetEntry *table, size_t mask, const char *key, int64_t hash)
{
    size_t i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        SetEntry *e = &table[i];
        if (!e->key) { e->key = key, e->hash = hash; return; }
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (!e->key) { e->key = key, e->hash = hash; return; }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static bool set_resize(Analyzer *an, NameSet *s, size_t minused)
{
    size_t newsize = SET_MINSIZE;
    while (newsize <= minused) newsize <<= 1;
    if (newsize == SET_MINSIZE && s->mask == SET_MINSIZE - 1 && s->fill == s->used)
        return true;   /* small already and no dummies to purge */
    SetEntry *old = s->table, *table, copy[SET_MINSIZE];
    bool heap_old = old != s->small;
    if (newsize == SET_MINSIZE) {   /* back to (or purged in) the small table */
        if (!heap_old) old = memcpy(copy, old, sizeof copy);
        table = memset(s->small, 0, sizeof copy);
    } else if (!(table = calloc(newsize, sizeof *table))) {
        an->oom = true;
        return false;
    }
    size_t oldmask = s->mask;
    s->table = table;
    s->mask = newsize - 1;
    s->fill = s->used;
    for (size_t i = 0; i <= oldmask; i++)
        if (old[i].key && old[i].key != set_dummy) set_insert_clean(table, s->mask, old[i].key, old[i].hash);
    if (heap_old) free(old);
    return true;
}

static bool set_add_hashed(Analyzer *an, NameSet *s, const char *key, int64_t hash)
{
    size_t mask = s->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    SetEntry *freeslot = NULL, *e;
    for (;;) {
        e = &s->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->hash == 0 && !e->key) goto unused;
            if (same_key(e, key, hash)) return true;
            if (e->hash == -1) freeslot = e;   /* the last dummy seen, as CPython 3.13 */
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
unused:
    if (freeslot) {
        s->used++;
        freeslot->key = key, freeslot->hash = hash;
        return true;
    }
    s->fill++;
    s->used++;
    e->key = key, e->hash = hash;
    if (s->fill * 5 < mask * 3) return true;
    return set_resize(an, s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

static bool set_add(Analyzer *an, NameSet *s, const char *key)
{
    return set_add_hashed(an, s, key, str_hash(an, key));
}

static bool set_contains(const Analyzer *an, const NameSet *s, const char *key)
{
    return s->used && set_lookkey(s, key, str_hash(an, key))->key != NULL;   /* most are empty */
}

/* Removes key; true when it was there. */
static bool set_discard(const Analyzer *an, NameSet *s, const char *key)
{
    if (!s->used) return false;
    SetEntry *e = set_lookkey(s, key, str_hash(an, key));
    if (!e->key) return false;
    e->key = set_dummy;
    e->hash = -1;
    s->used--;
    return true;
}

/* so |= other (set_merge). */
static bool set_merge(Analyzer *an, NameSet *so, const NameSet *other)
{
    if (other == so || other->used == 0) return true;
    if ((so->fill + other->used) * 5 >= so->mask * 3 &&
        !set_resize(an, so, (so->used + other->used) * 2))
        return false;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        memcpy(so->table, other->table, (other->mask + 1) * sizeof *so->table);
        so->fill = other->fill;
        so->used = other->used;
        return true;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (size_t i = 0; i <= other->mask; i++) {
            const SetEntry *e = &other->table[i];
            if (e->key && e->key != set_dummy) set_insert_clean(so->table, so->mask, e->key, e->hash);
        }
        return true;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        const SetEntry *e = &other->table[i];
        if (e->key && e->key != set_dummy && !set_add_hashed(an, so, e->key, e->hash)) return false;
    }
    return true;
}

/* set(other) */
static NameSet *set_copy(Analyzer *an, const NameSet *other)
{
    NameSet *s = set_new(an);
    if (s && !set_merge(an, s, other)) { set_free(an, s); return NULL; }
    return s;
}

/* ---------------------------------------------------------------------- analysis */

#define SCOPE_OF(flags) (((flags) >> SYM_SCOPE_OFFSET) & 15)

/* The scope decided for each of a block's symbols, by the symbol's index. */
typedef struct ScopeArr {
    uint8_t *v;
    uint32_t cap;
} ScopeArr;

static int set_scope(Analyzer *an, ScopeArr *scopes, int i, int scope)
{
    if ((uint32_t)i >= scopes->cap) {
        uint32_t cap = scopes->cap ? scopes->cap * 2 : 16;
        while (cap <= (uint32_t)i) cap *= 2;
        uint8_t *v = arena_alloc(an->scratch, cap);
        if (!v) { an->oom = true; return 0; }
        if (scopes->cap) memcpy(v, scopes->v, scopes->cap);
        scopes->v = v, scopes->cap = cap;
    }
    scopes->v[i] = (uint8_t)scope;
    return 1;
}

static int scope_at(const ScopeArr *scopes, uint32_t i) { return i < scopes->cap ? scopes->v[i] : 0; }

/* The error of a global or nonlocal statement, at the first one naming name. */
static int error_at_directive(Analyzer *an, const StEntry *ste, const char *name, const char *fmt)
{
    for (int i = 0; i < ste->ndirectives; i++) {
        const StDirective *d = &ste->directives[i];
        if (strcmp(d->name, name) == 0)
            return st_syntax_error(an->err, d->lineno, d->col_offset, d->end_lineno,
                                   d->end_col_offset, fmt, name);
    }
    error_at(an->err, CPYC_ERR_UNSUPPORTED, -1, "BUG: internal directive bookkeeping broken");
    snprintf(an->err->exc_type, sizeof an->err->exc_type, "RuntimeError");
    return 0;
}

typedef struct Scopes {     /* the sets analyze_block passes around (CPython's arguments) */
    NameSet *bound;         /* bound in enclosing function scopes; NULL for the module */
    NameSet *free;          /* free in nested blocks (out) */
    NameSet *global;        /* declared global in enclosing scopes */
    NameSet *type_params;
    StEntry *class_entry;   /* the class an annotation-like scope sees, or NULL */
} Scopes;

static int analyze_name(Analyzer *an, StEntry *ste, ScopeArr *scopes, int i, long flags,
                        const Scopes *sc, NameSet *local)
{
    const char *name = ste->symbols.keys[i];
    if (flags & DEF_GLOBAL) {
        if (flags & DEF_NONLOCAL) return error_at_directive(an, ste, name, "name '%s' is nonlocal and global");
        if (!set_scope(an, scopes, i, SC_GLOBAL_EXPLICIT) || !set_add(an, sc->global, name)) return 0;
        if (sc->bound) set_discard(an, sc->bound, name);
        return 1;
    }
    if (flags & DEF_NONLOCAL) {
        if (!sc->bound)
            return error_at_directive(an, ste, name, "nonlocal declaration not allowed at module level");
        if (!set_contains(an, sc->bound, name))
            return error_at_directive(an, ste, name, "no binding for nonlocal '%s' found");
        if (set_contains(an, sc->type_params, name))
            return error_at_directive(an, ste, name, "nonlocal binding not allowed for type parameter '%s'");
        ste->free = true;
        return set_scope(an, scopes, i, SC_FREE) && set_add(an, sc->free, name);
    }
    if (flags & DEF_BOUND) {
        if (!set_scope(an, scopes, i, SC_LOCAL) || !set_add(an, local, name)) return 0;
        set_discard(an, sc->global, name);
        if (flags & DEF_TYPE_PARAM) return set_add(an, sc->type_params, name);
        set_discard(an, sc->type_params, name);
        return 1;
    }
    /* seen from an annotation-like scope in a class: a name the class binds (or declares
       global) is looked up in the class namespace and the globals only */
    if (sc->class_entry) {
        long cf = st_symbol_flags(sc->class_entry, name);
        if (cf & DEF_GLOBAL) return set_scope(an, scopes, i, SC_GLOBAL_EXPLICIT);
        if ((cf & DEF_BOUND) && !(cf & DEF_NONLOCAL)) return set_scope(an, scopes, i, SC_GLOBAL_IMPLICIT);
    }
    if (sc->bound && set_contains(an, sc->bound, name)) {
        ste->free = true;
        return set_scope(an, scopes, i, SC_FREE) && set_add(an, sc->free, name);
    }
    if (sc->global && set_contains(an, sc->global, name))
        return set_scope(an, scopes, i, SC_GLOBAL_IMPLICIT);
    if (ste->nested) ste->free = true;
    return set_scope(an, scopes, i, SC_GLOBAL_IMPLICIT);
}

static bool is_free_in_any_child(const StEntry *e, const char *name)
{
    for (int i = 0; i < e->nchildren; i++)
        if (st_symbol_scope(e->children[i], name) == SC_FREE) return true;
    return false;
}

/* PEP 709: the names of an inlined comprehension join the enclosing block. */
static int inline_comprehension(Analyzer *an, StEntry *ste, StEntry *comp, ScopeArr *scopes,
                                NameSet *comp_free, NameSet *inlined_cells)
{
    bool remove_dunder_class = false;
    for (uint32_t i = 0; i < comp->symbols.n; i++) {
        const char *k = comp->symbols.keys[i];
        long comp_flags = (long)comp->symbols.vals[i];
        if (comp_flags & DEF_PARAM) continue;   /* ".0" */
        int scope = (int)SCOPE_OF(comp_flags);
        long only_flags = comp_flags & ((1 << SYM_SCOPE_OFFSET) - 1);
        if ((scope == SC_CELL || (only_flags & DEF_COMP_CELL)) && !set_add(an, inlined_cells, k)) return 0;
        int existing = namemap_find(&ste->symbols, k);
        /* __class__ never becomes free through a class scope (see drop_class_free) */
        if (scope == SC_FREE && ste->type == ST_CLASS && strcmp(k, "__class__") == 0) {
            scope = SC_GLOBAL_IMPLICIT;
            set_discard(an, comp_free, k);
            remove_dunder_class = true;
        }
        if (existing < 0) {
            int at = namemap_set(&ste->symbols, k, only_flags);
            if (at < 0) { an->oom = true; return 0; }
            if (!set_scope(an, scopes, at, scope)) return 0;
        } else if ((ste->symbols.vals[existing] & DEF_BOUND) &&
                   !is_free_in_any_child(comp, k) && ste->type != ST_CLASS) {
            /* free in the comprehension, local outside: simply local now */
            set_discard(an, comp_free, k);
        }
    }
    comp->free = comp_free->used > 0;
    if (remove_dunder_class) namemap_del(&comp->symbols, "__class__");
    return 1;
}

/* A local that a nested block uses freely becomes a cell. */
static int analyze_cells(Analyzer *an, const NameMap *symbols, ScopeArr *scopes, NameSet *free,
                         const NameSet *inlined_cells)
{
    if (!free->used && !inlined_cells->used) return 1;
    for (uint32_t i = 0; i < symbols->n; i++) {
        if (scope_at(scopes, i) != SC_LOCAL) continue;
        const char *name = symbols->keys[i];
        if (!set_contains(an, free, name) && !set_contains(an, inlined_cells, name)) continue;
        scopes->v[i] = SC_CELL;
        set_discard(an, free, name);
    }
    return 1;
}

static void drop_class_free(Analyzer *an, StEntry *ste, NameSet *free)
{
    if (set_discard(an, free, "__class__")) ste->needs_class_closure = true;
    if (set_discard(an, free, "__classdict__")) ste->needs_classdict = true;
}

/* The scopes into the flags; the free names of children not bound here join as FREE. */
static int update_symbols(Analyzer *an, NameMap *symbols, const ScopeArr *scopes, const NameSet *bound,
                          const NameSet *free, const NameSet *inlined_cells, bool classflag)
{
    for (uint32_t i = 0; i < symbols->n; i++) {
        const char *name = symbols->keys[i];
        intptr_t flags = symbols->vals[i];
        if (set_contains(an, inlined_cells, name)) flags |= DEF_COMP_CELL;
        flags |= (intptr_t)scope_at(scopes, i) << SYM_SCOPE_OFFSET;
        symbols->vals[i] = flags;
    }
    for (size_t i = 0; i <= free->mask; i++) {
        const char *name = free->table[i].key;
        if (!name || name == set_dummy) continue;
        int k = namemap_find(symbols, name);
        if (k >= 0) {
            /* a method's free variable named as a local or global of its class */
            if (classflag) symbols->vals[k] |= DEF_FREE_CLASS;
            continue;
        }
        if (bound && !set_contains(an, bound, name)) continue;   /* a global */
        if (namemap_set(symbols, name, SC_FREE << SYM_SCOPE_OFFSET) < 0) { an->oom = true; return 0; }
    }
    return 1;
}

static NameSet *analyze_child_block(Analyzer *an, StEntry *e, const Scopes *sc);

/* Replaces each inlined comprehension among the children by its own children. */
static int splice_inlined(Analyzer *an, StEntry *ste, Arena *a)
{
    int n = 0;
    bool any = false;
    for (int i = 0; i < ste->nchildren; i++) {
        StEntry *c = ste->children[i];
        n += c->comp_inlined ? c->nchildren : 1;
        any |= c->comp_inlined;
    }
    if (!any) return 1;
    StEntry **out = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out);
    if (!out) { an->oom = true; return 0; }
    int k = 0;
    for (int i = 0; i < ste->nchildren; i++) {
        StEntry *c = ste->children[i];
        if (!c->comp_inlined) { out[k++] = c; continue; }
        for (int j = 0; j < c->nchildren; j++) out[k++] = c->children[j];
    }
    ste->children = out;
    ste->nchildren = ste->children_cap = n;
    return 1;
}

static int analyze_block(Analyzer *an, StEntry *ste, const Scopes *sc)
{
    NameSet *local = set_new(an), *newglobal = set_new(an), *newfree = set_new(an);
    NameSet *newbound = set_new(an), *inlined_cells = set_new(an);
    ScopeArr scopes_ = {0}, *scopes = &scopes_;
    int ok = 0;
    if (!local || !newglobal || !newfree || !newbound || !inlined_cells) goto done;
    bool is_class = ste->type == ST_CLASS, funclike = st_is_function_like(ste);

    /* a class's names are not visible in its methods: pass down only what is above it */
    if (is_class && (!set_merge(an, newglobal, sc->global) || (sc->bound && !set_merge(an, newbound, sc->bound))))
        goto done;
    for (uint32_t i = 0; i < ste->symbols.n; i++)
        if (!analyze_name(an, ste, scopes, (int)i, (long)ste->symbols.vals[i], sc, local))
            goto done;
    if (!is_class) {
        if (funclike && !set_merge(an, newbound, local)) goto done;
        if (sc->bound && !set_merge(an, newbound, sc->bound)) goto done;
        if (!set_merge(an, newglobal, sc->global)) goto done;
    } else if (!set_add(an, newbound, "__class__") || !set_add(an, newbound, "__classdict__")) {
        goto done;
    }

    for (int i = 0; i < ste->nchildren; i++) {
        StEntry *c = ste->children[i];
        Scopes csc = {newbound, newfree, newglobal, sc->type_params, NULL};
        if (c->can_see_class_scope) csc.class_entry = is_class ? ste : sc->class_entry;
        /* every comprehension but a generator expression is inlined, except in annotation
           scopes nested in classes */
        bool inline_comp = c->comprehension && !c->generator && !ste->can_see_class_scope;
        NameSet *child_free = analyze_child_block(an, c, &csc);
        if (!child_free) goto done;
        bool merged = (!inline_comp || inline_comprehension(an, ste, c, scopes, child_free, inlined_cells)) &&
                      set_merge(an, newfree, child_free);
        set_free(an, child_free);
        if (!merged) goto done;
        if (inline_comp) c->comp_inlined = true;
        if (c->free || c->child_free) ste->child_free = true;
    }
    if (!splice_inlined(an, ste, ste->symbols.arena)) goto done;

    if (funclike && !analyze_cells(an, &ste->symbols, scopes, newfree, inlined_cells)) goto done;
    if (is_class) drop_class_free(an, ste, newfree);
    ok = update_symbols(an, &ste->symbols, scopes, sc->bound, newfree, inlined_cells,
                        is_class || ste->can_see_class_scope) &&
         set_merge(an, sc->free, newfree);
done:
    set_free(an, local);
    set_free(an, newglobal);
    set_free(an, newfree);
    set_free(an, newbound);
    set_free(an, inlined_cells);
    return ok;
}

/* A child sees copies of the sets: its bindings must not leak back to the parent. Returns
   the child's free set (the caller frees it). */
static NameSet *analyze_child_block(Analyzer *an, StEntry *e, const Scopes *sc)
{
    Scopes csc = {set_copy(an, sc->bound), set_copy(an, sc->free), set_copy(an, sc->global),
                  set_copy(an, sc->type_params), sc->class_entry};
    bool ok = csc.bound && csc.free && csc.global && csc.type_params && analyze_block(an, e, &csc);
    set_free(an, csc.bound);
    set_free(an, csc.global);
    set_free(an, csc.type_params);
    if (ok) return csc.free;
    set_free(an, csc.free);
    return NULL;
}

int st_analyze(StEntry *top, const cpyc_target *t, cpyc_error *err)
{
    Arena scratch;
    arena_init(&scratch);
    HashCache hc = {0};
    Analyzer an = {&scratch, t, err, false, &hc, NULL};
    Scopes sc = {NULL, set_new(&an), set_new(&an), set_new(&an), NULL};
    int ok = sc.free && sc.global && sc.type_params && analyze_block(&an, top, &sc);
    if (!ok && an.oom) st_nomem(err);
    set_free(&an, sc.free);
    set_free(&an, sc.global);
    set_free(&an, sc.type_params);
    free(hc.keys);
    free(hc.hashes);
    arena_free(&scratch);
    return ok;
}
