/* symtable_int.h - what the symbol table's two passes share: symtable.c walks the AST and
   records raw facts, symtable_analyze.c decides every name's scope (CPython's two passes). */
#ifndef CPYC_SYMTABLE_INT_H
#define CPYC_SYMTABLE_INT_H

#include "compile.h"

/* A SyntaxError at an AST location (0-based byte columns), reported as CPython's symtable
   does: offset and end offset are the columns + 1. Returns 0 (CPython's failure value). */
int st_syntax_error(cpyc_error *err, int lineno, int col_offset, int end_lineno,
                    int end_col_offset, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int st_nomem(cpyc_error *err);   /* MemoryError; returns 0 */

/* One distinct name of the unit (by text): the first pass finds it from any pointer to
   its text, so that both passes compare names by identity, never by their bytes. */
typedef struct NameRec {
    const char *s;              /* the text, as first seen in the unit */
    int64_t hash;               /* Python's str hash of s, once has_hash */
    const struct BlockSyms *cbs;/* the block it was last found in, at index cidx (a cache) */
    uint32_t cidx;
    uint32_t len, thash;        /* of s; thash: NameKey's (the first pass's table by text, NameMaps) */
    uint32_t cell_stamp;        /* analysis: the block whose inlined cells include it */
    uint8_t has_hash;
    uint8_t sets;               /* analysis: IN_* of the sets the analyzed block was given */
    uint8_t in_block;           /* among some block's symbols (else syms_probe need not look:
                                   a block of many names saturates its bloom bits) */
} NameRec;

/* A block's symbols until the end: in CPython's order (ste_symbols), found by NameRec. */
typedef struct BlockSyms {
    NameRec **keys;
    intptr_t *vals;
    uint32_t n, cap;
    uint32_t *slots;            /* mask + 1 of them: index + 1 into keys, 0 empty (or NULL) */
    uint32_t mask, nslotted;    /* the first nslotted keys are in slots */
    Arena *arena;               /* of slots */
    uint64_t bloom;             /* bit bloom_bit(r) of every key: most absent names miss it */
    NameRec **params;           /* ste_varnames */
    uint32_t nparams, params_cap;
} BlockSyms;

/* What enter_block allocates: the entry and, behind it, its symbols. */
typedef struct BuildEntry {
    StEntry e;
    BlockSyms syms;
    struct BuildEntry *next;    /* all blocks, in creation order */
} BuildEntry;

static inline BlockSyms *syms_of(const StEntry *e) { return &((BuildEntry *)e)->syms; }

int syms_probe(BlockSyms *bs, NameRec *r);   /* syms_find past the NameRec's cache */
static inline uint64_t bloom_bit(const NameRec *r)
{
    return 1ull << (((uintptr_t)r * 0x9E3779B97F4A7C15ull) >> 58);
}
static inline int syms_find(BlockSyms *bs, NameRec *r)               /* index, or -1 */
{
    if (r->cbs == bs) return (int)r->cidx;
    return bs->bloom & bloom_bit(r) ? syms_probe(bs, r) : -1;
}
/* Appends r (absent from bs, which has room for it: n < cap); its index. */
static inline uint32_t syms_push(BlockSyms *bs, NameRec *r, intptr_t val)
{
    uint32_t i = bs->n++;
    bs->keys[i] = r;
    bs->vals[i] = val;
    bs->bloom |= bloom_bit(r);
    r->cbs = bs, r->cidx = i;
    r->in_block = 1;
    return i;
}
int syms_add(Arena *a, BlockSyms *bs, NameRec *r, intptr_t val);    /* new r: index, -1 no memory */
bool syms_del(BlockSyms *bs, NameRec *r);                           /* later ones move up */

/* The second pass (symtable_analyze in CPython) over the entries below top: scopes into
   every symbol's flags, cells, frees, inlined comprehensions. Returns 1, or 0 with err set.
   dunder_class and dunder_classdict: the unit's NameRecs of "__class__" and "__classdict__". */
int st_analyze(StEntry *top, Arena *a, NameRec *dunder_class, NameRec *dunder_classdict,
               const cpyc_target *t, cpyc_error *err);

#endif
