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

/* A jump while assembling; the final sequence itself is left as it is. */
typedef struct AsmJump {
    int i, target;  /* its index and its target's */
    int arg;        /* the unit distance once resolved */
    int off0;       /* its offset as emit placed it */
    uint8_t op, caches;
    uint8_t size;   /* the code units the current offsets give it */
    uint8_t size0;  /* ... and emit's */
} AsmJump;

/* An exception-table run: the instructions from i on have handler h (compared by label). */
typedef struct AsmRun { int i; ExceptHandlerInfo h; } AsmRun;

/* co_code and the location table in one scratch block, on the stack unless the unit is
   large (co_code grows as emit needs). The location table's room follows from co_code's: at
   most one entry per run of instructions plus one per 8 units, and the units are at most
   half co_code's room (and 3 more per jump once resolved). */
typedef struct AsmBuf {
    uint8_t *code, *cend;   /* co_code's room */
    uint8_t *loc;           /* the location table's: see loc_room */
    uint8_t *block;         /* both, or NULL: the stack's */
} AsmBuf;

typedef struct Asm {
    const OpInfo *ops;  /* the target's opcode metadata */
    const Instr *ins;
    int n;
    int *off;       /* [n + 1]: each instruction's offset in code units, then the code's units */
    AsmJump *jumps; /* [njumps], in order */
    int njumps;
    AsmRun *runs;   /* [nruns] */
    int nruns;
    AsmBuf buf;
    size_t llen;    /* the location table's length */
    uint8_t *stack; /* the scratch's room on assemble_code's stack */
    size_t stack_size;
    cpyc_error *err;
} Asm;

/* co_code's room: FAST_ROOM bytes for each instruction not yet written (the fast path's
   stores, more than it takes) and CODE_SLACK; the slow path, which may take more, sees to
   it that this still holds after it. */
enum { FAST_ROOM = 24, CODE_SLACK = 16 };

static size_t loc_room(int n, size_t ccap)
{
    /* the jumps' sizes may grow by 3 units each after emit: n / 2 more */
    return ((size_t)n + (size_t)n / 2 + ccap / 16 + 2) * LOC_ENTRY_MAX;
}

/* Room for co_code of ccap bytes and its location table; used bytes copied along (the
   first call has none). False out of memory. */
static bool asm_buf_grow(AsmBuf *b, int n, size_t ccap, size_t cused, uint8_t *stack, size_t stack_size)
{
    size_t lcap = loc_room(n, ccap);
    uint8_t *block = ccap + lcap <= stack_size && !b->code ? stack : malloc(ccap + lcap);
    if (!block) return false;
    if (cused) memcpy(block, b->code, cused);
    if (b->block) free(b->block);
    b->block = block == stack ? NULL : block;
    b->code = block;
    b->cend = block + ccap;
    b->loc = block + ccap;
    return true;
}

static inline void store_le64(uint8_t *p, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    memcpy(p, &x, 8);
}

/* One instruction at p without its caches: EXTENDED_ARG prefixes, itself; p past it. */
static inline uint8_t *put_code_arg(uint8_t *p, unsigned arg, int size, int caches, uint8_t code,
                                    uint8_t extended_arg)
{
    for (int k = size - 1 - caches; k > 0; k--) {
        *p++ = extended_arg;
        *p++ = (uint8_t)(arg >> (8 * k));
    }
    p[0] = code;
    p[1] = (uint8_t)arg;
    return p + 2;
}

/* One instruction at p: EXTENDED_ARG prefixes, itself, its caches (0, 0). */
static void put_code(uint8_t *p, unsigned arg, int size, int caches, uint8_t code, uint8_t extended_arg)
{
    p = put_code_arg(p, arg, size, caches, code, extended_arg);
    memset(p, 0, 2 * (size_t)caches);
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

/* One entry of 1..8 units; *line is the line the delta is taken from, and after it the
   next entry's: loc's line, unless loc has none (loc_next_line; the forms that change it
   set it). The common forms (one line with columns) are tested first, by fewer compares:
   the unsigned ones reject negatives too, (col | end) tests both signs or both bounds at
   once. */
static inline __attribute__((always_inline)) uint8_t *put_loc_entry(uint8_t *p, int *line,
                                                                    SrcLoc loc, int units)
{
    int col = loc.col, end = loc.end_col;
    unsigned delta = (unsigned)loc.lineno - (unsigned)*line;
    /* the short form first, by its own tests: 0 <= col < 80 and 0 <= end - col < 16 say
       both are not negative */
    if (delta == 0 && loc.end_lineno == loc.lineno && (unsigned)col < 80 &&
        (unsigned)(end - col) < 16 && loc.lineno != -1) {
        p[0] = loc_start(LOC_SHORT0 + (col >> 3), units);
        p[1] = (uint8_t)((col & 7) << 4 | (end - col));
        return p + 2;
    }
    /* ... then the one-line form, also by its own: (col | end) < 128 unsigned says both are
       not negative */
    if (delta < 3 && loc.end_lineno == loc.lineno && (unsigned)(col | end) < 128 && loc.lineno != -1) {
        p[0] = loc_start(LOC_ONE_LINE0 + (int)delta, units);
        p[1] = (uint8_t)col;
        p[2] = (uint8_t)end;
        *line = loc.lineno;
        return p + 3;
    }
    if (loc.lineno == -1) {
        *p++ = loc_start(LOC_NONE, units);
        return p;
    }
    if ((col | end) < 0 && (loc.end_lineno == loc.lineno || loc.end_lineno < 0)) {
        *p++ = loc_start(LOC_NO_COLUMNS, units);
        *line = loc.lineno;
        return put_svarint(p, (int)delta);
    }
    *p++ = loc_start(LOC_LONG, units);
    p = put_svarint(p, (int)delta);
    p = put_varint(p, (unsigned)loc.end_lineno - (unsigned)loc.lineno);
    p = put_varint(p, (unsigned)col + 1);
    p = put_varint(p, (unsigned)end + 1);
    *line = loc.lineno;
    return p;
}

/* The line the entry after loc's takes its delta from: loc's, unless loc has none (a short
   form's delta is 0, so it is loc's there too). */
static inline int loc_next_line(int line, SrcLoc loc) { return loc.lineno != -1 ? loc.lineno : line; }

/* A run of more than 8 units sharing one location: entries of 8, then the rest. Once the
   line is loc's (after the first entry, or before it: most runs), every entry is the same
   but for its units: copies of that one, the last one's units patched. */
static __attribute__((noinline)) uint8_t *put_loc_long_run(uint8_t *p, int line, const SrcLoc *loc,
                                                            int units)
{
    if (loc_next_line(line, *loc) != line) {
        p = put_loc_entry(p, &line, *loc, 8);
        units -= 8;
        if (units <= 8) return put_loc_entry(p, &line, *loc, units);
    }
    const uint8_t *rep = p;
    p = put_loc_entry(p, &line, *loc, 8);
    size_t len = (size_t)(p - rep);
    uint8_t *last;
    if (len <= 8) {
        /* most (a short or one-line form): a copy is one 8-byte store, the next copy over
           the bytes past it (the room has LOC_ENTRY_MAX bytes an entry, and bytes past the
           table's length are never read) */
        uint64_t w;
        memcpy(&w, rep, 8);
        for (units -= 8; units > 8; units -= 8) memcpy(p, &w, 8), p += len;
        last = p;
        memcpy(p, &w, 8), p += len;
    } else {
        for (units -= 8; units > 8; units -= 8)
            for (size_t k = 0; k < len; k++) *p++ = rep[k];
        last = p;
        for (size_t k = 0; k < len; k++) *p++ = rep[k];
    }
    last[0] = (uint8_t)((last[0] & ~7u) | (unsigned)(units - 1));   /* loc_start's units */
    return p;
}

/* A run of units sharing one location (most take one entry). */
static inline __attribute__((always_inline)) uint8_t *put_loc_run(uint8_t *p, int *line,
                                                                  const SrcLoc *loc, int units)
{
    if (units <= 8) return put_loc_entry(p, line, *loc, units);
    p = put_loc_long_run(p, *line, loc, units);   /* the line by value: the caller's stays in a register */
    *line = loc_next_line(*line, *loc);
    return p;
}

/* ---- the exception table (Objects/exception_handling_notes.txt) */

/* 6-bit groups, most significant first; bit 6 says another group follows; msb marks the
   first item of an entry. */
static uint8_t *put_exc_item(uint8_t *p, unsigned v, uint8_t msb)
{
    if (v < 64) {   /* most: one group */
        *p = (uint8_t)(v | msb);
        return p + 1;
    }
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

/* ---- co_code in one pass; the location and exception tables after it, by the final offsets */

/* emit's rare instructions: a pseudo jump made real, an argument past a byte, more than 11
   caches; co_code grown to keep FAST_ROOM for the rest. Returns the instruction's units and
   its real opcode << 16 (no out parameter: its address would cost emit's loop a store), -1
   on error. Out of line, so that emit's loop keeps few values across calls. */
static __attribute__((noinline)) int emit_slow(Asm *as, const Instr *in, int units)
{
    unsigned arg = (unsigned)in->oparg, real = (unsigned)in->opcode, *op = &real;
    if (*op >= OP_MIN_PSEUDO || arg >= 1u << 30) {
        bool forward = (int)arg > (int)(in - as->ins);
        if (arg >= 1u << 30) return fail(as->err, "argument out of range");
        if (*op == OP_JUMP) *op = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
        else if (*op == OP_JUMP_NO_INTERRUPT) *op = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
        else return fail(as->err, "pseudo instruction left");
    }
    const OpInfo *oi = &as->ops[*op];
    int caches = oi->caches, size = units_of(arg, caches);
    uint8_t *code = as->buf.code + 2 * (size_t)units;
    size_t later = (size_t)(as->ins + as->n - in - 1) * FAST_ROOM + CODE_SLACK;
    if ((size_t)(as->buf.cend - code) < 2 * (size_t)size + later) {
        size_t cap = 2 * (size_t)(as->buf.cend - as->buf.code) + 2 * (size_t)size + later;
        if (!asm_buf_grow(&as->buf, as->n, cap, 2 * (size_t)units, as->stack, as->stack_size)) {
            error_at(as->err, CPYC_ERR_MEMORY, -1, "out of memory");
            return -1;
        }
        code = as->buf.code + 2 * (size_t)units;
    }
    put_code(code, arg, size, caches, oi->code, as->ops[OP_EXTENDED_ARG].code);
    return size | (int)(real << 16);
}

/* A new exception run from in on (its handler differs from the instruction's before). */
static int add_run(Asm *as, const Instr *in)
{
    if (in->eh.label >= as->n) return fail(as->err, "handler past the end");
    as->runs[as->nruns++] = (AsmRun){(int)(in - as->ins), in->eh};
    return 0;
}

/* Checks the sequence, makes the pseudo jumps real (forward when the target comes later),
   and places and writes each instruction, a jump by its target's index as CPython sizes it
   at first. Notes the jumps and the exception runs on the way. Returns the code's units, -1
   on error. */
static __attribute__((noinline)) int emit(Asm *as)
{
    /* few live values, so the loop keeps them in registers: no index (the offsets and the
       instructions advance by pointer), no handler (a run starts where an instruction's
       differs from the one before's); across emit_slow only the instruction, the units and
       as (the rest is found again from them) */
    const OpInfo *ops = as->ops;
    const Instr *in = as->ins, *end = in + as->n;
    int *off = as->off, units = 0;
    uint8_t *code = as->buf.code;
    as->njumps = as->nruns = 0;
    if (in == end || (in->eh.label != -1 && add_run(as, in)))
        return *off = 0, in == end ? 0 : -1;
    for (;;) {
        unsigned op = (unsigned)in->opcode, arg = (unsigned)in->oparg;
        const OpInfo *oi = &ops[op & 0xFF];
        size_t caches = oi->caches, size;   /* wide: no extension on the way to code's pointer */
        *off++ = units;
        if ((op | arg) <= 0xFF && caches <= 11) {
            /* a real opcode, no prefix, at most 11 caches: three stores, the caches' zeros
               among them (the next instruction overwrites what lies past this one) */
            size = 1 + caches;
            store_le64(code, (uint64_t)oi->code | (uint64_t)arg << 8);
            store_le64(code + 8, 0);
            store_le64(code + 16, 0);
        } else {
            int r = emit_slow(as, in, units);
            if (r < 0) return -1;
            size = (size_t)r & 0xFFFF, op = (unsigned)r >> 16;
            ops = as->ops, end = as->ins + as->n, off = as->off + (in - as->ins) + 1;
            code = as->buf.code + 2 * (size_t)units;
            oi = &ops[op];
            caches = oi->caches;
        }
        if (oi->flags & OPF_JUMP) {   /* opcode_has_target */
            if ((int)arg >= as->n) return fail(as->err, "jump past the end");
            as->jumps[as->njumps++] = (AsmJump){.i = (int)(in - as->ins), .target = (int)arg,
                                                .off0 = units, .op = (uint8_t)op,
                                                .caches = (uint8_t)caches, .size = (uint8_t)size,
                                                .size0 = (uint8_t)size};
        }
        units += (int)size;
        code += 2 * size;
        in++;
        if (in == end) break;
        /* a run per handler, compared by handler only */
        if (in->eh.label != in[-1].eh.label && add_run(as, in)) return -1;
    }
    *off = units;
    return units;
}

/* When a jump's size changed, co_code again: the runs between jumps copied to their new
   places in dst (2 * off[n] bytes), the jumps written there. */
static void re_code(const Asm *as, uint8_t *dst)
{
    const uint8_t *src = as->buf.code;
    const int *off = as->off;
    uint8_t extended_arg = as->ops[OP_EXTENDED_ARG].code;
    int from = 0, to = 0;   /* the next run's old and new offsets */
    for (int k = 0; k < as->njumps; k++) {
        const AsmJump *j = &as->jumps[k];
        memcpy(dst + 2 * (size_t)to, src + 2 * (size_t)from, 2 * (size_t)(j->off0 - from));
        put_code(dst + 2 * (size_t)off[j->i], (unsigned)j->arg, j->size, j->caches,
                 as->ops[j->op].code, extended_arg);
        from = j->off0 + j->size0;
        to = off[j->i] + j->size;
    }
    memcpy(dst + 2 * (size_t)to, src + 2 * (size_t)from, 2 * (size_t)(off[as->n] - to));
}

/* co_code as emit wrote it (old bytes, in the arena's room, where re_code writes the final
   one) to scratch, with the location table's room after it. False out of memory. */
static bool evacuate(Asm *as, size_t old, size_t lroom)
{
    uint8_t *block = old + lroom <= as->stack_size ? as->stack : malloc(old + lroom);
    if (!block) return false;
    memcpy(block, as->buf.code, old);
    as->buf = (AsmBuf){.code = block, .cend = block + old, .loc = block + old,
                       .block = block == as->stack ? NULL : block};
    return true;
}

/* The location table (PEP 657), by the final offsets: an entry per run of instructions
   with one location (into the buffer's room, which the jumps' growth fits: see loc_room).
   Apart from emit, whose loop then keeps its state in registers. */
static void locate(Asm *as, int firstlineno)
{
    const int *off = as->off;
    uint8_t *lp = as->buf.loc;
    int line = firstlineno, lstart = 0;
    static const SrcLoc no_loc = NO_LOC;
    /* the run's, where its first instruction keeps it; the first run is the first
       instruction's, so that every run ends with units (each instruction has some) */
    const SrcLoc *loc = as->n ? &as->ins[0].loc : &no_loc;
    /* ... and as two words in registers: an instruction of the run costs two compares
       with memory (loc_same as two 64-bit compares) */
    _Static_assert(sizeof(SrcLoc) == 16, "SrcLoc is four int32s");
    uint64_t x0, x1;
    memcpy(&x0, loc, 8), memcpy(&x1, (const uint8_t *)loc + 8, 8);
    for (const Instr *in = as->ins, *end = in + as->n; in < end; in++, off++) {
        uint64_t y0, y1;
        memcpy(&y0, &in->loc, 8), memcpy(&y1, (const uint8_t *)&in->loc + 8, 8);
        if (x0 == y0 && x1 == y1) continue;
        lp = put_loc_run(lp, &line, loc, *off - lstart);
        loc = &in->loc;   /* the words loaded again: y0 and y1 end at the test */
        memcpy(&x0, loc, 8), memcpy(&x1, (const uint8_t *)loc + 8, 8);
        lstart = *off;
    }
    as->llen = (size_t)(put_loc_run(lp, &line, loc, *off - lstart) - as->buf.loc);
}

/* Jump arguments become unit distances from the instruction after the jump. Sizes depend on
   arguments and arguments on sizes, so offsets are recomputed until no size changes; each
   round measures from the offsets it began with (emit placed the first). *moved: some
   size changed (co_code must be written again). */
static int resolve_jumps(Asm *as, bool *moved)
{
    int *off = as->off;
    for (int round = 0;; round++) {
        if (round == MAX_JUMP_ROUNDS) return fail(as->err, "jump offsets do not settle");
        bool changed = false;
        for (int k = 0; k < as->njumps; k++) {
            AsmJump *j = &as->jumps[k];
            int after = off[j->i] + j->size, to = off[j->target];
            if ((to < after) != is_backward(j->op)) return fail(as->err, "jump in the wrong direction");
            j->arg = to < after ? after - to : to - after;
            changed |= units_of((unsigned)j->arg, j->caches) != j->size;
        }
        if (!changed) return 0;
        *moved = true;
        /* each instruction moves by what the jumps before it grew: the offsets up to a
           jump by one shift, then the jump's growth added (no test per instruction) */
        int shift = 0, i = 0;
        for (int k = 0; k < as->njumps; k++) {
            AsmJump *j = &as->jumps[k];
            if (shift)
                for (; i <= j->i; i++) off[i] += shift;
            i = j->i + 1;
            int size = units_of((unsigned)j->arg, j->caches);
            shift += size - j->size;
            j->size = (uint8_t)size;
        }
        if (shift)
            for (; i <= as->n; i++) off[i] += shift;
    }
}

/* An entry per run with a handler, up to the next run. */
static uint8_t *put_exc_table(const Asm *as, uint8_t *ep)
{
    const int *off = as->off;
    for (int r = 0; r < as->nruns; r++) {
        const AsmRun *run = &as->runs[r];
        if (run->h.label < 0) continue;
        int end = r + 1 < as->nruns ? off[as->runs[r + 1].i] : off[as->n];
        ep = put_exc_entry(ep, off[run->i], end, off[run->h.label], run->h);
    }
    return ep;
}

/* ---- values: the unit's Values are one arena block, its items and bytes two more */

typedef struct ValueBlock { Value *next, *end; } ValueBlock;

static inline Value *take(ValueBlock *vb, ValueKind kind)
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
   so equal ones are one object. An empty tuple or bytes needs no lookup: refs.c makes every
   one the immortal singleton, which the cache's one stands for already. */
static Value *merge(ConstCache *cc, Value *v)
{
    if (!cc || !v) return v;
    if ((v->kind == V_TUPLE ? v->u.seq.n : v->u.s.len) == 0) return const_cache_empty(cc, v);
    return const_cache_merge_one(cc, v);
}

/* merge of a tuple of names (name_value's: their hashes set). */
static Value *merge_names(ConstCache *cc, Value *v)
{
    if (!cc || !v) return v;
    if (v->u.seq.n == 0) return const_cache_empty(cc, v);
    return const_cache_merge_one_names(cc, v);
}

/* Names are identifiers: _PyCode_New interns them (refs.c does the same). Their texts are
   the NameMaps' own (arena strings that live as long as the code object); tcode is
   const_name's mark for refs.c. */
static inline __attribute__((always_inline)) Value *name_str_hashed(ValueBlock *vb, const char *s,
                                                                    size_t len, uint32_t hash)
{
    if (vb->next == vb->end) return NULL;
    Value *v = vb->next++;
    /* a str's fields, not the whole Value zeroed first (most Values here are names; nothing
       reads a str's union past u.s) */
    v->kind = V_STR, v->tcode = TYPE_INTERNED, v->fresh = 0, v->ident = 0, v->mark = 0;
    v->u.s.data = (const uint8_t *)(len ? s : "");
    v->u.s.len = len;
    v->u.s.hash = hash;
    return v;
}

static Value *name_str(ValueBlock *vb, const char *s, size_t len) { return name_str_hashed(vb, s, len, 0); }

/* A name of a NameMap keeps its key's hash: its text is not hashed again (refs.c, consts.c). */
static inline __attribute__((always_inline)) Value *name_value(ValueBlock *vb, const NameMap *m, uint32_t i)
{
    return name_str_hashed(vb, m->keys[i], m->klen[i], m->khash[i]);
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
        int kind = CO_FAST_LOCAL;
        if (hidden | cells) {   /* (most units have neither) */
            NameKey k = namemap_key_at(&m->varnames, i);   /* (its length and hash kept) */
            if (hidden && namemap_find_key(&m->fasthidden, &k) >= 0) kind |= CO_FAST_HIDDEN;
            if (cells && namemap_find_key(&m->cellvars, &k) >= 0) kind |= CO_FAST_CELL;
        }
        if (!set_slot(names, kinds, nplus, m->varnames.vals[i], name_value(nb, &m->varnames, i), kind))
            return -1;
    }
    int nlocals = (int)m->varnames.n, dropped = 0;
    for (uint32_t i = 0; i < m->cellvars.n; i++) {
        NameKey k = namemap_key_at(&m->cellvars, i);
        if (namemap_find_key(&m->varnames, &k) >= 0) {
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

/* Scratch for co_code and the location table: on the stack unless the unit is large. */
enum { SCRATCH_STACK = 16384 };

/* The unit's Values besides its names: co_code, co_linetable, co_exceptiontable, co_names,
   co_consts, co_localsplusnames, co_localspluskinds, the code object. */
enum { UNIT_VALUES = 8 };

/* The localsplus slots zeroed at once (see assemble_code). */
enum { PLUS_ZEROED = 8 };

Value *assemble_code(const cpyc_target *t, const InstrSeq *final, CodeUnitMeta *meta,
                     ConstCache *cc, int stackdepth, int nlocalsplus, int code_flags,
                     const CodeFilename *file, Arena *a, cpyc_error *err)
{
    int n = final->n;
    /* each field set before it is read (no zeroing of the whole first: a fixed cost of
       every unit) */
    Asm as;
    as.ops = t->opmeta->ops, as.ins = final->instrs, as.n = n, as.err = err;
    as.njumps = as.nruns = 0, as.llen = 0;
    /* scratch: the unit's */
    as.off = arena_alloc_raw(final->arena, ((size_t)n + 1) * sizeof *as.off);
    as.jumps = arena_alloc_raw(final->arena, (size_t)(n ? n : 1) * sizeof *as.jumps);
    as.runs = arena_alloc_raw(final->arena, ((size_t)n + 1) * sizeof *as.runs);
    uint8_t stack[SCRATCH_STACK];
    if (!as.off || !as.jumps || !as.runs) goto nomem;
    size_t ccap = FAST_ROOM * (size_t)n + CODE_SLACK, lroom = loc_room(n, ccap), nplus = (size_t)nlocalsplus;
    /* most units: co_code and the location table written where they stay, in the free room
       of the arena's block (taken once their lengths are known: no copy of either); else in
       scratch, copied */
    uint8_t *direct = arena_room(a, ccap + lroom + ((size_t)n + 1) * EXC_ENTRY_MAX + nplus);
    if (direct)
        as.buf = (AsmBuf){.code = direct, .cend = direct + ccap, .loc = direct + ccap};
    else if (ccap + lroom <= sizeof stack)   /* asm_buf_grow's stack case inline */
        as.buf = (AsmBuf){.code = stack, .cend = stack + ccap, .loc = stack + ccap};
    else if (as.buf = (AsmBuf){0}, !asm_buf_grow(&as.buf, n, ccap, 0, stack, sizeof stack))
        goto nomem;
    bool moved = false;
    as.stack = stack, as.stack_size = sizeof stack;
    int units = emit(&as);
    if (units < 0 || resolve_jumps(&as, &moved) < 0) {
        if (as.buf.block) free(as.buf.block);
        return NULL;
    }
    if (as.buf.code != direct) direct = NULL;   /* emit_slow moved it to scratch */
    if (moved) {
        /* re_code writes the final co_code where emit's is: that one to scratch first */
        if (direct && !evacuate(&as, 2 * (size_t)units, lroom)) goto nomem;
        direct = NULL;
        units = as.off[n];
    } else {
        /* the jumps' sizes are as placed: only their arguments change (their caches are
           emit's zeros already) */
        uint8_t extended_arg = as.ops[OP_EXTENDED_ARG].code;
        for (int k = 0; k < as.njumps; k++) {
            const AsmJump *j = &as.jumps[k];
            put_code_arg(as.buf.code + 2 * (size_t)as.off[j->i], (unsigned)j->arg, j->size, j->caches,
                         as.ops[j->op].code, extended_arg);
        }
    }

    size_t clen = 2 * (size_t)units;
    if (direct) as.buf.loc = direct + clen;
    locate(&as, meta->firstlineno);
    /* co_code, the location table and the exception table (written in place) in one block */
    size_t llen = as.llen;
    uint8_t *bytes = arena_alloc_raw(a, clen + llen + (size_t)as.nruns * EXC_ENTRY_MAX + nplus);
    size_t elen = 0;
    if (bytes) {
        if (direct) {
            if (bytes != direct) memcpy(bytes, direct, clen + llen);   /* (the room was taken) */
        } else {
            if (moved) re_code(&as, bytes);
            else memcpy(bytes, as.buf.code, clen);
            memcpy(bytes + clen, as.buf.loc, llen);
        }
        elen = (size_t)(put_exc_table(&as, bytes + clen + llen) - (bytes + clen + llen));
    }
    if (as.buf.block) free(as.buf.block);

    const char *qualname = meta->qualname ? meta->qualname : meta->name;
    size_t nvalues = UNIT_VALUES + meta->names.n + nplus + 3;
    size_t nitems = meta->names.n + meta->consts.n + nplus;
    ValueBlock vb = {arena_alloc_raw(a, nvalues * sizeof(Value)), NULL};
    /* (PLUS_ZEROED more: the localsplus names' slots are zeroed by a fixed-size store) */
    Value **items = arena_alloc_raw(a, (nitems + PLUS_ZEROED) * sizeof *items);
    Code *c = arena_alloc(a, sizeof *c);
    if (!bytes || !vb.next || !items || !c) goto nomem;
    vb.end = vb.next + nvalues;
    uint8_t *kinds = bytes + clen + llen + elen;
    Value *vcode = bytes_value(&vb, bytes, clen);
    /* the module's empty tuple and bytes, once met: a unit's empty ones (most exception
       tables, many names tuples) are those at once, no Value made for merge to drop */
    Value *etuple = NULL, *ebytes = NULL;
    if (cc) const_cache_empties(cc, &etuple, &ebytes);
    Value *vexc = !elen && ebytes ? ebytes : merge(cc, bytes_value(&vb, bytes + clen + llen, elen));
    Value *vlines = merge(cc, bytes_value(&vb, bytes + clen, llen));
    /* co_code is not merged: refs.c gives every code object a fresh one (_PyCode_GetCode),
       and the cache's object outlives no reference a marshal would count */

    Value *vnames = !meta->names.n && etuple ? etuple : tuple_value(&vb, &items, meta->names.n);
    /* the names in their map's order, which is their indices' (codegen adds each at the
       next); other indices are placed and checked apart */
    uint32_t in_order = 0;
    while (in_order < meta->names.n && meta->names.vals[in_order] == (intptr_t)in_order) {
        vnames->u.seq.items[in_order] = name_value(&vb, &meta->names, in_order);
        in_order++;
    }
    if (in_order < meta->names.n) {
        for (uint32_t i = in_order; i < meta->names.n; i++) vnames->u.seq.items[i] = NULL;
        for (uint32_t i = in_order; i < meta->names.n; i++) {
            intptr_t k = meta->names.vals[i];
            if (k < in_order || k >= (intptr_t)meta->names.n) return fail(err, "bad co_names index"), NULL;
            vnames->u.seq.items[k] = name_value(&vb, &meta->names, i);
        }
        for (uint32_t i = in_order; i < meta->names.n; i++)
            if (!vnames->u.seq.items[i]) return fail(err, "co_names indices not dense"), NULL;
    }
    Value *vconsts = tuple_value(&vb, &items, meta->consts.n);
    if (meta->consts.n) memcpy(vconsts->u.seq.items, meta->consts.items, meta->consts.n * sizeof(Value *));
    if (!vexc || !vlines) goto nomem;
    if (vnames != etuple) vnames = merge_names(cc, vnames);
    if (cc && meta->consts.n && meta->consts.hashes)   /* the unit's constants keep their hashes */
        vconsts = const_cache_merge_one_tuple(cc, vconsts, meta->consts.hashes);
    else
        vconsts = merge(cc, vconsts);

    Value *vplus = !nplus && etuple ? etuple : tuple_value(&vb, &items, nplus);
    /* localsplus fills the slots and then finds any it left: most units have a few, zeroed
       by a fixed-size store (the items block has room past them), not a call to memset */
    if (vplus == etuple) {
        /* no slots (and not the empty tuple's items to zero) */
    } else if (nplus <= PLUS_ZEROED) {
        memset(vplus->u.seq.items, 0, PLUS_ZEROED * sizeof *items);
    } else {
        memset(vplus->u.seq.items, 0, nplus * sizeof *items);
    }
    Value *vkinds = !nplus && ebytes ? ebytes : bytes_value(&vb, kinds, nplus);
    if (!nplus && vkinds != ebytes) vkinds = merge(cc, vkinds);
    int nlocals = localsplus(&vb, meta, nlocalsplus, vplus, kinds);
    if (nlocals < 0) return fail(err, "localsplus names do not fill their slots"), NULL;
    if (vplus != etuple) vplus = merge_names(cc, vplus);

    Value *v = take(&vb, V_CODE);
    Value *vfile = name_str(&vb, file->s, file->len);
    Value *vname = name_str_hashed(&vb, meta->name, meta->name_len ? meta->name_len : strlen(meta->name),
                                   meta->name_hash);
    /* a qualname that is the name (the text itself: a function at the top) is its object:
       interning makes them one anyway */
    Value *vqual = meta->qualname_obj ? meta->qualname_obj
                   : qualname == meta->name ? vname
                                            : name_str(&vb, qualname, meta->qualname_len ? meta->qualname_len
                                                                                         : strlen(qualname));
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
