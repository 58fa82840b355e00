/* assemble.c - the final instruction sequence to a code object, as CPython 3.13's assemble.c
   and _PyCode_New build it: co_code, the location table, the exception table, localsplus. */
#include <string.h>

#include "compile.h"
#include "opmeta.h"

/* Location-table entry kinds (Include/cpython/code.h, Objects/locations.md). */
enum { LOC_SHORT0 = 0, LOC_ONE_LINE0 = 10, LOC_NO_COLUMNS = 13, LOC_LONG = 14, LOC_NONE = 15 };

/* Resolution rounds before giving up: sizes only change where jumps cross 256^k units. */
enum { MAX_JUMP_ROUNDS = 64 };

/* Largest table entries: a location's kind byte and four varints, an exception entry's four
   items; a 32-bit value takes at most six 6-bit groups. */
enum { LOC_ENTRY_MAX = 1 + 4 * 6, EXC_ENTRY_MAX = 4 * 6 };

static int units_of(unsigned arg, int caches)
{
    return 1 + (arg > 0xFF) + (arg > 0xFFFF) + (arg > 0xFFFFFF) + caches;
}

int assemble_instr_size(int opcode, int oparg)
{
    return units_of((unsigned)oparg, cpyc_opcodes_3_13.ops[opcode & 0xFF].caches);
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
    uint8_t size;   /* code units: EXTENDED_ARGs, itself, caches */
    uint8_t caches;
} AsmIn;

typedef struct Asm {
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
    for (int i = 0; i < n; i++) {
        const Instr *in = &as->ins[i];
        int op = in->opcode, arg = in->oparg;
        if (op == OP_JUMP) op = arg > i ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
        else if (op == OP_JUMP_NO_INTERRUPT) op = arg > i ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
        if (op < 0 || op >= OP_MIN_PSEUDO) return fail(as->err, "pseudo instruction left");
        if (arg < 0 || arg >= (1 << 30)) return fail(as->err, "argument out of range");
        bool jump = (opmeta_3_13.ops[op].flags & OPF_JUMP) != 0;   /* opcode_has_target */
        if (jump && arg >= n) return fail(as->err, "jump past the end");
        if (in->eh.label >= n) return fail(as->err, "handler past the end");
        if (jump) {
            as->jump[as->njumps] = i;
            as->target[as->njumps++] = arg;
        }
        int caches = cpyc_opcodes_3_13.ops[op].caches, size = units_of((unsigned)arg, caches);
        as->w[i] = (AsmIn){.arg = arg, .off = off, .op = (uint8_t)op, .caches = (uint8_t)caches,
                           .size = (uint8_t)size};
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

/* One instruction into zeroed co_code: the CACHE entries are (0, 0) already. */
static void put_code(uint8_t *code, const AsmIn *w)
{
    uint8_t *p = code + 2 * (size_t)w->off;
    unsigned arg = (unsigned)w->arg;
    for (int k = w->size - 1 - w->caches; k > 0; k--) {
        *p++ = OP_EXTENDED_ARG;
        *p++ = (uint8_t)(arg >> (8 * k));
    }
    p[0] = w->op;
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

/* One entry of 1..8 units; *line is the line the next delta is taken from. */
static uint8_t *put_loc_entry(uint8_t *p, int *line, SrcLoc loc, int units)
{
    if (loc.lineno == -1) {
        *p++ = loc_start(LOC_NONE, units);
        return p;
    }
    int delta = loc.lineno - *line, col = loc.col, end = loc.end_col;
    if (col < 0 || end < 0) {
        if (loc.end_lineno == loc.lineno || loc.end_lineno < 0) {
            *p++ = loc_start(LOC_NO_COLUMNS, units);
            *line = loc.lineno;
            return put_svarint(p, delta);
        }
    } else if (loc.end_lineno == loc.lineno) {
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
    }
    *p++ = loc_start(LOC_LONG, units);
    p = put_svarint(p, delta);
    p = put_varint(p, (unsigned)loc.end_lineno - (unsigned)loc.lineno);
    p = put_varint(p, (unsigned)col + 1);
    p = put_varint(p, (unsigned)end + 1);
    *line = loc.lineno;
    return p;
}

/* A run of units sharing one location, in entries of at most 8 units. */
static uint8_t *put_loc_run(uint8_t *p, int *line, SrcLoc loc, int units)
{
    for (; units > 8; units -= 8) p = put_loc_entry(p, line, loc, 8);
    return units > 0 ? put_loc_entry(p, line, loc, units) : p;
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
    uint8_t *lp = t->lp, *ep = t->ep;
    int line = firstlineno, lunits = 0, start = -1;
    SrcLoc loc = NO_LOC;
    ExceptHandlerInfo h = {-1, -1, -1};
    for (int i = 0; i < as->n; i++) {
        const Instr *in = &as->ins[i];
        const AsmIn *w = &as->w[i];
        put_code(t->code, w);
        if (!loc_same(loc, in->loc)) {
            lp = put_loc_run(lp, &line, loc, lunits);
            loc = in->loc;
            lunits = 0;
        }
        lunits += w->size;
        if (in->eh.label != h.label) {
            if (h.label >= 0) ep = put_exc_entry(ep, start, w->off, as->w[h.label].off, h);
            start = w->off;
            h = in->eh;
        }
    }
    t->lp = put_loc_run(lp, &line, loc, lunits);
    t->ep = h.label >= 0 ? put_exc_entry(ep, start, units, as->w[h.label].off, h) : ep;
}

/* ---- values */

static Value *new_bytes(Arena *a, const uint8_t *data, size_t len)
{
    Value *v = value_new(a, V_BYTES, 0);
    if (!v) return NULL;
    v->u.s.data = data;
    v->u.s.len = len;
    return v;
}

static Value *new_tuple(Arena *a, size_t n)
{
    Value *v = value_new(a, V_TUPLE, 0);
    if (!v) return NULL;
    v->u.seq.n = n;
    v->u.seq.items = arena_alloc(a, (n ? n : 1) * sizeof(Value *));
    return v->u.seq.items ? v : NULL;
}

/* An arena copy of data[0..len) as a bytes value. */
static Value *bytes_copy(Arena *a, const uint8_t *data, size_t len)
{
    const uint8_t *copy = len ? arena_memdup(a, data, len) : NULL;
    return len && !copy ? NULL : new_bytes(a, copy, len);
}

/* CPython merges these through the module's constant cache (_PyCompile_ConstCacheMergeOne),
   so equal ones are one object. */
static Value *merge(ConstCache *cc, Value *v)
{
    return cc && v ? const_cache_merge_one(cc, v) : v;
}

static bool set_slot(Value *names, uint8_t *kinds, int nplus, intptr_t off, Value *name, int kind)
{
    if (off < 0 || off >= nplus || !name) return false;
    names->u.seq.items[off] = name;
    kinds[off] = (uint8_t)kind;
    return true;
}

/* Names are identifiers: _PyCode_New interns them (refs.c does the same). */
static Value *name_value(Arena *a, const NameMap *m, uint32_t i)
{
    return const_name(a, m->keys[i], m->klen[i]);
}

/* compute_localsplus_info: locals (hidden, cell) at their varnames slots, then the cells that
   are not locals, then the free variables; returns co_nlocals or -1. */
static int localsplus(Arena *a, const CodeUnitMeta *m, int nplus, Value *names, uint8_t *kinds)
{
    for (uint32_t i = 0; i < m->varnames.n; i++) {
        const char *k = m->varnames.keys[i];
        int kind = CO_FAST_LOCAL;
        if (namemap_find(&m->fasthidden, k) >= 0) kind |= CO_FAST_HIDDEN;
        if (namemap_find(&m->cellvars, k) >= 0) kind |= CO_FAST_CELL;
        if (!set_slot(names, kinds, nplus, m->varnames.vals[i], name_value(a, &m->varnames, i), kind))
            return -1;
    }
    int nlocals = (int)m->varnames.n, dropped = 0;
    for (uint32_t i = 0; i < m->cellvars.n; i++) {
        if (namemap_find(&m->varnames, m->cellvars.keys[i]) >= 0) {
            dropped++;
            continue;
        }
        if (!set_slot(names, kinds, nplus, m->cellvars.vals[i] + nlocals - dropped,
                      name_value(a, &m->cellvars, i), CO_FAST_CELL))
            return -1;
    }
    for (uint32_t i = 0; i < m->freevars.n; i++)
        if (!set_slot(names, kinds, nplus, m->freevars.vals[i] + nlocals - dropped,
                      name_value(a, &m->freevars, i), CO_FAST_FREE))
            return -1;
    for (int i = 0; i < nplus; i++)
        if (!names->u.seq.items[i]) return -1;
    return nlocals;
}

Value *assemble_code(const InstrSeq *final, CodeUnitMeta *meta, ConstCache *cc, int stackdepth,
                     int nlocalsplus, int code_flags, const char *filename, Arena *a,
                     cpyc_error *err)
{
    int n = final->n;
    Asm as = {.ins = final->instrs, .n = n, .err = err};
    as.w = arena_alloc_raw(final->arena, (size_t)(n ? n : 1) * sizeof *as.w);   /* scratch: the unit's */
    as.jump = arena_alloc_raw(final->arena, 2 * (size_t)(n ? n : 1) * sizeof *as.jump);
    if (!as.w || !as.jump) goto nomem;
    as.target = as.jump + n;
    int units = load_instrs(&as);
    if (units < 0 || (units = resolve_jumps(&as, units)) < 0) return NULL;

    uint8_t *code = arena_alloc(a, 2 * (size_t)units);
    if (!code) goto nomem;
    /* both tables into one scratch buffer, then copied at their size */
    size_t lmax = locations_max(n, units), emax = ((size_t)n + 1) * EXC_ENTRY_MAX;
    Buf scratch = {0};
    buf_reserve(&scratch, lmax + emax);
    if (scratch.failed) goto nomem;
    Tables t = {code, scratch.data, scratch.data + lmax};
    put_tables(&as, &t, units, meta->firstlineno);
    Value *vlines = bytes_copy(a, scratch.data, (size_t)(t.lp - scratch.data));
    Value *vexc = bytes_copy(a, scratch.data + lmax, (size_t)(t.ep - (scratch.data + lmax)));
    buf_free(&scratch);
    vexc = merge(cc, vexc);
    vlines = merge(cc, vlines);
    Value *vcode = merge(cc, new_bytes(a, code, 2 * (size_t)units));

    Value *vnames = new_tuple(a, meta->names.n);
    Value *vconsts = new_tuple(a, meta->consts.n);
    if (!vexc || !vlines || !vcode || !vnames || !vconsts) goto nomem;
    for (uint32_t i = 0; i < meta->names.n; i++) {
        intptr_t k = meta->names.vals[i];
        if (k < 0 || k >= (intptr_t)meta->names.n) return fail(err, "bad co_names index"), NULL;
        if (!(vnames->u.seq.items[k] = name_value(a, &meta->names, i))) goto nomem;
    }
    for (uint32_t i = 0; i < meta->names.n; i++)
        if (!vnames->u.seq.items[i]) return fail(err, "co_names indices not dense"), NULL;
    if (meta->consts.n) memcpy(vconsts->u.seq.items, meta->consts.items, meta->consts.n * sizeof(Value *));
    vnames = merge(cc, vnames);
    vconsts = merge(cc, vconsts);

    Value *vplus = new_tuple(a, (size_t)nlocalsplus);
    uint8_t *kinds = arena_alloc(a, (size_t)(nlocalsplus ? nlocalsplus : 1));
    Value *vkinds = kinds ? new_bytes(a, kinds, (size_t)nlocalsplus) : NULL;
    if (!vplus || !vkinds) goto nomem;
    int nlocals = localsplus(a, meta, nlocalsplus, vplus, kinds);
    if (nlocals < 0) return fail(err, "localsplus names do not fill their slots"), NULL;
    vplus = merge(cc, vplus);

    const char *qualname = meta->qualname ? meta->qualname : meta->name;
    Value *v = value_new(a, V_CODE, 0);
    Code *c = arena_alloc(a, sizeof *c);
    Value *vfile = const_name(a, filename, strlen(filename));
    Value *vname = const_name(a, meta->name, strlen(meta->name));
    Value *vqual = meta->qualname_obj ? meta->qualname_obj : const_name(a, qualname, strlen(qualname));
    if (!v || !c || !vfile || !vname || !vqual || !vexc || !vlines || !vcode || !vnames ||
        !vconsts || !vplus)
        goto nomem;
    v->u.code = c;
    c->target = &cpyc_target_3_13;
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
