/* assemble.c - the final instruction sequence to a code object, as CPython 3.13's assemble.c
   and _PyCode_New build it: co_code, the location table, the exception table, localsplus. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "opmeta.h"
#include "pyc/marshal.h"

/* Location-table entry kinds (Include/cpython/code.h, Objects/locations.md). */
enum { LOC_SHORT0 = 0, LOC_ONE_LINE0 = 10, LOC_NO_COLUMNS = 13, LOC_LONG = 14, LOC_NONE = 15 };

/* Resolution rounds before giving up: sizes only change where jumps cross 256^k units. */
enum { MAX_JUMP_ROUNDS = 64 };

/* Largest table entries: a location's kind byte and four varints, an exception entry's four
   items; a 32-bit value takes at most six 6-bit groups. */
enum { LOC_ENTRY_MAX = 1 + 4 * 6, EXC_ENTRY_MAX = 4 * 6 };

/* Code units of an instruction: EXTENDED_ARG prefixes (most have none), itself, caches. */
static inline int units_of(unsigned arg, int caches)
{
    if (arg <= 0xFF) return 1 + caches;
    return 2 + (arg > 0xFFFF) + (arg > 0xFFFFFF) + caches;
}

int assemble_instr_size(const cpyc_target *t, int opcode, int oparg)
{
    if (opcode < 0 || opcode >= OP__COUNT) return units_of((unsigned)oparg, 0);
    return units_of((unsigned)oparg, t->opmeta->ops[opcode].caches);
}

static bool is_backward(int op) { return op == OP_JUMP_BACKWARD || op == OP_JUMP_BACKWARD_NO_INTERRUPT; }

static int fail(cpyc_error *err, const char *what)
{
    return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "assemble: %s", what);
}

/* One instruction while assembling (the final sequence itself is left as it is). */
typedef struct AsmIn {
    int arg;        /* the oparg; jumps: the unit distance once resolved */
    int off;        /* offset in code units */
    uint8_t op;     /* the real opcode (pseudo jumps made real) */
    uint8_t code;   /* its byte in co_code */
    uint8_t size;   /* code units: EXTENDED_ARGs, itself, caches */
    uint8_t caches;
} AsmIn;

typedef struct Asm {
    const OpInfo *ops;  /* the target's opcode metadata */
    const Instr *ins;
    int n;
    AsmIn *w;       /* [n] */
    int *jump;      /* [njumps]: the jumps' indices, in order */
    int *target;    /* [njumps]: their targets' indices */
    int njumps;
    cpyc_error *err;
} Asm;

/* Checks the sequence, makes the pseudo jumps real (forward when the target comes later) and
   sizes and places each instruction by its argument: a jump by its target's index at first,
   as CPython does. Returns the units so placed, -1 on error. */
static int load_instrs(Asm *as)
{
    int n = as->n, off = 0;
    const OpInfo *ops = as->ops;
    const Instr *in = as->ins;
    AsmIn *w = as->w;
    for (int i = 0; i < n; i++, in++, w++) {
        unsigned op = (unsigned)in->opcode, arg = (unsigned)in->oparg;
        if (op >= OP_MIN_PSEUDO) {
            bool forward = (int)arg > i;
            if (op == OP_JUMP) op = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
            else if (op == OP_JUMP_NO_INTERRUPT) op = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
            else return fail(as->err, "pseudo instruction left");
        }
        if (arg >= 1u << 30) return fail(as->err, "argument out of range");
        if (in->eh.label >= n) return fail(as->err, "handler past the end");
        const OpInfo *oi = &ops[op];
        if (oi->flags & OPF_JUMP) {   /* opcode_has_target */
            if ((int)arg >= n) return fail(as->err, "jump past the end");
            as->jump[as->njumps] = i;
            as->target[as->njumps++] = (int)arg;
        }
        int caches = oi->caches, size = units_of(arg, caches);
        *w = (AsmIn){.arg = (int)arg, .off = off, .op = (uint8_t)op, .code = oi->code,
                     .caches = (uint8_t)caches, .size = (uint8_t)size};
        off += size;
    }
    return off;
}

/* Jump arguments become unit distances from the instruction after the jump. Sizes depend on
   arguments and arguments on sizes, so offsets are recomputed until no size changes; each
   round measures from the offsets it began with (load_instrs placed the first). Returns the
   code's units. */
static int resolve_jumps(Asm *as, int units)
{
    AsmIn *w = as->w;
    for (int round = 0;; round++) {
        if (round == MAX_JUMP_ROUNDS) return fail(as->err, "jump offsets do not settle");
        bool changed = false;
        for (int k = 0; k < as->njumps; k++) {
            AsmIn *in = &w[as->jump[k]];
            int after = in->off + in->size, to = w[as->target[k]].off;
            if ((to < after) != is_backward(in->op)) return fail(as->err, "jump in the wrong direction");
            in->arg = to < after ? after - to : to - after;
            int size = units_of((unsigned)in->arg, in->caches);
            if (size != in->size) {
                in->size = (uint8_t)size;
                changed = true;
            }
        }
        if (!changed) return units;
        units = 0;
        for (int i = 0; i < as->n; i++) {
            w[i].off = units;
            units += w[i].size;
        }
    }
}

/* One instruction at p in zeroed co_code: the CACHE entries are (0, 0) already. */
static void put_code(uint8_t *p, const AsmIn *w, uint8_t extended_arg)
{
    unsigned arg = (unsigned)w->arg;
    for (int k = w->size - 1 - w->caches; k > 0; k--) {
        *p++ = extended_arg;
        *p++ = (uint8_t)(arg >> (8 * k));
    }
    p[0] = w->code;
    p[1] = (uint8_t)arg;
}

/* ---- the location table (PEP 657), written through a pointer into room reserved once */

static uint8_t *put_varint(uint8_t *p, unsigned v)
{
    for (; v >= 64; v >>= 6) *p++ = (uint8_t)(64 | (v & 63));
    *p++ = (uint8_t)v;
    return p;
}

static uint8_t *put_svarint(uint8_t *p, int v)
{
    return put_varint(p, v < 0 ? ((0u - (unsigned)v) << 1) | 1 : (unsigned)v << 1);
}

static uint8_t loc_start(int kind, int units) { return (uint8_t)(0x80 | kind << 3 | (units - 1)); }

/* One entry of 1..8 units; *line is the line the next delta is taken from. The common
   forms (one line with columns) are tested first. */
static inline __attribute__((always_inline)) uint8_t *put_loc_entry(uint8_t *p, int *line,
                                                                    SrcLoc loc, int units)
{
    int delta = loc.lineno - *line, col = loc.col, end = loc.end_col;
    /* the commonest form first, in fewer tests: the unsigned ones also reject negatives */
    if (delta == 0 && loc.end_lineno == loc.lineno && (unsigned)col < 80 &&
        (unsigned)(end - col) < 16 && loc.lineno != -1) {
        p[0] = loc_start(LOC_SHORT0 + (col >> 3), units);
        p[1] = (uint8_t)((col & 7) << 4 | (end - col));
        return p + 2;
    }
    if (loc.lineno != -1 && col >= 0 && end >= 0 && loc.end_lineno == loc.lineno) {
        if (delta == 0 && col < 80 && end >= col && end - col < 16) {
            p[0] = loc_start(LOC_SHORT0 + (col >> 3), units);
            p[1] = (uint8_t)((col & 7) << 4 | (end - col));
            return p + 2;
        }
        if (delta >= 0 && delta < 3 && col < 128 && end < 128) {
            p[0] = loc_start(LOC_ONE_LINE0 + delta, units);
            p[1] = (uint8_t)col;
            p[2] = (uint8_t)end;
            *line = loc.lineno;
            return p + 3;
        }
    } else if (loc.lineno == -1) {
        *p++ = loc_start(LOC_NONE, units);
        return p;
    } else if ((col < 0 || end < 0) && (loc.end_lineno == loc.lineno || loc.end_lineno < 0)) {
        *p++ = loc_start(LOC_NO_COLUMNS, units);
        *line = loc.lineno;
        return put_svarint(p, delta);
    }
    *p++ = loc_start(LOC_LONG, units);
    p = put_svarint(p, delta);
    p = put_varint(p, (unsigned)loc.end_lineno - (unsigned)loc.lineno);
    p = put_varint(p, (unsigned)col + 1);
    p = put_varint(p, (unsigned)end + 1);
    *line = loc.lineno;
    return p;
}

/* loc_same as two 64-bit compares without branches between them: it runs per instruction. */
static inline bool loc_same_fast(SrcLoc a, SrcLoc b)
{
    _Static_assert(sizeof(SrcLoc) == 16, "SrcLoc is four int32s");
    uint64_t x[2], y[2];
    memcpy(x, &a, sizeof x), memcpy(y, &b, sizeof y);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* A run of more than 8 units sharing one location: entries of 8, then the rest. After the
   first, *line no longer changes, so the further entries of 8 are copies of the second. */
static __attribute__((noinline)) uint8_t *put_loc_long_run(uint8_t *p, int *line, SrcLoc loc,
                                                            int units)
{
    p = put_loc_entry(p, line, loc, 8);
    units -= 8;
    if (units > 8) {
        const uint8_t *rep = p;
        p = put_loc_entry(p, line, loc, 8);
        size_t len = (size_t)(p - rep);
        for (units -= 8; units > 8; units -= 8)
            for (size_t k = 0; k < len; k++) *p++ = rep[k];
    }
    return put_loc_entry(p, line, loc, units);
}

/* A run of units sharing one location (most take one entry). */
static inline __attribute__((always_inline)) uint8_t *put_loc_run(uint8_t *p, int *line,
                                                                  SrcLoc loc, int units)
{
    return units <= 8 ? put_loc_entry(p, line, loc, units) : put_loc_long_run(p, line, loc, units);
}

/* Room: at most one entry per run of instructions plus one per 8 units. */
static size_t locations_max(int n, int units) { return ((size_t)n + (size_t)units / 8 + 1) * LOC_ENTRY_MAX; }

/* ---- the exception table (Objects/exception_handling_notes.txt) */

/* 6-bit groups, most significant first; bit 6 says another group follows; msb marks the
   first item of an entry. */
static uint8_t *put_exc_item(uint8_t *p, unsigned v, uint8_t msb)
{
    for (int shift = 24; shift > 0; shift -= 6)
        if (v >= 1u << shift) {
            *p++ = (uint8_t)(((v >> shift) & 63) | 64 | msb);
            msb = 0;
        }
    *p++ = (uint8_t)((v & 63) | msb);
    return p;
}

static uint8_t *put_exc_entry(uint8_t *p, int start, int end, int handler_off, ExceptHandlerInfo h)
{
    int depth = h.startdepth - 1 - (h.preserve_lasti > 0);
    p = put_exc_item(p, (unsigned)start, 0x80);
    p = put_exc_item(p, (unsigned)(end - start), 0);
    p = put_exc_item(p, (unsigned)handler_off, 0);
    return put_exc_item(p, (unsigned)depth << 1 | (unsigned)h.preserve_lasti, 0);
}

/* ---- all three in one pass */

typedef struct Tables {
    uint8_t *code;      /* co_code, zeroed */
    uint8_t *lp, *ep;   /* the location and exception tables' ends so far */
} Tables;

/* co_code; a location entry per run of instructions with one location; an exception entry
   per run with the same handler (compared by handler only). */
static void put_tables(const Asm *as, Tables *t, int units, int firstlineno)
{
    uint8_t *lp = t->lp, *ep = t->ep, *code = t->code;
    uint8_t extended_arg = as->ops[OP_EXTENDED_ARG].code;
    int line = firstlineno, lstart = 0, start = -1;   /* lstart: the location run's offset */
    SrcLoc loc = NO_LOC;
    ExceptHandlerInfo h = {-1, -1, -1};
    const Instr *in = as->ins;
    const AsmIn *w = as->w;
    /* the instructions lie end to end, so co_code is written through one moving pointer */
    for (int i = 0, n = as->n; i < n; i++, in++, w++) {
        if (w->size == 1) {   /* neither prefixes nor caches */
            code[0] = w->code;
            code[1] = (uint8_t)w->arg;
        } else {
            put_code(code, w, extended_arg);
        }
        code += 2 * (size_t)w->size;
        if (!loc_same_fast(loc, in->loc)) {
            if (w->off != lstart) lp = put_loc_run(lp, &line, loc, w->off - lstart);
            loc = in->loc;
            lstart = w->off;
        }
        if (in->eh.label != h.label) {
            if (h.label >= 0) ep = put_exc_entry(ep, start, w->off, as->w[h.label].off, h);
            start = w->off;
            h = in->eh;
        }
    }
    t->lp = put_loc_run(lp, &line, loc, units - lstart);
    t->ep = h.label >= 0 ? put_exc_entry(ep, start, units, as->w[h.label].off, h) : ep;
}

/* ---- values: the unit's Values are one arena block, its items and bytes two more */

typedef struct ValueBlock { Value *next, *end; } ValueBlock;

static Value *take(ValueBlock *vb, ValueKind kind)
{
    if (vb->next == vb->end) return NULL;
    Value *v = vb->next++;
    *v = (Value){.kind = (uint8_t)kind};
    return v;
}

static Value *bytes_value(ValueBlock *vb, const uint8_t *data, size_t len)
{
    Value *v = take(vb, V_BYTES);
    if (v) v->u.s.data = data, v->u.s.len = len;
    return v;
}

/* A tuple over items[0..n) of the items block (*items moves past them). */
static Value *tuple_value(ValueBlock *vb, Value ***items, size_t n)
{
    Value *v = take(vb, V_TUPLE);
    if (v) v->u.seq.items = *items, v->u.seq.n = n;
    *items += n;
    return v;
}

/* CPython merges these through the module's constant cache (_PyCompile_ConstCacheMergeOne),
   so equal ones are one object. An empty tuple or bytes needs none: refs.c makes every one
   the immortal singleton. */
static Value *merge(ConstCache *cc, Value *v)
{
    if (!cc || !v || (v->kind == V_TUPLE ? v->u.seq.n : v->u.s.len) == 0) return v;
    return const_cache_merge_one(cc, v);
}

/* Names are identifiers: _PyCode_New interns them (refs.c does the same). Their texts are
   the NameMaps' own (arena strings that live as long as the code object); tcode is
   const_name's mark for refs.c. */
static Value *name_str(ValueBlock *vb, const char *s, size_t len)
{
    Value *v = take(vb, V_STR);
    if (!v) return NULL;
    v->tcode = TYPE_INTERNED;
    v->u.s.data = (const uint8_t *)(len ? s : "");
    v->u.s.len = len;
    return v;
}

/* A name of a NameMap keeps its key's hash: its text is not hashed again (refs.c, consts.c). */
static Value *name_value(ValueBlock *vb, const NameMap *m, uint32_t i)
{
    Value *v = name_str(vb, m->keys[i], m->klen[i]);
    if (v) v->u.s.hash = m->khash[i];
    return v;
}

static bool set_slot(Value *names, uint8_t *kinds, int nplus, intptr_t off, Value *name, int kind)
{
    if (off < 0 || off >= nplus || !name) return false;
    names->u.seq.items[off] = name;
    kinds[off] = (uint8_t)kind;
    return true;
}

/* compute_localsplus_info: locals (hidden, cell) at their varnames slots, then the cells that
   are not locals, then the free variables; returns co_nlocals or -1. */
static int localsplus(ValueBlock *nb, const CodeUnitMeta *m, int nplus, Value *names, uint8_t *kinds)
{
    bool hidden = m->fasthidden.n > 0, cells = m->cellvars.n > 0;
    for (uint32_t i = 0; i < m->varnames.n; i++) {
        const char *k = m->varnames.keys[i];
        int kind = CO_FAST_LOCAL;
        if (hidden && namemap_find(&m->fasthidden, k) >= 0) kind |= CO_FAST_HIDDEN;
        if (cells && namemap_find(&m->cellvars, k) >= 0) kind |= CO_FAST_CELL;
        if (!set_slot(names, kinds, nplus, m->varnames.vals[i], name_value(nb, &m->varnames, i), kind))
            return -1;
    }
    int nlocals = (int)m->varnames.n, dropped = 0;
    for (uint32_t i = 0; i < m->cellvars.n; i++) {
        if (namemap_find(&m->varnames, m->cellvars.keys[i]) >= 0) {
            dropped++;
            continue;
        }
        if (!set_slot(names, kinds, nplus, m->cellvars.vals[i] + nlocals - dropped,
                      name_value(nb, &m->cellvars, i), CO_FAST_CELL))
            return -1;
    }
    for (uint32_t i = 0; i < m->freevars.n; i++)
        if (!set_slot(names, kinds, nplus, m->freevars.vals[i] + nlocals - dropped,
                      name_value(nb, &m->freevars, i), CO_FAST_FREE))
            return -1;
    for (int i = 0; i < nplus; i++)
        if (!names->u.seq.items[i]) return -1;
    return nlocals;
}

/* Scratch for co_code and the two tables: on the stack unless the unit is large. */
enum { SCRATCH_STACK = 8192 };

/* The unit's Values besides its names: co_code, co_linetable, co_exceptiontable, co_names,
   co_consts, co_localsplusnames, co_localspluskinds, the code object. */
enum { UNIT_VALUES = 8 };

Value *assemble_code(const cpyc_target *t, const InstrSeq *final, CodeUnitMeta *meta,
                     ConstCache *cc, int stackdepth, int nlocalsplus, int code_flags,
                     const CodeFilename *file, Arena *a, cpyc_error *err)
{
    int n = final->n;
    Asm as = {.ops = t->opmeta->ops, .ins = final->instrs, .n = n, .err = err};
    as.w = arena_alloc_raw(final->arena, (size_t)(n ? n : 1) * sizeof *as.w);   /* scratch: the unit's */
    as.jump = arena_alloc_raw(final->arena, 2 * (size_t)(n ? n : 1) * sizeof *as.jump);
    if (!as.w || !as.jump) goto nomem;
    as.target = as.jump + n;
    int units = load_instrs(&as);
    if (units < 0 || (units = resolve_jumps(&as, units)) < 0) return NULL;

    /* co_code (zeroed: the caches stay so) and both tables into scratch, then one copy */
    size_t clen = 2 * (size_t)units, lmax = locations_max(n, units);
    size_t need = clen + lmax + ((size_t)n + 1) * EXC_ENTRY_MAX;
    uint8_t stack[SCRATCH_STACK], *scratch = stack;
    if (need > sizeof stack && !(scratch = malloc(need))) goto nomem;
    memset(scratch, 0, clen);
    Tables tb = {scratch, scratch + clen, scratch + clen + lmax};
    put_tables(&as, &tb, units, meta->firstlineno);
    size_t llen = (size_t)(tb.lp - (scratch + clen)), elen = (size_t)(tb.ep - (scratch + clen + lmax));
    size_t nplus = (size_t)nlocalsplus;
    uint8_t *bytes = arena_alloc_raw(a, clen + llen + elen + nplus);
    if (bytes) {
        memcpy(bytes, scratch, clen);
        memcpy(bytes + clen, scratch + clen, llen);
        memcpy(bytes + clen + llen, scratch + clen + lmax, elen);
    }
    if (scratch != stack) free(scratch);

    const char *qualname = meta->qualname ? meta->qualname : meta->name;
    size_t nvalues = UNIT_VALUES + meta->names.n + nplus + 3;
    size_t nitems = meta->names.n + meta->consts.n + nplus;
    ValueBlock vb = {arena_alloc_raw(a, nvalues * sizeof(Value)), NULL};
    Value **items = arena_alloc_raw(a, (nitems ? nitems : 1) * sizeof *items);
    Code *c = arena_alloc(a, sizeof *c);
    if (!bytes || !vb.next || !items || !c) goto nomem;
    vb.end = vb.next + nvalues;
    uint8_t *kinds = bytes + clen + llen + elen;
    Value *vcode = bytes_value(&vb, bytes, clen);
    Value *vexc = merge(cc, bytes_value(&vb, bytes + clen + llen, elen));
    Value *vlines = merge(cc, bytes_value(&vb, bytes + clen, llen));
    /* co_code is not merged: refs.c gives every code object a fresh one (_PyCode_GetCode),
       and the cache's object outlives no reference a marshal would count */

    Value *vnames = tuple_value(&vb, &items, meta->names.n);
    for (uint32_t i = 0; i < meta->names.n; i++) vnames->u.seq.items[i] = NULL;
    for (uint32_t i = 0; i < meta->names.n; i++) {
        intptr_t k = meta->names.vals[i];
        if (k < 0 || k >= (intptr_t)meta->names.n) return fail(err, "bad co_names index"), NULL;
        vnames->u.seq.items[k] = name_value(&vb, &meta->names, i);
    }
    for (uint32_t i = 0; i < meta->names.n; i++)
        if (!vnames->u.seq.items[i]) return fail(err, "co_names indices not dense"), NULL;
    Value *vconsts = tuple_value(&vb, &items, meta->consts.n);
    if (meta->consts.n) memcpy(vconsts->u.seq.items, meta->consts.items, meta->consts.n * sizeof(Value *));
    if (!vexc || !vlines) goto nomem;
    vnames = merge(cc, vnames);
    vconsts = merge(cc, vconsts);

    Value *vplus = tuple_value(&vb, &items, nplus);
    for (size_t i = 0; i < nplus; i++) vplus->u.seq.items[i] = NULL;
    Value *vkinds = bytes_value(&vb, kinds, nplus);
    int nlocals = localsplus(&vb, meta, nlocalsplus, vplus, kinds);
    if (nlocals < 0) return fail(err, "localsplus names do not fill their slots"), NULL;
    vplus = merge(cc, vplus);

    Value *v = take(&vb, V_CODE);
    Value *vfile = name_str(&vb, file->s, file->len);
    Value *vname = name_str(&vb, meta->name, strlen(meta->name));
    Value *vqual = meta->qualname_obj ? meta->qualname_obj : name_str(&vb, qualname, strlen(qualname));
    if (!v || !vfile || !vname || !vqual || !vnames || !vconsts || !vplus) goto nomem;
    vfile->u.s.hash = file->hash;
    v->u.code = c;
    c->target = t;
    c->ival[CO_ARGCOUNT] = meta->argcount + meta->posonlyargcount;
    c->ival[CO_POSONLYARGCOUNT] = meta->posonlyargcount;
    c->ival[CO_KWONLYARGCOUNT] = meta->kwonlyargcount;
    c->ival[CO_NLOCALS] = nlocals;
    c->ival[CO_STACKSIZE] = stackdepth ? stackdepth : 1;
    c->ival[CO_FLAGS] = code_flags;
    c->ival[CO_FIRSTLINENO] = meta->firstlineno;
    c->oval[CO_CODE] = vcode;
    c->oval[CO_CONSTS] = vconsts;
    c->oval[CO_NAMES] = vnames;
    c->oval[CO_LOCALSPLUSNAMES] = vplus;
    c->oval[CO_LOCALSPLUSKINDS] = vkinds;
    c->oval[CO_FILENAME] = vfile;
    c->oval[CO_NAME] = vname;
    c->oval[CO_QUALNAME] = vqual;
    c->oval[CO_LINETABLE] = vlines;
    c->oval[CO_EXCEPTIONTABLE] = vexc;
    return v;
nomem:
    error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    return NULL;
}
