/* assemble.c - the final instruction sequence to a code object, as CPython 3.13's assemble.c
   and _PyCode_New build it: co_code, the location table, the exception table, localsplus. */
#include <string.h>

#include "compile.h"

/* Location-table entry kinds (Include/cpython/code.h, Objects/locations.md). */
enum { LOC_SHORT0 = 0, LOC_ONE_LINE0 = 10, LOC_NO_COLUMNS = 13, LOC_LONG = 14, LOC_NONE = 15 };

/* Resolution rounds before giving up: sizes only change where jumps cross 256^k units. */
enum { MAX_JUMP_ROUNDS = 64 };

int assemble_instr_size(int opcode, int oparg)
{
    unsigned a = (unsigned)oparg;
    return 1 + (a > 0xFF) + (a > 0xFFFF) + (a > 0xFFFFFF) +
           cpyc_opcodes_3_13.ops[opcode & 0xFF].caches;
}

static int isize(const Instr *in) { return assemble_instr_size(in->opcode, in->oparg); }

static bool is_backward(int op) { return op == OP_JUMP_BACKWARD || op == OP_JUMP_BACKWARD_NO_INTERRUPT; }

static int fail(cpyc_error *err, const char *what)
{
    return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "assemble: %s", what);
}

/* Checks the sequence and makes the pseudo jumps real: forward when the target comes later. */
static int check_instrs(Instr *ins, int n, cpyc_error *err)
{
    for (int i = 0; i < n; i++) {
        Instr *in = &ins[i];
        if (in->opcode == OP_JUMP) in->opcode = in->oparg > i ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
        else if (in->opcode == OP_JUMP_NO_INTERRUPT)
            in->opcode = in->oparg > i ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
        if (in->opcode < 0 || in->opcode >= OP_MIN_PSEUDO) return fail(err, "pseudo instruction left");
        if (in->oparg < 0 || in->oparg >= (1 << 30)) return fail(err, "argument out of range");
        if (opcode_has_target(in->opcode) && in->oparg >= n) return fail(err, "jump past the end");
        if (in->eh.label >= n) return fail(err, "handler past the end");
    }
    return 0;
}

/* Jump arguments become unit distances from the instruction after the jump. Sizes depend on
   arguments and arguments on sizes, so offsets are recomputed until no size changes; the
   first round sizes jumps by their instruction index, as CPython does. */
static int resolve_jumps(Instr *ins, int n, cpyc_error *err)
{
    for (int i = 0; i < n; i++)
        if (opcode_has_target(ins[i].opcode)) ins[i].target = ins[i].oparg;
    for (int round = 0;; round++) {
        if (round == MAX_JUMP_ROUNDS) return fail(err, "jump offsets do not settle");
        int off = 0;
        for (int i = 0; i < n; i++) {
            ins[i].offset = off;
            off += isize(&ins[i]);
        }
        bool changed = false;
        off = 0;
        for (int i = 0; i < n; i++) {
            Instr *in = &ins[i];
            int size = isize(in);
            off += size;
            if (!opcode_has_target(in->opcode)) continue;
            int to = ins[in->target].offset;
            if ((to < off) != is_backward(in->opcode)) return fail(err, "jump in the wrong direction");
            in->oparg = to < off ? off - to : to - off;
            if (isize(in) != size) changed = true;
        }
        if (!changed) return off;
    }
}

static void put_code(uint8_t *p, const Instr *in)
{
    int ext = isize(in) - 1 - cpyc_opcodes_3_13.ops[in->opcode].caches;
    for (int k = ext; k > 0; k--) {
        *p++ = OP_EXTENDED_ARG;
        *p++ = (uint8_t)(in->oparg >> (8 * k));
    }
    *p++ = (uint8_t)in->opcode;
    *p++ = (uint8_t)in->oparg;
    memset(p, 0, 2u * cpyc_opcodes_3_13.ops[in->opcode].caches);   /* CACHE, 0 */
}

/* ---- the location table (PEP 657) */

static void put_varint(Buf *b, unsigned v)
{
    for (; v >= 64; v >>= 6) buf_byte(b, (uint8_t)(64 | (v & 63)));
    buf_byte(b, (uint8_t)v);
}

static void put_svarint(Buf *b, int v)
{
    put_varint(b, v < 0 ? ((0u - (unsigned)v) << 1) | 1 : (unsigned)v << 1);
}

static void put_loc_start(Buf *b, int kind, int units)
{
    buf_byte(b, (uint8_t)(0x80 | kind << 3 | (units - 1)));
}

/* One entry of 1..8 units; *line is the line the next delta is taken from. */
static void put_loc_entry(Buf *b, int *line, SrcLoc loc, int units)
{
    if (loc.lineno == -1) {
        put_loc_start(b, LOC_NONE, units);
        return;
    }
    int delta = loc.lineno - *line, col = loc.col, end = loc.end_col;
    if (col < 0 || end < 0) {
        if (loc.end_lineno == loc.lineno || loc.end_lineno < 0) {
            put_loc_start(b, LOC_NO_COLUMNS, units);
            put_svarint(b, delta);
            *line = loc.lineno;
            return;
        }
    } else if (loc.end_lineno == loc.lineno) {
        if (delta == 0 && col < 80 && end >= col && end - col < 16) {
            put_loc_start(b, LOC_SHORT0 + (col >> 3), units);
            buf_byte(b, (uint8_t)((col & 7) << 4 | (end - col)));
            return;
        }
        if (delta >= 0 && delta < 3 && col < 128 && end < 128) {
            put_loc_start(b, LOC_ONE_LINE0 + delta, units);
            buf_byte(b, (uint8_t)col);
            buf_byte(b, (uint8_t)end);
            *line = loc.lineno;
            return;
        }
    }
    put_loc_start(b, LOC_LONG, units);
    put_svarint(b, delta);
    put_varint(b, (unsigned)loc.end_lineno - (unsigned)loc.lineno);
    put_varint(b, (unsigned)col + 1);
    put_varint(b, (unsigned)end + 1);
    *line = loc.lineno;
}

/* A run of units sharing one location, in entries of at most 8 units. */
static void put_loc_run(Buf *b, int *line, SrcLoc loc, int units)
{
    for (; units > 8; units -= 8) put_loc_entry(b, line, loc, 8);
    if (units > 0) put_loc_entry(b, line, loc, units);
}

static void put_locations(Buf *b, const Instr *ins, int n, int firstlineno)
{
    int line = firstlineno, units = 0;
    SrcLoc loc = NO_LOC;
    for (int i = 0; i < n; i++) {
        if (!loc_same(loc, ins[i].loc)) {
            put_loc_run(b, &line, loc, units);
            loc = ins[i].loc;
            units = 0;
        }
        units += isize(&ins[i]);
    }
    put_loc_run(b, &line, loc, units);
}

/* ---- the exception table (Objects/exception_handling_notes.txt) */

/* 6-bit groups, most significant first; bit 6 says another group follows; msb marks the
   first item of an entry. */
static void put_exc_item(Buf *b, unsigned v, uint8_t msb)
{
    for (int shift = 24; shift > 0; shift -= 6)
        if (v >= 1u << shift) {
            buf_byte(b, (uint8_t)(((v >> shift) & 63) | 64 | msb));
            msb = 0;
        }
    buf_byte(b, (uint8_t)((v & 63) | msb));
}

static void put_exc_entry(Buf *b, int start, int end, const Instr *handler, ExceptHandlerInfo h)
{
    int depth = h.startdepth - 1 - (h.preserve_lasti > 0);
    put_exc_item(b, (unsigned)start, 0x80);
    put_exc_item(b, (unsigned)(end - start), 0);
    put_exc_item(b, (unsigned)handler->offset, 0);
    put_exc_item(b, (unsigned)depth << 1 | (unsigned)h.preserve_lasti, 0);
}

/* One entry per run of instructions with the same handler (compared by handler only). */
static void put_exceptions(Buf *b, const Instr *ins, int n)
{
    ExceptHandlerInfo h = {-1, -1, -1};
    int start = -1, off = 0;
    for (int i = 0; i < n; i++) {
        if (ins[i].eh.label != h.label) {
            if (h.label >= 0) put_exc_entry(b, start, off, &ins[h.label], h);
            start = off;
            h = ins[i].eh;
        }
        off += isize(&ins[i]);
    }
    if (h.label >= 0) put_exc_entry(b, start, off, &ins[h.label], h);
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

/* A Buf's bytes as an arena bytes value; frees the Buf. */
static Value *bytes_from_buf(Arena *a, Buf *b)
{
    Value *v = b->failed ? NULL : new_bytes(a, b->len ? arena_memdup(a, b->data, b->len) : NULL, b->len);
    if (v && b->len && !v->u.s.data) v = NULL;
    buf_free(b);
    return v;
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
    Instr *ins = n ? arena_memdup(a, final->instrs, (size_t)n * sizeof *ins) : arena_alloc(a, sizeof *ins);
    if (!ins) goto nomem;
    if (check_instrs(ins, n, err)) return NULL;
    int units = resolve_jumps(ins, n, err);
    if (units < 0) return NULL;

    uint8_t *code = arena_alloc_raw(a, 2 * (size_t)units);
    if (!code) goto nomem;
    for (int i = 0; i < n; i++) put_code(code + 2 * (size_t)ins[i].offset, &ins[i]);
    Buf lines = {0}, excs = {0};
    put_locations(&lines, ins, n, meta->firstlineno);
    put_exceptions(&excs, ins, n);
    Value *vexc = merge(cc, bytes_from_buf(a, &excs));
    Value *vlines = merge(cc, bytes_from_buf(a, &lines));
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
