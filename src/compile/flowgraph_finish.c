/* flowgraph_finish.c - CPython 3.13's _PyCfg_OptimizedCfgToInstructionSequence and what the
   assembler does first: stack depth, the MAKE_CELL / COPY_FREE_VARS / RETURN_GENERATOR
   prefix with cell offsets fixed, pseudo-instructions made real, conditional jumps forward
   only, the final sequence with each instruction's exception handler. */
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

/* The deepest stack along any path (loops are assumed to have no net effect). */
static int calculate_stackdepth(Cfg *g)
{
    for (Block *b = g->entry; b; b = b->next) b->startdepth = INT_MIN;
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    int maxdepth = 0;
    if (depth_push(g, &sp, g->entry, 0)) return -1;
    while (sp > stack) {
        Block *b = *--sp;
        int depth = b->startdepth;
        Block *next = b->next;
        for (int i = 0; i < b->n; i++) {
            CInstr *in = &b->in[i];
            int effect = g->ops->stack_effect(in->op, in->arg, false);
            if (effect == OPMETA_INVALID_EFFECT)
                return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1,
                                "Invalid stack effect for opcode=%d, arg=%i", in->op, in->arg);
            int nd = depth + effect;
            if (nd < 0) return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "Invalid CFG, stack underflow");
            if (nd > maxdepth) maxdepth = nd;
            if (has_target(g, in->op)) {
                int td = depth + g->ops->stack_effect(in->op, in->arg, true);
                if (td > maxdepth) maxdepth = td;
                if (depth_push(g, &sp, in->target, td)) return -1;
            }
            depth = nd;
            if (is_uncond_jump(g, in->op) || is_scope_exit(g, in->op)) {
                next = NULL;   /* the rest is dead */
                break;
            }
        }
        if (next && depth_push(g, &sp, next, depth)) return -1;
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
    if (is_generator(code_flags)) {
        /* RETURN_GENERATOR + POP_TOP: no net effect (it pushes before switching stacks) */
        SrcLoc loc = {m->firstlineno, m->firstlineno, -1, -1};
        if (block_insert(g, entry, 0, (CInstr){.op = OP_RETURN_GENERATOR, .loc = loc}) ||
            block_insert(g, entry, 1, (CInstr){.op = OP_POP_TOP, .loc = loc}))
            return -1;
    }
    int ncells = (int)m->cellvars.n;
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
    int nfree = (int)m->freevars.n;
    if (nfree &&
        block_insert(g, entry, 0, (CInstr){.op = OP_COPY_FREE_VARS, .arg = nfree, .loc = NO_LOC}))
        return -1;
    return 0;
}

/* Cell and free references to their localsplus offsets; returns how many cells were
   arguments' slots (dropped from localsplus). */
static int fix_cell_offsets(Cfg *g, const CodeUnitMeta *m, int *fixed)
{
    int nlocals = (int)m->varnames.n, noffsets = (int)(m->cellvars.n + m->freevars.n);
    int dropped = 0;
    for (int i = 0; i < noffsets; i++) {
        if (fixed[i] == i + nlocals) fixed[i] -= dropped;
        else dropped++;
    }
    for (Block *b = g->entry; b; b = b->next)
        for (int i = 0; i < b->n; i++) {
            CInstr *in = &b->in[i];
            switch (in->op) {
            case OP_MAKE_CELL: case OP_LOAD_CLOSURE: case OP_LOAD_DEREF: case OP_STORE_DEREF:
            case OP_DELETE_DEREF: case OP_LOAD_FROM_DICT_OR_DEREF:
                if (in->arg < 0 || in->arg >= noffsets)
                    return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: cell %d out of range", in->arg);
                in->arg = fixed[in->arg];
            }
        }
    return dropped;
}

static int prepare_localsplus(Cfg *g, const CodeUnitMeta *m, int code_flags)
{
    int nlocalsplus = (int)(m->varnames.n + m->cellvars.n + m->freevars.n);
    int *fixed = build_cellfixedoffsets(g, m);
    if (!fixed || insert_prefix(g, m, fixed, code_flags)) return -1;
    int dropped = fix_cell_offsets(g, m, fixed);
    return dropped < 0 ? -1 : nlocalsplus - dropped;
}

/* ---- pseudo-instructions and jump directions ---- */

static int convert_pseudo_ops(Cfg *g)
{
    for (Block *b = g->entry; b; b = b->next)
        for (int i = 0; i < b->n; i++) {
            CInstr *in = &b->in[i];
            if (is_block_push(g, in)) set_op0(in, OP_NOP);
            else if (in->op == OP_LOAD_CLOSURE) in->op = OP_LOAD_FAST;
            else if (in->op == OP_STORE_FAST_MAYBE_NULL) in->op = OP_STORE_FAST;
        }
    return remove_redundant_nops_and_jumps(g);
}

/* A conditional jump backwards becomes the reversed jump over a new block holding an
   unconditional JUMP back (conditional jumps only go forward). */
static int normalize_jumps(Cfg *g)
{
    for (Block *b = g->entry; b; b = b->next) b->visited = false;
    for (Block *b = g->entry; b; b = b->next) {
        b->visited = true;
        CInstr *last = block_last(b);
        if (!last || !is_jump(g, last) || is_uncond_jump(g, last->op) || !last->target->visited)
            continue;
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
    }
    return 0;
}

/* The final sequence: jump args and handler labels are instruction indices, JUMP and
   JUMP_NO_INTERRUPT resolved to their forward or backward forms. */
static int emit_final(Cfg *g, InstrSeq *out)
{
    int idx = 0;
    for (Block *b = g->entry; b; b = b->next) b->label = idx, idx += b->n;
    for (Block *b = g->entry; b; b = b->next)
        for (int i = 0; i < b->n; i++) {
            CInstr *in = &b->in[i];
            int arg = has_target(g, in->op) ? in->target->label : in->arg;
            int k = instrseq_addop(out, in->op, arg, in->loc);
            if (k < 0) return cfg_oom(g);
            if (in->except) {
                ExceptHandlerInfo *h = &out->instrs[k].eh;
                h->label = in->except->label;
                h->startdepth = in->except->startdepth;
                h->preserve_lasti = in->except->preserve_lasti;
            }
            Instr *o = &out->instrs[k];
            bool forward = o->oparg > k;
            if (o->opcode == OP_JUMP) o->opcode = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD;
            else if (o->opcode == OP_JUMP_NO_INTERRUPT)
                o->opcode = forward ? OP_JUMP_FORWARD : OP_JUMP_BACKWARD_NO_INTERRUPT;
        }
    return 0;
}

int cfg_finish(InstrSeq *seq, CodeUnitMeta *meta, int code_flags, InstrSeq *out,
               int *stackdepth, int *nlocalsplus, cpyc_error *err)
{
    Cfg g = {.arena = seq->arena, .ops = &opmeta_3_13, .err = err};
    bool *starts = arena_alloc(seq->arena, (size_t)seq->n + 1);
    if (!starts) return cfg_oom(&g);
    for (int i = 0; i < seq->n; i++) starts[i] = seq->instrs[i].target == 1;
    if (cfg_from_seq(&g, seq, starts)) return -1;
    if ((*stackdepth = calculate_stackdepth(&g)) < 0) return -1;
    if ((*nlocalsplus = prepare_localsplus(&g, meta, code_flags)) < 0) return -1;
    if (convert_pseudo_ops(&g) || normalize_jumps(&g)) return -1;
    instrseq_init(out, seq->arena);
    return emit_final(&g, out);
}
