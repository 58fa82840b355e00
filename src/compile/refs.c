/* refs.c - gives a module's code-object tree the marshal type codes and FLAG_REF bits that
   CPython 3.13 writes, and makes one object of what CPython shares (interned strings,
   immortal singletons). The rules are in docs/DESIGN.md, last section. refs_assign leaves
   them on the tree for the marshal writer; refs_write (compile_to_pyc's) writes the marshal
   bytes in the same walk that decides them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "pyc/marshal.h"

/* A string content -> its interned object, open addressing in arena memory. A slot keeps
   the content's hash (value_data_hash, computed once per Value and kept in it) and the
   object's index + 1 in vals (0: empty), 8 bytes: the table is zeroed as it grows. */
typedef struct InternSlot { uint32_t h, k; } InternSlot;
typedef struct InternTable {
    InternSlot *slots;
    Value **vals;               /* the interned objects, in order; room for nslots / 2 */
    uint32_t n, nslots;
} InternTable;

/* Objects are numbered through Value.mark instead of a map from their addresses: a walk
   gives each object it meets its index + 1 there and clears the marks when it ends. */
typedef struct Refs {
    Arena *arena;
    const RefsEnv *env;
    cpyc_error *err;
    InternTable interned;
    uint32_t slots0;            /* the intern table's first size (a power of two, 256 or more) */
    Value *small_ints[262];     /* -5..256: immortal, one object each */
    Value *bytes1[257];         /* b'' (index 256) and the 256 one-byte bytes: immortal */
    Value *empty_tuple;         /* immortal */
    uint32_t objfields;         /* bit f: code field f holds an object (not CF_INT) */
    Value **objs;               /* the objects the walk met: objs[v->mark - 1] == v */
    uint32_t nobjs, cap;
    Value **fsets;              /* frozensets met by the walk, innermost first */
    uint32_t nfsets, fcap;
    struct InternStep *steps;   /* intern_code's work in its order, noted by intern_identifiers */
    uint32_t nsteps, scap;
    Value ***own;               /* the constant slots of the code objects being walked */
    uint32_t nown, ocap;
    bool steps_bad;             /* a tree intern_code walks otherwise: it walks it itself */
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

/* The slot of v's content: its interned object's, or the empty one where it goes. */
static __attribute__((noinline)) InternSlot *intern_probe(const InternTable *t, const Value *v, uint32_t h)
{
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        InternSlot *s = &t->slots[i];
        if (!s->k) return s;
        const Value *w = t->vals[s->k - 1];
        if (w == v) return s;
        if (s->h == h && w->u.s.len == v->u.s.len) {
            const uint8_t *d = w->u.s.data;
            if (d == v->u.s.data || memcmp(d, v->u.s.data, v->u.s.len) == 0) return s;   /* names share the parser's texts */
        }
    }
}

/* intern_probe's first slot inline: most lookups end there, at an empty slot or at a name
   of the same text (the parser's: the same place); the rest probe out of line, so that the
   callers' loops keep their values in registers. */
static inline InternSlot *intern_slot_for(const InternTable *t, const Value *v, uint32_t h)
{
    InternSlot *s = &t->slots[h & (t->nslots - 1)];
    if (!s->k) return s;
    const Value *w = t->vals[s->k - 1];
    if (w == v || (s->h == h && w->u.s.data == v->u.s.data && w->u.s.len == v->u.s.len)) return s;
    return intern_probe(t, v, h);
}

/* Doubles the table (at most half full); false out of memory. */
static bool intern_grow(Refs *r)
{
    InternTable *t = &r->interned;
    uint32_t nslots = t->nslots ? t->nslots * 2 : r->slots0, oldn = t->nslots, mask = nslots - 1;
    InternSlot *slots = arena_alloc(r->arena, nslots * sizeof *slots), *old = t->slots;
    Value **vals = arena_alloc_raw(r->arena, nslots / 2 * sizeof *vals);
    if (!slots || !vals) return nomem(r);
    if (t->n) memcpy(vals, t->vals, t->n * sizeof *vals);
    for (uint32_t k = 0; k < oldn; k++) {   /* distinct contents: the first free slot */
        if (!old[k].k) continue;
        uint32_t i = old[k].h & mask;
        while (slots[i].k) i = (i + 1) & mask;
        slots[i] = old[k];
    }
    t->slots = slots;
    t->vals = vals;
    t->nslots = nslots;
    return true;
}

static bool env_has(const RefsEnv *env, const Value *v)
{
    if (!env) return false;
    uint32_t mask = env->nslots - 1;
    for (uint32_t i = value_data_hash(v) & mask; env->slots[i]; i = (i + 1) & mask) {
        uint32_t k = env->slots[i] - 1u;
        if (env->lens[k] == v->u.s.len && memcmp(env->texts[k], v->u.s.data, v->u.s.len) == 0)
            return true;
    }
    return false;
}

/* intern_str's v, whose content is new (s its empty slot, h its hash): kept out of line so
   the lookups, most of them of a name interned before, stay small. */
static __attribute__((noinline)) Value *intern_new_slow(Refs *r, Value *v, bool ident, InternSlot *s, uint32_t h)
{
    InternTable *t = &r->interned;
    if ((t->n + 1) * 2 > t->nslots) {
        if (!intern_grow(r)) return v;
        s = intern_slot_for(t, v, h);
    }
    Value *in = v;
    if (!is_interned(v) && (ident || v->ident || env_has(r->env, v))) {
        /* the interpreter's own object (or the parser's identifier): v stays as it was
           where it is */
        if (!(in = arena_memdup(r->arena, v, sizeof *v))) return nomem(r), v;
        in->mark = 0;
    }
    in->tcode = TYPE_INTERNED;
    t->vals[t->n] = in;
    s->h = h;
    s->k = ++t->n;
    return in;
}

/* intern_new_slow's common case inline, a name (interned already) and room in the table:
   v itself is the object. */
static inline Value *intern_new(Refs *r, Value *v, bool ident, InternSlot *s, uint32_t h)
{
    InternTable *t = &r->interned;
    if ((t->n + 1) * 2 > t->nslots || !is_interned(v)) return intern_new_slow(r, v, ident, s, h);
    v->tcode = TYPE_INTERNED;
    t->vals[t->n] = v;
    s->h = h;
    s->k = ++t->n;
    return v;
}

/* The interned object of v's content: v itself (marked) when it is the first, unless v
   stands for an object interned before (ident: the parser's identifier). */
static inline Value *intern_str(Refs *r, Value *v, bool ident)
{
    if (v->u.s.len > UINT32_MAX) return v;   /* no such identifier: left alone */
    uint32_t h = v->u.s.hash ? v->u.s.hash : value_data_hash(v);
    InternSlot *s = intern_slot_for(&r->interned, v, h);
    return s->k ? r->interned.vals[s->k - 1] : intern_new(r, v, ident, s, h);
}

static void intern_at(Refs *r, Value **slot, bool ident)
{
    if ((*slot)->kind == V_STR) *slot = intern_str(r, *slot, ident);
}

/* A str of at most one character below 256 (CPython's static latin-1 singletons). */
bool refs_latin1_char(const Value *v)
{
    const uint8_t *s = v->u.s.data;
    return v->u.s.len <= 1 || (v->u.s.len == 2 && (s[0] == 0xc2 || s[0] == 0xc3));
}

/* [a-zA-Z0-9_]*: the constants a code object interns (should_intern_string). */
static bool name_chars_only(const Value *v)
{
    /* one load and test a byte (no range test before the lookup) */
    static const bool name_char[256] = {
        ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
        ['8'] = 1, ['9'] = 1, ['_'] = 1,
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
        ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
        ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
        ['Y'] = 1, ['Z'] = 1,
        ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
        ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
        ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
        ['y'] = 1, ['z'] = 1,
    };
    const uint8_t *s = v->u.s.data, *end = s + v->u.s.len;
    for (; end - s >= 4; s += 4)   /* four bytes a test: most are identifiers, read through */
        if (!(name_char[s[0]] & name_char[s[1]] & name_char[s[2]] & name_char[s[3]])) return false;
    for (; s < end; s++)
        if (!name_char[*s]) return false;
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
            /* an interned str here is its content's object already: intern_marked put the
               identifiers' in their slots, and this pass marks only the objects it keeps
               (no need to read its text) */
            if (!is_interned(v) && name_chars_only(v)) {
                Value *w = intern_str(r, v, false);
                /* a one-character string would have been its singleton already */
                if (w != v) items[i] = w, modified |= !refs_latin1_char(v);
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
   names, constants, localsplus names, then filename, name and qualname (_PyCode_New). The
   names, localsplus names and name are interned already (intern_identifiers): interning
   them again would change nothing, so only the rest is done. intern_steps does the same
   from intern_identifiers's notes; this walk is for a tree whose code objects it would walk
   otherwise (one met twice, or one inside a tuple). */
static void intern_own(Refs *r, Value *code)   /* (not the code objects among its constants) */
{
    Code *c = code->u.code;
    Value *consts = c->oval[CO_CONSTS];
    if (consts) intern_constants(r, consts->u.seq.items, consts->u.seq.n);
    if (c->oval[CO_FILENAME]) intern_at(r, &c->oval[CO_FILENAME], false);
    if (c->oval[CO_QUALNAME]) intern_at(r, &c->oval[CO_QUALNAME], false);
}

static void intern_code(Refs *r, Value *code)
{
    Value *consts = code->u.code->oval[CO_CONSTS];
    for (size_t k = 0; consts && k < consts->u.seq.n; k++)
        if (consts->u.seq.items[k]->kind == V_CODE) intern_code(r, consts->u.seq.items[k]);
    intern_own(r, code);
}

/* intern_code's work, noted while intern_identifiers walks the constants (phase 2 would
   walk them again long after, out of the cache): a slot of a constant str of name
   characters (STEP_CONST: interned unless it is already), a filename or qualname slot
   (STEP_ANY; a filename STEP_FILE), or a constants tuple holding a frozenset, done by
   intern_constants whole (STEP_CONSTS: a frozenset is rebuilt when an item changed, so it
   needs its items' walk). */
enum { STEP_CONST, STEP_ANY, STEP_FILE, STEP_CONSTS };
typedef struct InternStep { Value **slot; uint32_t what; } InternStep;

/* One more element of a growable array (elements of `size` bytes); false out of memory. */
static __attribute__((noinline)) bool grow(Refs *r, void **arr, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap) return true;
    uint32_t c = *cap ? *cap * 2 : 1024;
    void *a = realloc(*arr, c * size);
    if (!a) return nomem(r);
    *arr = a;
    *cap = c;
    return true;
}

static inline void add_step(Refs *r, Value **slot, uint32_t what)
{
    if (r->nsteps == r->scap && !grow(r, (void **)&r->steps, r->nsteps, &r->scap, sizeof *r->steps)) return;
    r->steps[r->nsteps++] = (InternStep){slot, what};
}

/* intern_code by the steps: the same objects interned in the same order. Each code object's
   steps follow those of the code objects among its constants (intern_identifiers walks them
   when it meets them, innermost first), then come its constants' slots, last first as
   intern_constants takes them (the reverse of the walk's order, which takes a tuple's items
   where it meets the tuple), then its filename and qualname. */
static void intern_steps(Refs *r)
{
    /* every code object's filename is one text (assemble's CodeFilename; each its own
       Value): its interned object is the one the last filename of that text got, which the
       table keeps from then on (no lookup per code object) */
    const uint8_t *file_data = NULL;
    size_t file_len = 0;
    Value *file_in = NULL;
    for (const InternStep *st = r->steps, *end = st + r->nsteps; st < end && !r->failed; st++) {
        Value *v = *st->slot;
        if (st->what == STEP_CONSTS) {
            intern_constants(r, v->u.seq.items, v->u.seq.n);
        } else if (st->what == STEP_FILE) {
            if (v->kind != V_STR) continue;
            if (file_in && v->u.s.data == file_data && v->u.s.len == file_len) {
                *st->slot = file_in;
                continue;
            }
            file_data = v->u.s.data, file_len = v->u.s.len;
            *st->slot = file_in = intern_str(r, v, false);
        } else if (st->what == STEP_ANY) {
            intern_at(r, st->slot, false);
        } else if (!is_interned(v)) {   /* see intern_constants */
            Value *w = intern_str(r, v, false);
            if (w != v) *st->slot = w;
        }
    }
}

static void intern_identifiers(Refs *r, Value *code);
/* Identifiers among constants (const_name): one object per text with the names. Notes the
   slots intern_code interns (top: seq is a code object's constants, whose code objects
   intern_code walks); *whole when a frozenset is among them. */
static void intern_marked(Refs *r, Value *seq, bool top, bool *whole)
{
    for (size_t k = 0; k < seq->u.seq.n; k++) {
        Value **p = &seq->u.seq.items[k];
        Value *v = *p;
        if (v->kind == V_CODE) {
            if (!top) r->steps_bad = true;   /* intern_code would not see it */
            intern_identifiers(r, v);
        } else if (v->kind == V_TUPLE || v->kind == V_FROZENSET) {
            *whole |= v->kind == V_FROZENSET;
            intern_marked(r, v, false, whole);
        } else if (v->kind == V_STR) {
            if (is_interned(v)) {
                intern_at(r, p, false);   /* interned: intern_code passes over it */
            } else if (name_chars_only(v)) {
                if (r->nown == r->ocap && !grow(r, (void **)&r->own, r->nown, &r->ocap, sizeof *r->own)) return;
                r->own[r->nown++] = p;
            }
        }
    }
}

/* The parser interns every identifier before the compiler runs: names, localsplus names,
   co_name and strings marked by const_name are interned first, so a constant equal to one
   is replaced by it (and a frozenset holding such a constant is rebuilt). A name the
   constant cache merged into a plain string (a names tuple equal to a constant tuple) is
   still the parser's own object, apart from that string. */
static void intern_names(Refs *r, Code *c);
static bool add_obj(Refs *r, Value *v);
static void intern_identifiers(Refs *r, Value *code)
{
    if (code->mark) r->steps_bad = true;   /* intern_code would walk it again */
    if (code->mark || !add_obj(r, code)) return;   /* met before: its names are done */
    Code *c = code->u.code;
    uint32_t own0 = r->nown;
    bool whole = false;
    if (c->oval[CO_CONSTS]) intern_marked(r, c->oval[CO_CONSTS], true, &whole);
    intern_names(r, c);
    /* its intern_code steps, after those of the code objects among its constants */
    if (whole) add_step(r, &c->oval[CO_CONSTS], STEP_CONSTS);
    else
        for (uint32_t k = r->nown; k-- > own0;) add_step(r, r->own[k], STEP_CONST);
    r->nown = own0;
    if (c->oval[CO_FILENAME]) add_step(r, &c->oval[CO_FILENAME], STEP_FILE);
    if (c->oval[CO_QUALNAME]) add_step(r, &c->oval[CO_QUALNAME], STEP_ANY);
}

/* The names, localsplus names and name of c (their tuples may be shared constants: a
   names tuple equal to a constant tuple is one object with it). */
static void intern_names(Refs *r, Code *c)
{
    static const CodeField tuples[] = {CO_NAMES, CO_LOCALSPLUSNAMES};
    for (size_t f = 0; f < CPYC_COUNTOF(tuples); f++) {
        Value *t = c->oval[tuples[f]];
        /* a tuple met before (shared by equal names) holds interned names already */
        if (!t || t->mark || !add_obj(r, t)) continue;
        for (size_t k = 0; k < t->u.seq.n; k++) intern_at(r, &t->u.seq.items[k], true);
    }
    if (c->oval[CO_NAME]) intern_at(r, &c->oval[CO_NAME], true);
}

/* ---- the immortal singletons ---- */

/* x + 5 for an int x in -5..256, else -1 (ints are normalized: more digits, a bigger one). */
static int small_int(const Value *v)
{
    int32_t n = v->u.i.ndigits;
    int64_t x;
    if (n == 0) return 5;
    if (n == 1 || n == -1) x = n * (int64_t)v->u.i.digits[0];
    else if (!value_int_to_i64(v, &x)) return -1;
    return x >= -5 && x <= 256 ? (int)x + 5 : -1;
}

/* ---- the walk over the graph ---- */

static bool ascii_only(const uint8_t *s, size_t n)
{
    /* eight bytes a step, the tail by one overlapping load (most texts are short names:
       a byte loop over the rest would cost as much as the words); the byte order does not
       matter to a test of every byte's top bit */
    if (n >= 8) {
        size_t i = 0;
        for (; i + 32 < n; i += 32)   /* long texts (docstrings): four words a test */
            if ((value_load_le8(s + i) | value_load_le8(s + i + 8) | value_load_le8(s + i + 16) |
                 value_load_le8(s + i + 24)) & 0x8080808080808080ULL)
                return false;
        for (; i + 8 < n; i += 8)
            if (value_load_le8(s + i) & 0x8080808080808080ULL) return false;
        return !(value_load_le8(s + n - 8) & 0x8080808080808080ULL);
    }
    if (n >= 4) return !((value_load_le4(s) | value_load_le4(s + n - 4)) & 0x80808080u);
    return !(n && ((s[0] | s[n / 2] | s[n - 1]) & 0x80));
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
    case V_INT:   /* two digits are under 2**30 */
        return (v->u.i.ndigits >= -2 && v->u.i.ndigits <= 2) ||
                       (value_int_to_i64(v, &x) && x >= INT32_MIN && x <= INT32_MAX)
                   ? TYPE_INT
                   : TYPE_LONG;
    case V_FLOAT: return TYPE_BINARY_FLOAT;
    case V_COMPLEX: return TYPE_BINARY_COMPLEX;
    case V_BYTES: return TYPE_STRING;
    case V_STR: {
        bool in = is_interned(v);
        if (!ascii_only(v->u.s.data, v->u.s.len)) return in ? TYPE_INTERNED : TYPE_UNICODE;
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

/* Appends v to a growable array of objects. */
static __attribute__((noinline)) bool push(Refs *r, Value ***arr, uint32_t *n, uint32_t *cap, Value *v)
{
    if (!grow(r, (void **)arr, *n, cap, sizeof **arr)) return false;
    (*arr)[(*n)++] = v;
    return true;
}

/* v is met: it becomes the walk's next object (v->mark its index + 1). The growth out of
   line (push), the rest inline. */
static inline bool add_obj(Refs *r, Value *v)
{
    if (r->nobjs < r->cap) r->objs[r->nobjs++] = v;
    else if (!push(r, &r->objs, &r->nobjs, &r->cap, v)) return false;
    v->mark = r->nobjs;
    return true;
}

/* Ends the walk: every mark back to 0. */
static void clear_marks(Refs *r)
{
    for (uint32_t k = 0; k < r->nobjs; k++) r->objs[k]->mark = 0;
    r->nobjs = 0;
}

static void walk(Refs *r, Value *v);

/* One more reference to v (twice: held twice at once, or v is immortal). The first gives v
   its type code, flagged when twice or v is an interned str, and walks it; a second flags it
   (CPython's reference count above one when marshal meets it). Singletons (None...) never. */
static void ref(Refs *r, Value *v, bool twice)
{
    if (v->mark) {
        if (v->kind > V_STOPITER) v->tcode |= FLAG_REF;
        return;
    }
    if (!add_obj(r, v)) return;
    bool flag = v->kind > V_STOPITER && (twice || (v->kind == V_STR && is_interned(v)));
    v->tcode = (uint8_t)(type_code(v) | (flag ? FLAG_REF : 0));
    if (v->kind >= V_TUPLE) {   /* tuples, lists, dicts, sets, frozensets, code */
        walk(r, v);
        if (v->kind == V_FROZENSET && !r->failed)
            push(r, &r->fsets, &r->nfsets, &r->fcap, v);   /* innermost first */
    }
}

/* ref_slot's singletons: the object the slot holds from here on (*twice set for an immortal
   one). */
static inline Value *fold_singleton(Refs *r, Value **p, bool *twice)
{
    Value *v = *p, **one = NULL;
    int i;
    switch ((ValueKind)v->kind) {
    case V_STR:
        if (refs_latin1_char(v) && !v->fresh) *p = v = intern_str(r, v, false);
        return v;
    case V_INT:
        if ((i = small_int(v)) >= 0) one = &r->small_ints[i];
        break;
    case V_BYTES:
        if (v->u.s.len <= 1) one = &r->bytes1[v->u.s.len ? v->u.s.data[0] : 256];
        break;
    case V_TUPLE:
        if (v->u.seq.n == 0) one = &r->empty_tuple;
        break;
    default:
        return v;
    }
    if (one) {
        if (!*one) *one = v;
        *p = v = *one;
        *twice = true;
    }
    return v;
}

/* The slot gets its singleton first (small ints, one-byte bytes, (), short strings: the
   immortal objects, always flagged; a str's is the interned one). An object met before is
   its own already. */
static void ref_slot(Refs *r, Value **p, bool twice)
{
    Value *v = *p;
    if (v->mark) {
        if (v->kind > V_STOPITER) v->tcode |= FLAG_REF;
        return;
    }
    v = fold_singleton(r, p, &twice);
    ref(r, v, twice);
}

/* The references held by v, one per slot. */
static void walk(Refs *r, Value *v)
{
    if (v->kind == V_CODE) {
        Code *c = v->u.code;
        for (int k = 0; k < c->target->n_code_fields && !r->failed; k++) {
            CodeField f = c->target->code_fields[k];
            Value *b = c->oval[f];
            if (!(r->objfields >> f & 1) || !b) continue;
            if ((f == CO_CODE || f == CO_LOCALSPLUSKINDS) && b->u.s.len) {
                /* co_code is a fresh bytes object per code object (_PyCode_GetCode), and so is
                   a non-empty co_localspluskinds: never shared with anything */
                if (!(b = c->oval[f] = arena_memdup(r->arena, b, sizeof *b))) { nomem(r); return; }
                b->mark = 0;   /* the original may have been met already */
                ref(r, b, f == CO_CODE);   /* the code object keeps a copy of co_code */
            } else {
                ref_slot(r, &c->oval[f], false);
            }
        }
        return;
    }
    /* marshal holds a frozenset's items while it writes them (it sorts them), so their
       count is above one then: always flagged */
    bool twice = v->kind == V_FROZENSET;
    size_t n = v->kind == V_DICT ? 2 * v->u.seq.n : v->u.seq.n;
    for (size_t k = 0; k < n && !r->failed; k++) ref_slot(r, &v->u.seq.items[k], twice);
}

/* ---- frozenset order: sorted(items, key=marshal.dumps) ---- */
typedef struct Dumped { const Buf *b; size_t off, len; Value *v; } Dumped;

static int cmp_dumped(const void *x, const void *y)
{
    const Dumped *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->b->data + a->off, b->b->data + b->off, n) : 0;
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Sorts the items of every frozenset (innermost first, so an item's bytes are final) by their
   own marshal bytes, as CPython's writer orders them (bpo-37596). */
static void sort_frozensets(Refs *r, const cpyc_target *t)
{
    Buf b = {0};
    Dumped *d = NULL;
    size_t dcap = 0;
    for (uint32_t f = 0; f < r->nfsets && !r->failed; f++) {
        Value *v = r->fsets[f];
        size_t n = v->u.seq.n;
        if (n < 2) continue;
        if (n > dcap) {
            free(d);
            if (!(d = malloc(n * sizeof *d))) { nomem(r); break; }
            dcap = n;
        }
        b.len = 0;
        for (size_t k = 0; k < n && !r->failed; k++) {
            d[k] = (Dumped){&b, b.len, 0, v->u.seq.items[k]};
            if (marshal_write_object(&b, d[k].v, t, r->err)) r->failed = true;
            d[k].len = b.len - d[k].off;
        }
        if (r->failed) break;
        qsort(d, n, sizeof *d, cmp_dumped);   /* equal dumps: equal items, order moot */
        for (size_t k = 0; k < n; k++) v->u.seq.items[k] = d[k].v;
    }
    free(d);
    buf_free(&b);
}

/* ---- the walk and the marshal writer in one (compile_to_pyc's path) ----

   The objects are written as the walk meets them. Whether one is flagged is known when it
   is first written except when a later slot holds it again: its type byte is then patched
   (a reference is 5 bytes whatever its index, so nothing moves). References are numbered
   by the flagged objects before them in the stream, which the end of the walk knows: each
   reference is written with a placeholder and patched then. A frozenset's items are sorted
   by their marshal bytes before they are written; those bytes are final when every item is
   a leaf (flagged as an item, its payload its own). A frozenset holding a tuple or another
   frozenset, whose items' flags a later slot may still change, makes the pass start over
   the two-pass way (refs walk, then the plain writer). */

typedef struct FoldObj { Value *v; size_t pos; } FoldObj;   /* pos: its type byte's; v is
                                                               Fold.copy for a co_code */
typedef struct FoldRef { size_t pos; uint32_t obj; } FoldRef; /* obj: index into objs */

/* What fold_code does with a field of the target's code objects, decided once per target:
   a run of int fields (one room test for all), co_code or co_localspluskinds (fresh bytes
   unless empty), another object. */
enum { FS_INTS, FS_FRESH, FS_SLOT };
typedef struct FoldStep { uint8_t what, field, run; } FoldStep;   /* run: FS_INTS' fields */

typedef struct Fold {
    Refs *r;
    Buf *out;
    FoldObj *objs;              /* the objects written, non-singletons: objs[v->mark - 1] */
    uint32_t nobjs, cap;
    FoldRef *refs;
    uint32_t nrefs, refcap;
    uint32_t cap0;              /* the arrays' first room: guessed from the output's */
    uint32_t intfields;         /* bit f: code field f is an int (CF_INT) */
    const cpyc_target *steps_for;   /* the target steps are for */
    FoldStep steps[CO__COUNT];
    int nsteps;
    int depth, max_depth;
    bool retry;                 /* a frozenset the fold cannot order */
    Buf dump;                   /* frozenset items' marshal bytes, for their order */
    Dumped *d;
    size_t dcap;
    Value copy;                 /* stands for the code objects' copies of co_code in objs
                                   (never marked) */
} Fold;

static int fold_nomem(Fold *F) { return nomem(F->r), -1; }

/* One of the walk's arrays (cap elements of `size` bytes) doubled (cap0 at first): the new
   array, *cap updated, or NULL out of memory. */
static void *fold_grow(Fold *F, void *items, uint32_t *cap, size_t size)
{
    uint32_t n = *cap ? *cap * 2 : F->cap0;
    void *o = realloc(items, n * size);
    if (!o) return nomem(F->r), NULL;
    *cap = n;
    return o;
}

static bool fold_grow_objs(Fold *F)
{
    FoldObj *o = fold_grow(F, F->objs, &F->cap, sizeof *o);
    return o && (F->objs = o);
}

static bool fold_grow_refs(Fold *F)
{
    FoldRef *o = fold_grow(F, F->refs, &F->refcap, sizeof *o);
    return o && (F->refs = o);
}

static int fold_too_deep(Fold *F)
{
    F->r->failed = true;
    error_at(F->r->err, CPYC_ERR_FORMAT, -1, "object too deeply nested to marshal");
    if (F->r->err) snprintf(F->r->err->exc_type, sizeof F->r->err->exc_type, "ValueError");   /* as marshal.dumps */
    return -1;
}

static int fold_bad(Fold *F, const Value *v, uint8_t type, const char *what)
{
    F->r->failed = true;
    return error_at(F->r->err, CPYC_ERR_FORMAT, -1, "cannot marshal %s with type code '%c': %s",
                    value_kind_name(v->kind), type, what);
}

/* fold_fits's growth, out of line. */
static __attribute__((noinline)) bool fold_grow_buf(Buf *b, size_t n)
{
    buf_reserve(b, n);
    return !b->failed;
}

/* Room for n more bytes at the end of b (at b->data + b->len), false out of memory: a test
   of the room, no test of a pointer after it. */
static inline bool fold_fits(Buf *b, size_t n)
{
    return b->cap - b->len >= n || fold_grow_buf(b, n);
}

static inline uint8_t *put_u32(uint8_t *p, uint32_t x)
{
    /* one store (the compiler kept the four bytes' stores and shifts apart) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap32(x);
#endif
    memcpy(p, &x, 4);
    return p + 4;
}

/* A leaf's type byte (tc) and payload at the end of b: str, bytes, int, float, complex. */
static int put_leaf(Fold *F, Buf *b, const Value *v, uint8_t tc)
{
    uint8_t type = tc & (uint8_t)~FLAG_REF, *p;
    switch (type) {
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED: {
        size_t len = v->u.s.len;   /* under 256: type_code */
        if (!fold_fits(b, 2 + len)) return fold_nomem(F);
        p = b->data + b->len;
        p[0] = tc, p[1] = (uint8_t)len;
        if (len) memcpy(p + 2, v->u.s.data, len);
        b->len += 2 + len;
        return 0;
    }
    case TYPE_STRING: case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED: {
        size_t len = v->u.s.len;
        if (len > (size_t)MARSHAL_SIZE32_MAX) return fold_bad(F, v, type, "too large");
        if (!fold_fits(b, 5 + len)) return fold_nomem(F);
        p = b->data + b->len;
        p[0] = tc;
        put_u32(p + 1, (uint32_t)len);
        if (len) memcpy(p + 5, v->u.s.data, len);
        b->len += 5 + len;
        return 0;
    }
    case TYPE_INT: {
        int64_t x;
        if (!value_int_to_i64(v, &x) || x < INT32_MIN || x > INT32_MAX)
            return fold_bad(F, v, type, "value out of range");
        if (!fold_fits(b, 5)) return fold_nomem(F);
        p = b->data + b->len;
        p[0] = tc;
        put_u32(p + 1, (uint32_t)x);
        b->len += 5;
        return 0;
    }
    case TYPE_LONG: {
        int32_t n = v->u.i.ndigits;
        size_t count = n < 0 ? (size_t)-(int64_t)n : (size_t)n;
        if (!fold_fits(b, 5 + 2 * count)) return fold_nomem(F);
        p = b->data + b->len;
        p[0] = tc;
        p = put_u32(p + 1, (uint32_t)n);
        for (size_t k = 0; k < count; k++) {
            *p++ = (uint8_t)v->u.i.digits[k];
            *p++ = (uint8_t)(v->u.i.digits[k] >> 8);
        }
        b->len += 5 + 2 * count;
        return 0;
    }
    case TYPE_BINARY_FLOAT: case TYPE_BINARY_COMPLEX: {
        double d[2] = {type == TYPE_BINARY_FLOAT ? v->u.f.v : v->u.c.re, v->u.c.im};
        size_t nd = type == TYPE_BINARY_FLOAT ? 1 : 2;
        if (!fold_fits(b, 1 + 8 * nd)) return fold_nomem(F);
        p = b->data + b->len;
        *p++ = tc;
        for (size_t k = 0; k < nd; k++) {
            uint64_t bits;
            memcpy(&bits, &d[k], sizeof bits);
            p = put_u32(put_u32(p, (uint32_t)bits), (uint32_t)(bits >> 32));
        }
        b->len += 1 + 8 * nd;
        return 0;
    }
    default:
        return fold_bad(F, v, type, "unknown type code");
    }
}

static int fold_ref(Fold *F, Value *v, bool twice);
static int fold_leaf(Fold *F, Value *v, bool twice);

/* put_leaf of a bytes object (type byte tc), inline: most leaves (co_code, the line and
   exception tables). */
static inline int put_bytes(Fold *F, Buf *b, const Value *v, uint8_t tc)
{
    size_t len = v->u.s.len;
    if (len > (size_t)MARSHAL_SIZE32_MAX) return put_leaf(F, b, v, tc);   /* its error */
    if (!fold_fits(b, 5 + len)) return fold_nomem(F);
    uint8_t *p = b->data + b->len;
    p[0] = tc;
    put_u32(p + 1, (uint32_t)len);
    if (len) memcpy(p + 5, v->u.s.data, len);
    b->len += 5 + len;
    return 0;
}

/* memcpy of at most 16 bytes: two overlapping words, no call (a plain copy: loads and stores
   in the machine's order). */
static inline void copy_short(uint8_t *p, const uint8_t *s, size_t n)
{
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8), memcpy(&b, s + n - 8, 8);
        memcpy(p, &a, 8), memcpy(p + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4);
        memcpy(p, &a, 4), memcpy(p + n - 4, &b, 4);
    } else if (n) {
        uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
        p[0] = a, p[n / 2] = b, p[n - 1] = c;
    }
}

/* A second (or later) reference to v, marked: its type byte flagged, a reference written
   with its index left for the end of the walk. */
static inline int fold_again(Fold *F, const Value *v)
{
    Buf *out = F->out;
    if (!fold_fits(out, 5)) return fold_nomem(F);
    uint8_t *p = out->data + out->len;
    if (F->nrefs == F->refcap && !fold_grow_refs(F)) return -1;
    uint32_t k = v->mark - 1;
    size_t pos = out->len;
    out->data[F->objs[k].pos] |= FLAG_REF;
    F->refs[F->nrefs++] = (FoldRef){pos, k};
    p[0] = TYPE_REF;   /* the index is patched when the walk ends */
    out->len = pos + 5;
    return 0;
}

/* ascii_only of at most 16 bytes: two overlapping loads, no loop. */
static inline bool ascii16(const uint8_t *s, size_t n)
{
    if (n >= 8) return !((value_load_le8(s) | value_load_le8(s + n - 8)) & 0x8080808080808080ULL);
    if (n >= 4) return !((value_load_le4(s) | value_load_le4(s + n - 4)) & 0x80808080u);
    return !(n && ((s[0] | s[n / 2] | s[n - 1]) & 0x80));
}

static inline int fold_str16(Fold *F, Value *v, bool twice);

/* fold_str16 too deep, or where an array or the output has no room: grown, then
   fold_str16 again. */
static __attribute__((noinline)) int fold_str16_grow(Fold *F, Value *v, bool twice)
{
    if (F->depth >= F->max_depth) return fold_too_deep(F);
    if (F->nobjs == F->cap && !fold_grow_objs(F)) return -1;
    if (!fold_fits(F->out, 5 + 16)) return fold_nomem(F);
    return fold_str16(F, v, twice);
}

/* A first reference to a str of at most 16 bytes (most objects: names), unmarked:
   type_code and put_leaf inline, and itself inline in fold_slot (no call per name). Its
   rare cases in one test, out of line as a tail call. */
static inline __attribute__((always_inline)) int fold_str16(Fold *F, Value *v, bool twice)
{
    Buf *out = F->out;
    if (F->depth >= F->max_depth || F->nobjs == F->cap || out->cap - out->len < 5 + 16)
        return fold_str16_grow(F, v, twice);
    F->objs[F->nobjs++] = (FoldObj){v, out->len};
    v->mark = F->nobjs;
    bool in = is_interned(v);
    size_t len = v->u.s.len;
    uint8_t tc = !ascii16(v->u.s.data, len) ? (in ? TYPE_INTERNED : TYPE_UNICODE)
                                            : (in ? TYPE_SHORT_ASCII_INTERNED : TYPE_SHORT_ASCII);
    tc |= twice || in ? FLAG_REF : 0;
    v->tcode = tc;
    uint8_t *p = out->data + out->len;
    p[0] = tc;
    if ((tc & ~FLAG_REF) == TYPE_SHORT_ASCII || (tc & ~FLAG_REF) == TYPE_SHORT_ASCII_INTERNED) {
        p[1] = (uint8_t)len;
        p += 2;
    } else {
        p = put_u32(p + 1, (uint32_t)len);
    }
    copy_short(p, v->u.s.data, len);
    out->len = (size_t)(p - out->data) + len;
    return 0;
}

/* One slot of a container or a code object. Forced inline: out of line (the compiler makes
   it one, as it recurses through fold_ref) each slot paid a call and a frame's saves. */
static inline __attribute__((always_inline)) int fold_slot(Fold *F, Value **p, bool twice)
{
    Value *v = *p;
    if (v->mark) return fold_again(F, v);   /* only non-singletons are marked */
    v = fold_singleton(F->r, p, &twice);
    if (v->mark) return fold_again(F, v);
    if (v->kind == V_STR && v->u.s.len <= 16) return fold_str16(F, v, twice);
    if (v->kind == V_BYTES && F->depth < F->max_depth && F->nobjs < F->cap) {
        /* the line and exception tables (two a code object): fold_leaf's inline */
        uint8_t tc = (uint8_t)(TYPE_STRING | (twice ? FLAG_REF : 0));
        F->objs[F->nobjs++] = (FoldObj){v, F->out->len};
        v->mark = F->nobjs;
        v->tcode = tc;
        return put_bytes(F, F->out, v, tc);
    }
    if (v->kind < V_TUPLE) return fold_leaf(F, v, twice);
    return fold_ref(F, v, twice);
}

/* Sorts a frozenset's leaf items by their marshal bytes (as item: flagged unless a
   singleton like None); false with F->retry set when an item is a container. */
static int fold_sort_frozenset(Fold *F, Value *v)
{
    size_t n = v->u.seq.n;
    Value **items = v->u.seq.items;
    for (size_t k = 0; k < n; k++) {
        Value *it = items[k];
        if (!it->mark) {
            bool twice = true;
            it = fold_singleton(F->r, &items[k], &twice);
        }
        if (it->kind >= V_TUPLE) {
            F->retry = true;
            return -1;
        }
    }
    if (n < 2) return 0;
    if (n > F->dcap) {
        free(F->d);
        if (!(F->d = malloc(n * sizeof *F->d))) return F->dcap = 0, fold_nomem(F);
        F->dcap = n;
    }
    Buf *b = &F->dump;
    b->len = 0;
    for (size_t k = 0; k < n; k++) {
        Value *it = items[k];
        F->d[k] = (Dumped){b, b->len, 0, it};
        if (it->kind <= V_STOPITER) {
            if (!fold_fits(b, 1)) return fold_nomem(F);
            uint8_t *p = b->data + b->len;
            *p = type_code(it);
            b->len++;
        } else if (put_leaf(F, b, it, (uint8_t)(type_code(it) | FLAG_REF))) {
            return -1;
        }
        F->d[k].len = b->len - F->d[k].off;
    }
    qsort(F->d, n, sizeof *F->d, cmp_dumped);   /* equal dumps: equal items, order moot */
    for (size_t k = 0; k < n; k++) items[k] = F->d[k].v;
    return 0;
}

/* fold_code's steps for target t: its fields in marshal order, consecutive ints as one. */
static __attribute__((noinline)) void fold_steps(Fold *F, const cpyc_target *t)
{
    F->nsteps = 0;
    for (int k = 0; k < t->n_code_fields; k++) {
        CodeField f = t->code_fields[k];
        if (F->intfields >> f & 1) {
            if (F->nsteps && F->steps[F->nsteps - 1].what == FS_INTS) {
                F->steps[F->nsteps - 1].run++;
                continue;
            }
            F->steps[F->nsteps++] = (FoldStep){FS_INTS, (uint8_t)k, 1};   /* field: the first's index */
        } else {
            uint8_t what = f == CO_CODE || f == CO_LOCALSPLUSKINDS ? FS_FRESH : FS_SLOT;
            F->steps[F->nsteps++] = (FoldStep){what, (uint8_t)f, 0};
        }
    }
    F->steps_for = t;
}

static int fold_code(Fold *F, Code *c)
{
    if (c->target != F->steps_for) fold_steps(F, c->target);
    const CodeField *fields = c->target->code_fields;
    Buf *out = F->out;
    for (const FoldStep *st = F->steps, *end = st + F->nsteps; st < end; st++) {
        if (st->what == FS_INTS) {
            if (!fold_fits(out, 4 * (size_t)st->run)) return fold_nomem(F);
            uint8_t *p = out->data + out->len;
            for (int k = 0; k < st->run; k++) p = put_u32(p, (uint32_t)c->ival[fields[st->field + k]]);
            out->len += 4 * (size_t)st->run;
            continue;
        }
        CodeField f = st->field;
        Value *b = c->oval[f];
        if (!b) {
            F->r->failed = true;
            return error_at(F->r->err, CPYC_ERR_FORMAT, -1, "code object has no %s", code_field_name(f));
        } else if (st->what == FS_FRESH && b->u.s.len) {
            /* co_code is a fresh bytes object per code object (_PyCode_GetCode), and so is
               a non-empty co_localspluskinds: never shared with anything, so written as
               met, unmarked; the code object keeps a copy of co_code (flagged) */
            if (F->depth >= F->max_depth) goto deep;
            uint8_t tc = (uint8_t)(TYPE_STRING | (f == CO_CODE ? FLAG_REF : 0));
            if (f == CO_CODE) {
                if (F->nobjs == F->cap && !fold_grow_objs(F)) return -1;
                F->objs[F->nobjs++] = (FoldObj){&F->copy, F->out->len};
            }
            if (put_bytes(F, F->out, b, tc)) return -1;
        } else if (fold_slot(F, &c->oval[f], false)) {
            return -1;
        }
    }
    return 0;
deep:
    return fold_too_deep(F);
}

/* fold_ref of a leaf (a singleton, str, bytes, number): out of line, apart from the
   containers' larger frame. */
static __attribute__((noinline)) int fold_leaf(Fold *F, Value *v, bool twice)
{
    Buf *out = F->out;
    if (v->kind <= V_STOPITER) {
        if (!fold_fits(out, 1)) return fold_nomem(F);
        uint8_t *p = out->data + out->len;
        *p = v->tcode = type_code(v);
        out->len++;
        return 0;
    }
    if (F->depth >= F->max_depth) return fold_too_deep(F);
    if (F->nobjs == F->cap && !fold_grow_objs(F)) return -1;
    F->objs[F->nobjs++] = (FoldObj){v, out->len};
    v->mark = F->nobjs;
    if (v->kind == V_BYTES) {   /* the line and exception tables: type_code inline */
        uint8_t tc = (uint8_t)(TYPE_STRING | (twice ? FLAG_REF : 0));
        v->tcode = tc;
        return put_bytes(F, out, v, tc);
    }
    bool flag = twice || (v->kind == V_STR && is_interned(v));
    uint8_t tc = (uint8_t)(type_code(v) | (flag ? FLAG_REF : 0));
    v->tcode = tc;
    return put_leaf(F, out, v, tc);
}

/* The first reference to v (see ref), unmarked: written in full. */
static int fold_ref(Fold *F, Value *v, bool twice)
{
    if (v->kind < V_TUPLE) return fold_leaf(F, v, twice);
    Buf *out = F->out;
    if (F->depth >= F->max_depth) return fold_too_deep(F);
    if (F->nobjs == F->cap && !fold_grow_objs(F)) return -1;
    F->objs[F->nobjs++] = (FoldObj){v, out->len};
    v->mark = F->nobjs;
    size_t n = v->u.seq.n;
    /* type_code's of a tuple or a code object (most containers) inline */
    uint8_t tc = v->kind == V_TUPLE ? (n < 256 ? TYPE_SMALL_TUPLE : TYPE_TUPLE)
                 : v->kind == V_CODE ? TYPE_CODE : type_code(v);
    tc |= twice ? FLAG_REF : 0;
    v->tcode = tc;
    if (!fold_fits(out, 5)) return fold_nomem(F);
    uint8_t *p = out->data + out->len;
    *p++ = tc;
    switch ((ValueKind)v->kind) {
    case V_TUPLE:
        if ((tc & ~FLAG_REF) == TYPE_SMALL_TUPLE) *p = (uint8_t)n, out->len += 2;
        else put_u32(p, (uint32_t)n), out->len += 5;
        break;
    case V_FROZENSET:
        if (fold_sort_frozenset(F, v)) return -1;
        /* fall through */
    case V_LIST: case V_SET:
        put_u32(p, (uint32_t)n), out->len += 5;
        break;
    case V_DICT:
        out->len++;
        n *= 2;
        break;
    case V_CODE:
        out->len++;
        F->depth++;
        int rc = fold_code(F, v->u.code);
        F->depth--;
        return rc;
    default:
        return fold_bad(F, v, tc & (uint8_t)~FLAG_REF, "unknown type code");
    }
    if (n > (size_t)MARSHAL_SIZE32_MAX) return fold_bad(F, v, tc & (uint8_t)~FLAG_REF, "too many items");
    /* marshal holds a frozenset's items while it writes them (it sorts them), so their
       count is above one then: always flagged */
    bool items_twice = v->kind == V_FROZENSET;
    Value **items = v->u.seq.items;   /* a local: the writes through bytes would load it again */
    F->depth++;
    for (size_t k = 0; k < n; k++)
        if (fold_slot(F, &items[k], items_twice)) return F->depth--, -1;
    F->depth--;
    if (v->kind == V_DICT) {
        if (!fold_fits(out, 1)) return fold_nomem(F);
        p = out->data + out->len;
        *p = TYPE_NULL;
        out->len++;
    }
    return 0;
}

/* Phases 1 and 2: the identifiers, then each code object's constants, filename, qualname
   (by the steps the first walk noted). */
static int refs_intern(Refs *r, Value *module)
{
    for (int f = 0; f < CO__COUNT; f++)
        if (code_field_kind((CodeField)f) != CF_INT) r->objfields |= 1u << f;
    if (!intern_grow(r)) return -1;   /* the first table */
    intern_identifiers(r, module);   /* marks the code objects it meets */
    /* a code object the CFG dropped as unreachable was made all the same: its names were
       interned in place, also in the constant tuples they are one object with (the others'
       are interned already: again would change nothing) */
    Value *const *units = module->u.code->units;
    uint32_t nunits = module->u.code->nunits;
    bool dropped = false;
    for (uint32_t k = 0; k < nunits; k++)
        if (!units[k]->mark) intern_names(r, units[k]->u.code), dropped = true;
    clear_marks(r);
    if (!r->failed && dropped) {
        /* ... and interned its constants, filename and qualname when it was made: every code
           object in the order they were made (a dropped class's qualname interned first is
           the object a later class of that qualname gets) */
        for (uint32_t k = 0; k < nunits; k++) intern_own(r, units[k]);
        if (!nunits || units[nunits - 1] != module) intern_own(r, module);
    } else if (!r->failed) {
        if (r->steps_bad) intern_code(r, module);
        else intern_steps(r);
    }
    free(r->steps);
    free(r->own);
    r->steps = NULL, r->own = NULL;
    return r->failed ? -1 : 0;
}

/* Phase 3 and 4 the two-pass way: type codes and flags on the tree, frozensets sorted. */
static int refs_walk(Refs *r, Value *module)
{
    ref(r, module, true);   /* the caller holds the module's code object too */
    clear_marks(r);
    if (!r->failed) sort_frozensets(r, module->u.code->target);
    return r->failed ? -1 : 0;
}

int refs_assign(Value *module, const RefsEnv *env, Arena *a, cpyc_error *err)
{
    if (module->kind != V_CODE)
        return error_at(err, CPYC_ERR_FORMAT, -1, "refs_assign: not a code object");
    Refs rs = {.arena = a, .env = env, .err = err, .slots0 = 256}, *r = &rs;   /* 4 KB, mostly the singletons */
    int rc = refs_intern(r, module) || refs_walk(r, module) ? -1 : 0;
    free(r->objs);
    free(r->fsets);
    return rc;
}

/* The output's room for about the marshal of module, when the caller's (from the source's
   size) is less: a pyc larger than its source (few comments and docstrings, many small code
   objects) would otherwise be grown, each time a copy of all of it. A code object takes
   about 550 bytes (the stdlib's average: 590; an unused rest of the room costs nothing),
   a name about 12 (no walk over the code objects for a closer guess: it would cost more
   than the growth it saves). While the output holds only the header, a fresh block and
   that copied (a realloc would copy the whole old room). */
static void reserve_output(Buf *out, const Value *module, uint32_t nnames)
{
    size_t est = 550 * ((size_t)module->u.code->nunits + 1) + 12 * (size_t)nnames + 256;
    if (out->failed || est <= out->cap - out->len) return;
    if (out->len > 64) {
        buf_reserve(out, est);
        return;
    }
    uint8_t *d = malloc(out->len + est);
    if (!d) {
        out->failed = true;
        return;
    }
    if (out->len) memcpy(d, out->data, out->len);
    free(out->data);
    out->data = d;
    out->cap = out->len + est;
}

int refs_write(Buf *out, Value *module, const RefsEnv *env, Arena *a, cpyc_error *err)
{
    if (module->kind != V_CODE)
        return error_at(err, CPYC_ERR_FORMAT, -1, "refs_write: not a code object");
    const cpyc_target *t = module->u.code->target;
    Refs rs = {.arena = a, .env = env, .err = err, .slots0 = 256}, *r = &rs;
    /* the intern table sized from the output's room (the caller reserves about the file's):
       a slot per 100 bytes, which most modules fill no more than half (a larger table costs
       more to zero than the growth it saves) */
    while (r->slots0 < (1u << 20) && r->slots0 * 100 < out->cap - out->len) r->slots0 *= 2;
    Fold F = {.r = r, .out = out, .max_depth = t->max_marshal_depth};
    for (int f = 0; f < CO__COUNT; f++)
        if (code_field_kind((CodeField)f) == CF_INT) F.intfields |= 1u << f;
    size_t start = out->len, room = (out->cap - out->len) / 16;
    /* about one object per 12 bytes of a pyc: the caller reserves room for the whole file */
    F.cap0 = room < 1024 ? 1024 : room > (1u << 24) ? 1u << 24 : (uint32_t)room;
    int rc = out->failed ? fold_nomem(&F) : refs_intern(r, module);
    /* ... or from what phase 1 counted, when more (a pyc larger than its source: many small
       code objects): about 8 objects a code object besides the names, so that the arrays
       are not grown (each growth a copy) */
    uint64_t est = 8 * (uint64_t)module->u.code->nunits + r->interned.n + 64;
    if (est > F.cap0) F.cap0 = est > (1u << 24) ? 1u << 24 : (uint32_t)est;
    if (rc == 0) reserve_output(out, module, r->interned.n);
    if (rc == 0) rc = fold_ref(&F, module, true);   /* the caller holds the module's code object too */
    /* the flagged objects numbered in stream order. The marks are left as they are: the
       caller drops the tree with its arena (each a store to an object long out of the
       cache); only the retry's walk below needs them back to 0 */
    uint32_t next = 0;
    if (rc == 0) {
        /* a reference's object is flagged: an unflagged one's number is never read, and
           it is given the next one's without a test */
        const uint8_t *data = out->data;
        for (FoldObj *o = F.objs, *end = o + F.nobjs; o < end; o++) {
            uint32_t flagged = data[o->pos] >> 7;
            _Static_assert(FLAG_REF == 0x80, "the flag is the type byte's top bit");
            o->pos = next;
            next += flagged;
        }
    } else {
        for (uint32_t k = 0; k < F.nobjs; k++) F.objs[k].v->mark = 0;
    }
    if (rc == 0) {
        for (uint32_t k = 0; k < F.nrefs; k++)
            put_u32(out->data + F.refs[k].pos + 1, (uint32_t)F.objs[F.refs[k].obj].pos);
    } else if (F.retry && !r->failed) {
        /* a frozenset the fold cannot order: the two passes */
        out->len = start;
        rc = refs_walk(r, module) ? -1 : marshal_write_object(out, module, t, err);
    }
    free(F.objs);
    free(F.refs);
    free(F.d);
    buf_free(&F.dump);
    free(r->objs);
    free(r->fsets);
    if (rc == 0 && out->failed) rc = error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    return rc;
}
