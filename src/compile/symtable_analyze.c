/* symtable_analyze.c - the symbol table's second pass: the scope of every name (local, global,
   free, cell), cells for closures, inlined comprehensions (PEP 709), as CPython 3.13's
   analyze_block decides them. The sets behave exactly as Python's sets (same probing, resizes
   and dummies) because a set's order decides the order free names join a block's symbols. */
#include <stdlib.h>
#include <string.h>

#include "symtable_int.h"

/* ---------------------------------------------------------------------- Python sets */

/* Only the sets of free names keep Python's set behaviour (their order decides the order
   free names join a block's symbols); the other sets CPython passes down are flags on the
   names (NameRec.sets), set for a block and restored after it (the undo log). */

typedef struct SetEntry {
    NameRec *key;           /* NULL: never used; &set_dummy: deleted */
    int64_t hash;           /* -1 for a deleted entry */
} SetEntry;

typedef struct NameSet {
    SetEntry *table;
    size_t mask, fill, used;    /* fill counts deleted entries too */
    SetEntry *small;            /* the SET_MINSIZE table it started with (scratch memory) */
    struct NameSet *next_spare;
} NameSet;

enum { SET_MINSIZE = 8, LINEAR_PROBES = 9, PERTURB_SHIFT = 5 };
static NameRec set_dummy;

enum { IN_BOUND = 1, IN_GLOBAL = 2, IN_TPARAM = 4 };

typedef struct Undo {
    NameRec *r;
    uint8_t sets;
} Undo;

typedef struct Analyzer {
    Arena *scratch;             /* the scope arrays and the sets, freed when the pass ends */
    Arena *a;                   /* the unit's: new symbols */
    const cpyc_target *target;  /* str hashes as the oracle's (PYTHONHASHSEED=0) */
    cpyc_error *err;
    bool oom;
    NameRec *dunder_class, *dunder_classdict;
    /* free sets done with, for reuse; tables grown larger go back to the heap */
    struct NameSet *spare;
    Undo *undo;                 /* NameRec.sets before the blocks being analyzed set them */
    size_t nundo, undo_cap;
    uint32_t nblocks;           /* stamps for NameRec.cell_stamp */
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

static int64_t str_hash(const Analyzer *an, NameRec *r)
{
    if (!r->has_hash) {
        r->hash = str_hash_compute(an, r->s);
        r->has_hash = 1;
    }
    return r->hash;
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

/* The entry holding key, or the unused entry that ends its probe sequence. */
static SetEntry *set_lookkey(const NameSet *s, const NameRec *key, int64_t hash)
{
    size_t mask = s->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    for (;;) {
        SetEntry *e = &s->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->key == key || (e->hash == 0 && !e->key)) return e;
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static void set_insert_clean(SetEntry *table, size_t mask, NameRec *key, int64_t hash)
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
        if (old[i].key && old[i].key != &set_dummy) set_insert_clean(table, s->mask, old[i].key, old[i].hash);
    if (heap_old) free(old);
    return true;
}

static bool set_add_hashed(Analyzer *an, NameSet *s, NameRec *key, int64_t hash)
{
    size_t mask = s->mask, i = (size_t)hash & mask, perturb = (size_t)hash;
    SetEntry *freeslot = NULL, *e;
    for (;;) {
        e = &s->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (e->hash == 0 && !e->key) goto unused;
            if (e->key == key) return true;
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

static bool set_add(Analyzer *an, NameSet *s, NameRec *key)
{
    return set_add_hashed(an, s, key, str_hash(an, key));
}

/* (NULL: an empty set, made by the first add) */
static bool set_add_lazy(Analyzer *an, NameSet **s, NameRec *key)
{
    return (*s || (*s = set_new(an))) && set_add(an, *s, key);
}

static bool set_contains(const Analyzer *an, const NameSet *s, NameRec *key)
{
    return s && s->used && set_lookkey(s, key, str_hash(an, key))->key != NULL;   /* most are empty */
}

/* Removes key; true when it was there. */
static bool set_discard(const Analyzer *an, NameSet *s, NameRec *key)
{
    if (!s || !s->used) return false;
    SetEntry *e = set_lookkey(s, key, str_hash(an, key));
    if (!e->key) return false;
    e->key = &set_dummy;
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
            if (e->key && e->key != &set_dummy) set_insert_clean(so->table, so->mask, e->key, e->hash);
        }
        return true;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        const SetEntry *e = &other->table[i];
        if (e->key && e->key != &set_dummy && !set_add_hashed(an, so, e->key, e->hash)) return false;
    }
    return true;
}

/* *so |= other, either NULL for an empty set (as set_add_lazy). */
static bool set_merge_lazy(Analyzer *an, NameSet **so, const NameSet *other)
{
    if (!other || !other->used) return true;
    return (*so || (*so = set_new(an))) && set_merge(an, *so, other);
}

static __attribute__((noinline)) bool undo_grow(Analyzer *an)
{
    size_t cap = an->undo_cap ? an->undo_cap * 2 : 256;
    Undo *u = realloc(an->undo, cap * sizeof *u);
    if (!u) { an->oom = true; return false; }
    an->undo = u, an->undo_cap = cap;
    return true;
}

/* r's flags of the sets passed down := sets, restored when the block's analysis ends. */
static inline bool set_flags(Analyzer *an, NameRec *r, unsigned sets)
{
    if (r->sets == sets) return true;
    if (an->nundo == an->undo_cap && !undo_grow(an)) return false;
    an->undo[an->nundo++] = (Undo){r, r->sets};
    r->sets = (uint8_t)sets;
    return true;
}

static void undo_to(Analyzer *an, size_t mark)
{
    while (an->nundo > mark) {
        Undo *u = &an->undo[--an->nundo];
        u->r->sets = u->sets;
    }
}

/* ---------------------------------------------------------------------- analysis */

#define SCOPE_OF(flags) (((flags) >> SYM_SCOPE_OFFSET) & 15)

/* Symbol i's scope: its SYM_SCOPE bits (which the first pass leaves 0). */
static inline int set_scope(BlockSyms *bs, uint32_t i, int scope)
{
    bs->vals[i] = (bs->vals[i] & ~(intptr_t)SYM_SCOPE_MASK) | (intptr_t)scope << SYM_SCOPE_OFFSET;
    return 1;
}

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

typedef struct Scopes {     /* what analyze_block is given besides the flags on the names */
    bool has_bound;         /* false for the module (CPython's bound is NULL there) */
    NameSet **free;         /* free in nested blocks (out; NULL: empty) */
    StEntry *class_entry;   /* the class an annotation-like scope sees, or NULL */
} Scopes;

/* CPython's analyze_name, on the sets the block was given (r->sets: bound, global and type
   params), and what the block passes down: newbound, newglobal and its type params. Each
   name's own tests come before its changes, so these are made at once; a block without
   children (!pass) passes nothing down. */
static int analyze_name(Analyzer *an, StEntry *ste, BlockSyms *bs, uint32_t i, long flags,
                        const Scopes *sc, bool is_class, bool funclike, bool pass)
{
    NameRec *r = bs->keys[i];
    unsigned in = r->sets;
    if (flags & DEF_GLOBAL) {
        if (flags & DEF_NONLOCAL) return error_at_directive(an, ste, r->s, "name '%s' is nonlocal and global");
        /* a class passes down its bound and global sets as they came */
        return set_scope(bs, i, SC_GLOBAL_EXPLICIT) &&
               (is_class || !pass || set_flags(an, r, (in & ~IN_BOUND) | IN_GLOBAL));
    }
    if (flags & DEF_NONLOCAL) {
        if (!sc->has_bound)
            return error_at_directive(an, ste, r->s, "nonlocal declaration not allowed at module level");
        if (!(in & IN_BOUND))
            return error_at_directive(an, ste, r->s, "no binding for nonlocal '%s' found");
        if (in & IN_TPARAM)
            return error_at_directive(an, ste, r->s, "nonlocal binding not allowed for type parameter '%s'");
        ste->free = true;
        return set_scope(bs, i, SC_FREE) && set_add_lazy(an, sc->free, r);
    }
    if (flags & DEF_BOUND) {
        if (!set_scope(bs, i, SC_LOCAL)) return 0;
        if (!pass) return 1;
        unsigned out = in & ~IN_TPARAM;
        if (flags & DEF_TYPE_PARAM) out |= IN_TPARAM;
        if (!is_class) {
            out &= ~IN_GLOBAL;
            if (funclike) out |= IN_BOUND;
        }
        return set_flags(an, r, out);
    }
    /* seen from an annotation-like scope in a class: a name the class binds (or declares
       global) is looked up in the class namespace and the globals only */
    if (sc->class_entry) {
        BlockSyms *cs = syms_of(sc->class_entry);
        int k = syms_find(cs, r);
        long cf = k >= 0 ? (long)cs->vals[k] : 0;
        if (cf & DEF_GLOBAL) return set_scope(bs, i, SC_GLOBAL_EXPLICIT);
        if ((cf & DEF_BOUND) && !(cf & DEF_NONLOCAL)) return set_scope(bs, i, SC_GLOBAL_IMPLICIT);
    }
    if (in & IN_BOUND) {
        ste->free = true;
        return set_scope(bs, i, SC_FREE) && set_add_lazy(an, sc->free, r);
    }
    if (!(in & IN_GLOBAL) && ste->nested) ste->free = true;
    return set_scope(bs, i, SC_GLOBAL_IMPLICIT);
}

static bool is_free_in_any_child(const StEntry *e, NameRec *r)
{
    for (int i = 0; i < e->nchildren; i++) {
        BlockSyms *cs = syms_of(e->children[i]);
        int k = syms_find(cs, r);
        if (k >= 0 && SCOPE_OF(cs->vals[k]) == SC_FREE) return true;
    }
    return false;
}

/* The names that inlined comprehensions make cells in a block (CPython's inlined_cells):
   collected while its children are analyzed, then stamped on the names. */
typedef struct CellList {
    NameRec **v;
    uint32_t n, cap;
} CellList;

static bool cells_add(Analyzer *an, CellList *c, NameRec *r)
{
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 8;
        NameRec **v = arena_alloc_raw(an->scratch, cap * sizeof *v);
        if (!v) { an->oom = true; return false; }
        if (c->n) memcpy(v, c->v, c->n * sizeof *v);
        c->v = v, c->cap = cap;
    }
    c->v[c->n++] = r;
    return true;
}

/* PEP 709: the names of an inlined comprehension join the enclosing block. */
static int inline_comprehension(Analyzer *an, StEntry *ste, StEntry *comp, NameSet *comp_free,
                                CellList *inlined_cells)
{
    bool remove_dunder_class = false;
    BlockSyms *bs = syms_of(ste), *cs = syms_of(comp);
    for (uint32_t i = 0; i < cs->n; i++) {
        NameRec *k = cs->keys[i];
        long comp_flags = (long)cs->vals[i];
        if (comp_flags & DEF_PARAM) continue;   /* ".0" */
        int scope = (int)SCOPE_OF(comp_flags);
        long only_flags = comp_flags & ((1 << SYM_SCOPE_OFFSET) - 1);
        if ((scope == SC_CELL || (only_flags & DEF_COMP_CELL)) && !cells_add(an, inlined_cells, k)) return 0;
        int existing = syms_find(bs, k);
        /* __class__ never becomes free through a class scope (see drop_class_free) */
        if (scope == SC_FREE && ste->type == ST_CLASS && k == an->dunder_class) {
            scope = SC_GLOBAL_IMPLICIT;
            set_discard(an, comp_free, k);
            remove_dunder_class = true;
        }
        if (existing < 0) {
            if (syms_add(an->a, bs, k, only_flags | (intptr_t)scope << SYM_SCOPE_OFFSET) < 0) {
                an->oom = true;
                return 0;
            }
        } else if ((bs->vals[existing] & DEF_BOUND) &&
                   !is_free_in_any_child(comp, k) && ste->type != ST_CLASS) {
            /* free in the comprehension, local outside: simply local now */
            set_discard(an, comp_free, k);
        }
    }
    comp->free = comp_free && comp_free->used > 0;
    if (remove_dunder_class) syms_del(cs, an->dunder_class);
    return 1;
}

/* A local that a nested block uses freely becomes a cell. */
static int analyze_cells(Analyzer *an, BlockSyms *bs, NameSet *free,
                         uint32_t stamp, bool any_cells)
{
    if (!(free && free->used) && !any_cells) return 1;
    for (uint32_t i = 0; i < bs->n; i++) {
        if (SCOPE_OF(bs->vals[i]) != SC_LOCAL) continue;
        NameRec *r = bs->keys[i];
        if (r->cell_stamp != stamp && !set_contains(an, free, r)) continue;
        set_scope(bs, i, SC_CELL);
        set_discard(an, free, r);
    }
    return 1;
}

static void drop_class_free(Analyzer *an, StEntry *ste, NameSet *free)
{
    if (set_discard(an, free, an->dunder_class)) ste->needs_class_closure = true;
    if (set_discard(an, free, an->dunder_classdict)) ste->needs_classdict = true;
}

/* The scopes into the flags; the free names of children not bound here join as FREE
   (bound: in the bound set given to the block, i.e. IN_BOUND of the names not its own). */
static int update_symbols(Analyzer *an, BlockSyms *bs, bool has_bound,
                          const NameSet *free, uint32_t stamp, bool any_cells, bool classflag)
{
    for (uint32_t i = 0; any_cells && i < bs->n; i++)
        if (bs->keys[i]->cell_stamp == stamp) bs->vals[i] |= DEF_COMP_CELL;
    for (size_t i = 0; free && free->used && i <= free->mask; i++) {
        NameRec *r = free->table[i].key;
        if (!r || r == &set_dummy) continue;
        int k = syms_find(bs, r);
        if (k >= 0) {
            /* a method's free variable named as a local or global of its class */
            if (classflag) bs->vals[k] |= DEF_FREE_CLASS;
            continue;
        }
        if (has_bound && !(r->sets & IN_BOUND)) continue;   /* a global */
        if (syms_add(an->a, bs, r, SC_FREE << SYM_SCOPE_OFFSET) < 0) { an->oom = true; return 0; }
    }
    return 1;
}

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

/* CPython's analyze_block. On entry the names' flags are the bound, global and type-param
   sets the block was given (copies in CPython); sc->free is the block's copy of the free
   set, which it extends. The flags are as on entry again when it returns. */
static int analyze_block(Analyzer *an, StEntry *ste, const Scopes *sc)
{
    size_t undo_mark = an->nundo;
    NameSet *newfree = NULL;
    CellList cells = {0};
    BlockSyms *bs = syms_of(ste);
    int ok = 0;
    bool is_class = ste->type == ST_CLASS, funclike = st_is_function_like(ste);

    bool pass = ste->nchildren > 0;
    for (uint32_t i = 0, n = bs->n; i < n; i++)
        if (!analyze_name(an, ste, bs, i, (long)bs->vals[i], sc, is_class, funclike, pass))
            goto done;
    if (is_class && pass && (!set_flags(an, an->dunder_class, an->dunder_class->sets | IN_BOUND) ||
                     !set_flags(an, an->dunder_classdict, an->dunder_classdict->sets | IN_BOUND)))
        goto done;

    for (int i = 0; i < ste->nchildren; i++) {
        StEntry *c = ste->children[i];
        /* (a copy of an empty set is a new one: the dummies it may have are not copied) */
        NameSet *child_free = NULL;
        if (newfree && newfree->used && !set_merge_lazy(an, &child_free, newfree)) goto done;
        Scopes csc = {true, &child_free, NULL};
        if (c->can_see_class_scope) csc.class_entry = is_class ? ste : sc->class_entry;
        /* every comprehension but a generator expression is inlined, except in annotation
           scopes nested in classes */
        bool inline_comp = c->comprehension && !c->generator && !ste->can_see_class_scope;
        bool merged = analyze_block(an, c, &csc) &&
                      (!inline_comp || inline_comprehension(an, ste, c, child_free, &cells)) &&
                      set_merge_lazy(an, &newfree, child_free);
        set_free(an, child_free);
        if (!merged) goto done;
        if (inline_comp) c->comp_inlined = true;
        if (c->free || c->child_free) ste->child_free = true;
    }
    if (!splice_inlined(an, ste, an->a)) goto done;

    uint32_t stamp = ++an->nblocks;
    for (uint32_t i = 0; i < cells.n; i++) cells.v[i]->cell_stamp = stamp;
    if (funclike && !analyze_cells(an, bs, newfree, stamp, cells.n > 0)) goto done;
    if (is_class) drop_class_free(an, ste, newfree);
    ok = update_symbols(an, bs, sc->has_bound, newfree, stamp, cells.n > 0,
                        is_class || ste->can_see_class_scope) &&
         set_merge_lazy(an, sc->free, newfree);
done:
    set_free(an, newfree);
    undo_to(an, undo_mark);
    return ok;
}

int st_analyze(StEntry *top, Arena *a, NameRec *dunder_class, NameRec *dunder_classdict,
               const cpyc_target *t, cpyc_error *err)
{
    Arena scratch;
    arena_init(&scratch);
    Analyzer an = {.scratch = &scratch, .a = a, .target = t, .err = err,
                   .dunder_class = dunder_class, .dunder_classdict = dunder_classdict};
    NameSet *free_names = NULL;
    Scopes sc = {false, &free_names, NULL};
    int ok = analyze_block(&an, top, &sc);
    if (!ok && an.oom) st_nomem(err);
    set_free(&an, free_names);
    free(an.undo);
    arena_free(&scratch);
    return ok;
}
