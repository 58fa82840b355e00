/* flowgraph_finish.c - CPython 3.13's _PyCfg_OptimizedCfgToInstructionSequence and what the
   assembler does first: stack depth, the MAKE_CELL / COPY_FREE_VARS / RETURN_GENERATOR
   prefix with cell offsets fixed, pseudo-instructions made real, conditional jumps forward
   only, the final sequence with each instruction's exception handler. */
#include <stddef.h>
#include <string.h>

#include "cfg.h"

/* ---- stack depth ---- */

static int depth_push(Cfg *g, Block ***sp, Block *b, int depth)
{
    if (!(b->startdepth < 0 || b->startdepth == depth))
        return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "Invalid CFG, inconsistent stackdepth");
    if (b->startdepth < depth && b->startdepth < 100) {
        b->startdepth = depth;
        *(*sp)++ = b;
    }
    return 0;
}

/* in's stack effect when it does not jump; OPMETA_INVALID_EFFECT (reported) for none. The
   table's (OpTable.effects) is the answer but for the few it leaves to stack_effect (the
   SETUP_*, whose effect depends on the branch, and the opcodes the target lacks). */
static inline int instr_effect(Cfg *g, const CInstr *in)
{
    const OpEffect *oe = &g->effects[in->op];
    int effect = oe->effect;
    if (oe->kind != OPMETA_EFFECT_FIXED) {
        if (oe->kind == OPMETA_EFFECT_LINEAR) return effect + oe->arg * in->arg + oe->odd * (in->arg & 1);
        effect = g->ops->stack_effect(in->op, in->arg, false);
        if (effect == OPMETA_INVALID_EFFECT)
            error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "Invalid stack effect for opcode=%d, arg=%i",
                     in->op, in->arg);
    }
    return effect;
}

static int underflow(Cfg *g)
{
    return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "Invalid CFG, stack underflow");
}

/* The deepest stack along any path (loops are assumed to have no net effect). */
static int calculate_stackdepth(Cfg *g)
{
    for (Block *b = g->entry; b; b = b->next) b->startdepth = INT_MIN;
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    int maxdepth = 0;   /* a negative depth compares above it as unsigned: an underflow */
    if (depth_push(g, &sp, g->entry, 0)) return -1;
    while (sp > stack) {
        Block *b = *--sp;
        int depth = b->startdepth;
        /* only the last instruction has a target, but where SETUP_* are */
        CInstr *in = b->in, *end = in + b->n, *edges = b->setups || !b->n ? in : end - 1;
        for (; in < edges; in++) {
            int effect = instr_effect(g, in);
            if (effect == OPMETA_INVALID_EFFECT) return -1;
            depth += effect;
            if ((unsigned)depth > (unsigned)maxdepth) {
                if (depth < 0) return underflow(g);
                maxdepth = depth;
            }
        }
        for (; in < end; in++) {
            int effect = instr_effect(g, in);
            if (effect == OPMETA_INVALID_EFFECT) return -1;
            int nd = depth + effect;
            if (nd < 0) return underflow(g);
            if (nd > maxdepth) maxdepth = nd;
            if (in->target) {
                int td = depth + (g->effects[in->op].kind == OPMETA_EFFECT_CALL
                                      ? g->ops->stack_effect(in->op, in->arg, true) : effect);
                if (td > maxdepth) maxdepth = td;
                if (depth_push(g, &sp, in->target, td)) return -1;
            }
            depth = nd;
        }
        /* terminators end their blocks */
        if (b->next && block_has_fallthrough(g, b) && depth_push(g, &sp, b->next, depth)) return -1;
    }
    return maxdepth;
}

/* ---- localsplus: cells and free variables ---- */

/* Cell i's offset in localsplus: after the locals, or the argument's own slot when the cell
   is an argument. */
static int *build_cellfixedoffsets(Cfg *g, const CodeUnitMeta *m)
{
    int nlocals = (int)m->varnames.n, ncells = (int)m->cellvars.n, nfree = (int)m->freevars.n;
    int *fixed = arena_alloc_raw(g->arena, ((size_t)ncells + nfree + 1) * sizeof *fixed);
    if (!fixed) { cfg_oom(g); return NULL; }
    for (int i = 0; i < ncells + nfree; i++) fixed[i] = nlocals + i;
    for (uint32_t k = 0; k < m->cellvars.n; k++) {
        int arg = namemap_find(&m->varnames, m->cellvars.keys[k]);
        if (arg < 0) continue;
        fixed[m->cellvars.vals[k]] = (int)m->varnames.vals[arg];
    }
    return fixed;
}

static bool is_generator(int flags) { return flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR); }

static int insert_prefix(Cfg *g, const CodeUnitMeta *m, const int *fixed, int code_flags)
{
    Block *entry = g->entry;
    int ncells = (int)m->cellvars.n, nfree = (int)m->freevars.n;
    int extra = (is_generator(code_flags) ? 2 : 0) + ncells + (nfree > 0);
    if (extra == 0) return 0;
    if (block_reserve(g, entry, entry->n + extra)) return -1;   /* grown once */
    if (is_generator(code_flags)) {
        /* RETURN_GENERATOR + POP_TOP: no net effect (it pushes before switching stacks) */
        SrcLoc loc = {m->firstlineno, m->firstlineno, -1, -1};
        if (block_insert(g, entry, 0, (CInstr){.op = OP_RETURN_GENERATOR, .loc = loc}) ||
            block_insert(g, entry, 1, (CInstr){.op = OP_POP_TOP, .loc = loc}))
            return -1;
    }
    if (ncells) {
        /* MAKE_CELL in localsplus order (argument cells first) */
        int nvars = ncells + (int)m->varnames.n;
        int *sorted = arena_alloc(g->arena, (size_t)nvars * sizeof *sorted);
        if (!sorted) return cfg_oom(g);
        for (int i = 0; i < ncells; i++) sorted[fixed[i]] = i + 1;
        for (int i = 0, used = 0; used < ncells; i++) {
            int old = sorted[i] - 1;
            if (old == -1) continue;
            if (block_insert(g, entry, used, (CInstr){.op = OP_MAKE_CELL, .arg = old, .loc = NO_LOC}))
                return -1;
            used++;
        }
    }
    if (nfree &&
        block_insert(g, entry, 0, (CInstr){.op = OP_COPY_FREE_VARS, .arg = nfree, .loc = NO_LOC}))
        return -1;
    return 0;
}

/* The cell and free offsets made final (fixed[i]: cell or free variable i's offset);
   returns how many cells were arguments' slots (dropped from localsplus). */
static int drop_argument_cells(const CodeUnitMeta *m, int *fixed)
{
    int nlocals = (int)m->varnames.n, noffsets = (int)(m->cellvars.n + m->freevars.n);
    int dropped = 0;
    for (int i = 0; i < noffsets; i++) {
        if (fixed[i] == i + nlocals) fixed[i] -= dropped;
        else dropped++;
    }
    return dropped;
}

/* nlocalsplus, or -1; *cells: the offsets the cell and free references take, or NULL when
   none is there (no MAKE_CELL either). */
static int prepare_localsplus(Cfg *g, const CodeUnitMeta *m, int code_flags, const int **cells)
{
    int nlocalsplus = (int)(m->varnames.n + m->cellvars.n + m->freevars.n);
    if (!m->cellvars.n && !m->freevars.n && !(g->uses & CFG_USES_CELL) && !is_generator(code_flags)) {
        *cells = NULL;   /* most units: no prefix, no offset to fix */
        return nlocalsplus;
    }
    int *fixed = build_cellfixedoffsets(g, m);
    if (!fixed || insert_prefix(g, m, fixed, code_flags)) return -1;
    *cells = (g->uses & CFG_USES_CELL) || m->cellvars.n ? fixed : NULL;
    return nlocalsplus - drop_argument_cells(m, fixed);
}

/* ---- pseudo-instructions and jump directions ---- */

/* The SETUP_* made NOPs: only the blocks holding one (Block.setups) are walked. The rest
   of what CPython's convert_pseudo_ops and fix_cell_offsets do (LOAD_CLOSURE and
   STORE_FAST_MAYBE_NULL made real, cell and free references given their localsplus
   offsets) changes no NOP and no jump, which is all remove_redundant_nops_and_jumps reads:
   emit_final does it as it copies (emit_fix). Without a SETUP_* (no NOP made), a NOP kept
   or a jump that may have come to lead to the next block (Cfg.jumps_moved),
   remove_redundant_nops_and_jumps would find nothing to do: the last one left no jump to
   the next block. */
static int convert_pseudo_ops(Cfg *g)
{
    bool setups = g->uses & CFG_USES_SETUP;
    if (setups) {
        for (Block *b = g->entry; b; b = b->next) {
            if (!b->setups) continue;
            for (CInstr *in = b->in, *end = in + b->n; in < end; in++)
                if (is_block_push(g, in)) block_nop(b, in);
        }
    } else if (!g->jumps_moved) {
        Block *b = g->entry;
        while (b && !b->nops) b = b->next;
        if (!b) return 0;
    }
    return remove_redundant_nops_and_jumps(g);
}

/* A conditional jump backwards (to a block seen: laid out before, or b itself) becomes the
   reversed jump over a new block holding an unconditional JUMP back (conditional jumps only
   go forward). emit_final's walk does this for each block as it reaches it. */
static int normalize_jump(Cfg *g, Block *b)
{
    CInstr *last = block_last(b);
    if (!last || !is_jump(g, last) || is_uncond_jump(g, last->op) || !block_seen(g, last->target))
        return 0;
    int rev = 0;
    switch (last->op) {
    case OP_POP_JUMP_IF_NOT_NONE: rev = OP_POP_JUMP_IF_NONE; break;
    case OP_POP_JUMP_IF_NONE: rev = OP_POP_JUMP_IF_NOT_NONE; break;
    case OP_POP_JUMP_IF_FALSE: rev = OP_POP_JUMP_IF_TRUE; break;
    case OP_POP_JUMP_IF_TRUE: rev = OP_POP_JUMP_IF_FALSE; break;
    }
    Block *back = cfg_new_block(g);
    if (!back || block_addop(g, back, OP_JUMP, 0, last->loc)) return -1;
    back->in[0].target = last->target;
    last->op = rev;
    last->target = b->next;
    back->cold = b->cold;
    back->next = b->next;
    b->next = back;
    return 0;
}

/* An instruction as the final sequence has it, but for a jump's target and the handler. */
static inline void emit_plain(Instr *o, const CInstr *in)
{
    *o = (Instr){.opcode = in->op, .oparg = in->arg, .loc = in->loc, .eh = {-1, 0, 0},
                 .target = -1};
}

static inline void emit_handler(Instr *o, const CInstr *in)
{
    if (in->except)
        o->eh = (ExceptHandlerInfo){in->except->label, in->except->startdepth,
                                    in->except->preserve_lasti};
}

/* What emit_fix does to an instruction: a cell or free reference's argument to its
   localsplus offset (with cells), a pseudo-instruction to the real one (a LOAD_CLOSURE has
   its offset before it becomes a LOAD_FAST). */
enum { FIX_CELL = 1, FIX_LOAD_FAST = 2, FIX_STORE_FAST = 4 };
static const uint8_t fix_of[OP__COUNT] = {
    [OP_MAKE_CELL] = FIX_CELL, [OP_LOAD_DEREF] = FIX_CELL, [OP_STORE_DEREF] = FIX_CELL,
    [OP_DELETE_DEREF] = FIX_CELL, [OP_LOAD_FROM_DICT_OR_DEREF] = FIX_CELL,
    [OP_LOAD_CLOSURE] = FIX_CELL | FIX_LOAD_FAST, [OP_STORE_FAST_MAYBE_NULL] = FIX_STORE_FAST,
};

/* An instruction's operation and argument (an Instr's or a CInstr's); cells: the offsets
   (noffsets of them), or NULL when no reference is there. */
static inline int emit_fix(Cfg *g, int *op, int *arg, const int *cells, int noffsets)
{
    unsigned f = fix_of[*op];
    if (!f) return 0;   /* most */
    if ((f & FIX_CELL) && cells) {
        if (*arg < 0 || *arg >= noffsets)
            return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: cell %d out of range", *arg);
        *arg = cells[*arg];
    }
    if (f & FIX_LOAD_FAST) *op = OP_LOAD_FAST;
    else if (f & FIX_STORE_FAST) *op = OP_STORE_FAST;
    return 0;
}

/* A block's instructions but the last, each loop for what the unit has (handlers: some
   instruction may have one; fix: emit_fix has something to do). */
static inline int emit_body(Cfg *g, Instr *o, const CInstr *in, const CInstr *last, bool handlers,
                            bool fix, const int *cells, int noffsets)
{
    for (; in < last; in++, o++) {
        emit_plain(o, in);
        if (handlers) emit_handler(o, in);
        if (fix && emit_fix(g, &o->opcode, &o->oparg, cells, noffsets)) return -1;
    }
    return 0;
}

/* What an Instr has after its operation, argument and location when it has no handler:
   written over a CInstr's edges (the same bytes) makes the Instr in place. */
static const struct { ExceptHandlerInfo eh; int target; } no_handler_tail = {{-1, 0, 0}, -1};
_Static_assert(offsetof(Instr, eh) == offsetof(CInstr, target) &&
               offsetof(Instr, eh) + sizeof no_handler_tail == sizeof(Instr),
               "an Instr's tail is not a CInstr's edges");

/* A unit of one block without handlers whose last instruction does not jump (most units
   without a jump): the final sequence is that block's own array, each CInstr made an Instr
   in place (its edges are all it loses). */
static inline int in_place(Cfg *g, CInstr *in, const CInstr *end, bool fix, const int *cells,
                           int noffsets)
{
    for (; in < end; in++) {
        if (fix && emit_fix(g, &in->op, &in->arg, cells, noffsets)) return -1;
        memcpy((char *)in + offsetof(Instr, eh), &no_handler_tail, sizeof no_handler_tail);
    }
    return 0;
}

static int emit_in_place(Cfg *g, InstrSeq *out, Block *b, bool fix, const int *cells, int noffsets)
{
    CInstr *in = b->in, *end = in + b->n;
    if (fix ? in_place(g, in, end, true, cells, noffsets) : in_place(g, in, end, false, NULL, 0))
        return -1;
    *out = (InstrSeq){.arena = g->arena, .instrs = (Instr *)(void *)b->in, .n = b->n, .cap = b->n};
    return 0;
}

/* The final sequence: jump args and handler labels are instruction indices, JUMP and
   JUMP_NO_INTERRUPT resolved to their forward or backward forms. Only a block's last
   instruction has a target (the SETUP_* are NOPs now), and only with handlers (SETUP_*)
   one has a handler: the rest are copied as they are, but for emit_fix's (cells: the
   localsplus offsets of cell and free references, NULL for none). */
static int emit_final(Cfg *g, InstrSeq *out, const int *cells, int noffsets)
{
    int idx = 0;
    g->mark++;   /* seen: laid out before b, or b */
    for (Block *b = g->entry; b; b = b->next) {
        block_see(g, b);
        if (normalize_jump(g, b)) return -1;   /* a block added is the next one here */
        b->label = idx, idx += b->n;
    }
    bool handlers = g->uses & CFG_USES_SETUP;
    bool fix = cells || (g->uses & CFG_USES_PSEUDO);
    if (!g->entry->next && !handlers && g->entry->n && !block_last(g->entry)->target)
        return emit_in_place(g, out, g->entry, fix, cells, noffsets);
    Instr *o = arena_alloc_raw(g->arena, ((size_t)idx + 1) * sizeof *o);
    if (!o) return cfg_oom(g);
    *out = (InstrSeq){.arena = g->arena, .instrs = o, .n = idx, .cap = idx};
    for (Block *b = g->entry; b; b = b->next) {
        if (b->n == 0) continue;
        const CInstr *in = b->in, *last = in + b->n - 1;
        int r;
        if (handlers && fix) r = emit_body(g, o, in, last, true, true, cells, noffsets);
        else if (handlers) r = emit_body(g, o, in, last, true, false, NULL, 0);
        else if (fix) r = emit_body(g, o, in, last, false, true, cells, noffsets);
        else r = emit_body(g, o, in, last, false, false, NULL, 0);
        if (r) return -1;
        o += last - in;
        in = last;
        emit_plain(o, in);
        if (fix && emit_fix(g, &o->opcode, &o->oparg, cells, noffsets)) return -1;
        if (in->target) {
            int k = b->label + b->n - 1, arg = o->oparg = in->target->label;   /* k: o's index */
            if (in->op == OP_JUMP) o->opcode = arg > k ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
            else if (in->op == OP_JUMP_NO_INTERRUPT)
                o->opcode = arg > k ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
        }
        emit_handler(o++, in);
    }
    return 0;
}

/* Continues from cfg_optimize's graph (seq->cfg, used up here), as CPython goes on with the
   same cfg_builder. */
int cfg_finish(InstrSeq *seq, CodeUnitMeta *meta, int code_flags, InstrSeq *out,
               int *stackdepth, int *nlocalsplus, cpyc_error *err)
{
    Cfg *g = seq->cfg;
    if (!g) return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "CFG: cfg_finish without cfg_optimize");
    seq->cfg = NULL;
    g->err = err;
    if ((*stackdepth = g->depth_ok ? g->maxdepth : calculate_stackdepth(g)) < 0) return -1;
    const int *cells;
    if ((*nlocalsplus = prepare_localsplus(g, meta, code_flags, &cells)) < 0) return -1;
    if (convert_pseudo_ops(g)) return -1;
    return emit_final(g, out, cells, (int)(meta->cellvars.n + meta->freevars.n));
}
