/* flowgraph.c - CPython 3.13's _PyCfg_OptimizeCodeUnit: codegen's instruction sequence as
   basic blocks, exception targets labelled, then jump threading, dead code, constant folding
   and the peephole rules, unused constants dropped, LOAD_FAST_CHECK where a local may be
   unbound, superinstructions, cold blocks moved to the end, line numbers resolved. */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

/* ---- blocks ---- */

int cfg_oom(Cfg *g)
{
    return error_at(g->err, CPYC_ERR_MEMORY, -1, "out of memory in the CFG");
}

Block *cfg_new_block(Cfg *g)
{
    Block *b = arena_alloc_raw(g->arena, sizeof *b);
    if (!b) { cfg_oom(g); return NULL; }
    *b = (Block){.label = -1};
    g->nblocks++;
    return b;
}

int block_reserve(Cfg *g, Block *b, int need)
{
    if (need <= b->cap) return 0;
    /* a new block gets what it needs; one that grows (by a jump, a small copied block or
       the prefix: most often once), an eighth more and a little */
    int cap = b->cap ? need + need / 8 + 4 : need < 4 ? 4 : need;
    CInstr *in = arena_alloc_raw(g->arena, (size_t)cap * sizeof *in);
    if (!in) return cfg_oom(g);
    if (b->n) memcpy(in, b->in, (size_t)b->n * sizeof *in);
    b->in = in;
    b->cap = cap;
    return 0;
}

int block_addop(Cfg *g, Block *b, int op, int arg, SrcLoc loc)
{
    if (block_reserve(g, b, b->n + 1)) return -1;
    b->in[b->n++] = (CInstr){.op = op, .arg = arg, .loc = loc};
    b->nolines |= loc.lineno < 0;
    return 0;
}

int block_insert(Cfg *g, Block *b, int pos, CInstr in)
{
    if (block_reserve(g, b, b->n + 1)) return -1;
    memmove(&b->in[pos + 1], &b->in[pos], (size_t)(b->n - pos) * sizeof *b->in);
    b->in[pos] = in;
    b->n++;
    if (b->nops && pos <= b->first_nop) b->first_nop++;   /* (never a NOP inserted) */
    b->nolines |= in.loc.lineno < 0;
    return 0;
}

static int block_append(Cfg *g, Block *to, const Block *from)
{
    if (block_reserve(g, to, to->n + from->n)) return -1;
    memcpy(&to->in[to->n], from->in, (size_t)from->n * sizeof *from->in);
    if (from->nops) block_mark_nop(to, to->n + from->first_nop);
    to->n += from->n;
    to->setups |= from->setups;
    to->nolines |= from->nolines;
    return 0;
}

/* Appends a jump to target (never after another jump). */
static int block_add_jump(Cfg *g, Block *b, int op, Block *target, SrcLoc loc)
{
    CInstr *last = block_last(b);
    if (last && is_jump(g, last))
        return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: jump after a jump");
    if (block_addop(g, b, op, target->label, loc)) return -1;
    block_last(b)->target = target;
    return 0;
}

Block **cfg_stack(Cfg *g)
{
    g->mark++;
    if (g->stack_cap <= g->nblocks) {
        int cap = g->nblocks * 2 + 8;
        if (!(g->stack = arena_alloc_raw(g->arena, (size_t)cap * sizeof *g->stack))) {
            cfg_oom(g);
            return NULL;
        }
        g->stack_cap = cap;
    }
    return g->stack;
}

/* ---- building (instr_sequence_to_cfg with the cfg_builder's block rules) ---- */

/* The instructions whose presence cfg.uses records: SETUP_* as the graph is built, the rest
   in optimize_basic_block's walk (RULE_USES). */
static const uint8_t op_uses[OP__COUNT] = {
    [OP_SETUP_FINALLY] = CFG_USES_SETUP, [OP_SETUP_CLEANUP] = CFG_USES_SETUP,
    [OP_SETUP_WITH] = CFG_USES_SETUP, [OP_POP_BLOCK] = CFG_USES_SETUP,
    [OP_DELETE_FAST] = CFG_USES_KILL, [OP_LOAD_FAST_AND_CLEAR] = CFG_USES_KILL,
    [OP_STORE_FAST_MAYBE_NULL] = CFG_USES_KILL | CFG_USES_PSEUDO,
    [OP_LOAD_CLOSURE] = CFG_USES_CELL | CFG_USES_PSEUDO,
    [OP_MAKE_CELL] = CFG_USES_CELL, [OP_LOAD_DEREF] = CFG_USES_CELL,
    [OP_STORE_DEREF] = CFG_USES_CELL, [OP_DELETE_DEREF] = CFG_USES_CELL,
    [OP_LOAD_FROM_DICT_OR_DEREF] = CFG_USES_CELL,
};

/* The block of blocks[0..nb) that starts at instruction t (one does: t is a start). */
static Block *block_at(Block *blocks, int nb, const CInstr *all, int t)
{
    int lo = 0, hi = nb - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (blocks[mid].in - all <= t) lo = mid;
        else hi = mid - 1;
    }
    return &blocks[lo];
}

/* A CInstr is an Instr's operation, argument and location, then the graph's edges where
   the Instr keeps what the CFG does not read yet (codegen's handler and scratch). */
_Static_assert(offsetof(Instr, opcode) == offsetof(CInstr, op) &&
               offsetof(Instr, oparg) == offsetof(CInstr, arg) &&
               offsetof(Instr, loc) == offsetof(CInstr, loc) &&
               sizeof(CInstr) == sizeof(Instr), "Instr and CInstr differ");

/* One pass turns the instructions into the graph's, in the sequence's own memory (the
   sequence is used up: only the edges are written over what codegen left there), and
   marks where blocks start (jump targets, after terminators) and what the unit uses; the
   marks, scanned a word at a time, make the blocks over that one array; the jumps then find
   their targets' blocks. */
static int cfg_from_seq(Cfg *g, InstrSeq *seq)
{
    int n = seq->n, njumps = 0, nb = 1;   /* blocks: the entry and one per start after it */
    int first_end = n;   /* after the first jump or scope exit: the entry's end */
    const uint16_t *flags = g->flags = g->ops->flags;
    g->info = g->ops->ops;
    g->effects = g->ops->effects;
    size_t nwords = ((size_t)n + 8) / 8;   /* start[0..n], padded to whole words */
    uint64_t *words = arena_alloc_raw(g->arena, nwords * sizeof *words);
    int *jumps = arena_alloc_raw(g->arena, ((size_t)n + 1) * sizeof *jumps);
    CInstr *all = (CInstr *)(void *)seq->instrs;
    if (n == 0 || (uintptr_t)all % _Alignof(CInstr)) {   /* not so from the arena: a copy */
        if ((all = arena_alloc_raw(g->arena, ((size_t)n + 1) * sizeof *all)) && n)
            memcpy(all, seq->instrs, (size_t)n * sizeof *all);
    }
    if (!words || !jumps || !all) return cfg_oom(g);
    memset(words, 0, nwords * sizeof *words);
    uint8_t *start = (uint8_t *)words;
    for (CInstr *c = all, *end = all + n; c < end; c++) {   /* (i only where it is needed) */
        int op = c->op;
        c->target = c->except = NULL;
        if ((unsigned)op >= OP__COUNT)
            return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: opcode %d out of range", op);
        unsigned f = flags[op];
        if (!(f & (OPF_JUMP | OPF_BLOCK_PUSH | OPF_SCOPE_EXIT))) continue;
        int i = (int)(c - all);
        if (f & (OPF_JUMP | OPF_BLOCK_PUSH)) {
            int t = c->arg;
            if (t < 0 || t >= n)
                return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: jump target %d out of range", t);
            nb += t > 0 && !start[t];
            start[t] |= 1;
            jumps[njumps++] = i;
        }
        if (f & (OPF_JUMP | OPF_SCOPE_EXIT)) {
            if (first_end == n) first_end = i + 1;
            nb += i + 1 < n && !start[i + 1];
            start[i + 1] |= 2;
        }
    }
    g->no_jumps = njumps == 0;
    if (!njumps) {   /* the blocks after the first scope exit are unreachable: the entry alone */
        Block *e = g->entry = arena_alloc_raw(g->arena, sizeof *e);
        if (!e) return cfg_oom(g);
        *e = (Block){.in = all, .n = first_end, .cap = first_end, .label = -1, .preds = 1,
                     .nops = true, .nolines = true};
        g->nblocks++;
        return 0;
    }
    Block *blocks = arena_alloc_raw(g->arena, (size_t)nb * sizeof *blocks);
    if (!blocks) return cfg_oom(g);
    /* nops and nolines unknown: optimize_basic_block and the first line pass make them
       exact */
    Block *b = blocks;
    *b = (Block){.in = all, .label = start[0] & 1 ? 0 : -1, .nops = true, .nolines = true};
    start[0] = 0;
    start[n] = 0;   /* after the last instruction: no block */
    for (size_t w = 0; w < nwords; w++) {
        uint64_t bits = words[w];
        while (bits) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            int k = __builtin_clzll(bits) >> 3;   /* the lowest address's byte first */
#else
            int k = __builtin_ctzll(bits) >> 3;
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            bits &= ~((uint64_t)0xff << (56 - k * 8));
#else
            bits &= ~((uint64_t)0xff << (k * 8));
#endif
            int i = (int)(w * 8) + k;
            b->n = b->cap = (int)(&all[i] - b->in);
            b->next = b + 1;
            *++b = (Block){.in = &all[i], .label = start[i] & 1 ? i : -1, .nops = true, .nolines = true};
            all[i].except = b;   /* for a while: the block starting there */
        }
    }
    b->n = b->cap = (int)(&all[n] - b->in);
    g->entry = blocks;
    g->nblocks += nb;
    all[0].except = blocks;
    for (int k = 0; k < njumps; k++) {
        CInstr *in = &all[jumps[k]];
        in->target = all[in->arg].except;
        if (flags[in->op] & OPF_BLOCK_PUSH) {
            g->uses |= CFG_USES_SETUP;
            in->target->except_handler = true;
            block_at(blocks, nb, all, jumps[k])->setups = true;
        }
    }
    for (b = blocks; b; b = b->next) b->in[0].except = NULL;
    return 0;
}

/* ---- preprocessing: exception handlers and targets ---- */

static ExceptStack *copy_stack(Cfg *g, const ExceptStack *s)
{
    ExceptStack *c = arena_alloc_raw(g->arena, sizeof *c);
    if (!c) { cfg_oom(g); return NULL; }
    memcpy(c, s, sizeof *c);
    return c;
}

/* The instructions label_exception_targets does more for than give the handler: those with
   a target (the jumps and SETUP_*, as OPF_JUMP | OPF_BLOCK_PUSH has them and
   opcode_has_target lists them) and three more, in one table (one lookup an instruction). */
static const bool except_special[OP__COUNT] = {
    [OP_FOR_ITER] = true, [OP_JUMP_BACKWARD] = true, [OP_JUMP_BACKWARD_NO_INTERRUPT] = true,
    [OP_JUMP_FORWARD] = true, [OP_POP_JUMP_IF_FALSE] = true, [OP_POP_JUMP_IF_NONE] = true,
    [OP_POP_JUMP_IF_NOT_NONE] = true, [OP_POP_JUMP_IF_TRUE] = true, [OP_SEND] = true,
    [OP_JUMP] = true, [OP_JUMP_NO_INTERRUPT] = true, [OP_SETUP_CLEANUP] = true,
    [OP_SETUP_FINALLY] = true, [OP_SETUP_WITH] = true,
    [OP_POP_BLOCK] = true, [OP_YIELD_VALUE] = true, [OP_RESUME] = true,
};

/* Gives every instruction the handler an exception raised there unwinds to, following the
   SETUP_* / POP_BLOCK nesting along the flow; POP_BLOCK becomes a NOP. */
static int label_exception_targets(Cfg *g)
{
    if (!(g->uses & CFG_USES_SETUP)) return 0;   /* no handlers: every except stays NULL */
    Block **todo = cfg_stack(g), **sp = todo;
    ExceptStack *st = arena_alloc(g->arena, sizeof *st);
    if (!todo || !st) return cfg_oom(g);
    *sp++ = g->entry;
    block_see(g, g->entry);
    g->entry->exstack = st;
    while (sp > todo) {
        Block *b = *--sp;
        st = b->exstack;
        b->exstack = NULL;
        Block *handler = st->handlers[st->depth];
        int last_yield_depth = -1;
        for (CInstr *in = b->in, *end = in + b->n; in < end; in++) {
            if (!except_special[in->op]) {   /* most: the handler */
                in->except = handler;
                continue;
            }
            if (is_block_push(g, in)) {
                if (!block_seen(g, in->target)) {
                    if (!(in->target->exstack = copy_stack(g, st))) return -1;
                    block_see(g, in->target);
                    *sp++ = in->target;
                }
                if (in->op == OP_SETUP_WITH || in->op == OP_SETUP_CLEANUP)
                    in->target->preserve_lasti = true;
                if (st->depth > CFG_MAXBLOCKS)
                    return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: blocks nested too deeply");
                st->handlers[++st->depth] = in->target;
                handler = in->target;
            } else if (in->op == OP_POP_BLOCK) {
                if (st->depth <= 0)
                    return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: POP_BLOCK without a block");
                handler = st->handlers[--st->depth];
                block_nop(b, in);
            } else if (is_jump(g, in)) {
                in->except = handler;
                if (!block_seen(g, in->target)) {
                    if (block_has_fallthrough(g, b)) {
                        if (!(in->target->exstack = copy_stack(g, st))) return -1;
                    } else {
                        in->target->exstack = st;
                        st = NULL;
                    }
                    block_see(g, in->target);
                    *sp++ = in->target;
                }
            } else if (in->op == OP_YIELD_VALUE) {
                in->except = handler;
                last_yield_depth = st->depth;
            } else if (in->op == OP_RESUME) {
                in->except = handler;
                if (in->arg != 0) {   /* not at function start: after a yield or await */
                    if (last_yield_depth == 1) in->arg |= 4;   /* RESUME_OPARG_DEPTH1_MASK */
                    last_yield_depth = -1;
                }
            } else {
                in->except = handler;
            }
        }
        if (b->next && !block_seen(g, b->next) && block_has_fallthrough(g, b)) {
            b->next->exstack = st;
            block_see(g, b->next);
            *sp++ = b->next;
        }
    }
    return 0;
}

/* ---- optimizations ---- */

/* A block's preds count from 0 when the walk first sees it; those it never sees (none
   before them) are emptied. */
static int remove_unreachable(Cfg *g)
{
    g->edges_changed = false;
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    g->entry->preds = 1;
    block_see(g, g->entry);
    *sp++ = g->entry;
    while (sp > stack) {
        Block *b = *--sp;
        if (b->next && block_has_fallthrough(g, b)) {
            if (!block_seen(g, b->next)) { block_see(g, b->next); b->next->preds = 0; *sp++ = b->next; }
            b->next->preds++;
        }
        if (!b->setups) {   /* jumps end their blocks: the last alone has an edge (SETUP_* are anywhere) */
            Block *t = b->n > 0 ? b->in[b->n - 1].target : NULL;
            if (t) {
                if (!block_seen(g, t)) { block_see(g, t); t->preds = 0; *sp++ = t; }
                t->preds++;
            }
            continue;
        }
        for (CInstr *in = b->in, *end = b->in + b->n; in < end; in++) {
            if (in->target) {
                if (!block_seen(g, in->target)) {
                    block_see(g, in->target);
                    in->target->preds = 0;
                    *sp++ = in->target;
                }
                in->target->preds++;
            }
        }
    }
    for (Block *b = g->entry; b; b = b->next)
        if (!block_seen(g, b)) b->preds = 0, b->n = 0, b->except_handler = false;
    return 0;
}

/* remove_redundant_nops_and_pairs' scan, done as the NOPs go: the last instruction kept in
   the current run of fallthrough blocks. */
typedef struct Pairs {
    CInstr *last;
    Block *last_block;
    bool found;
} Pairs;

/* pop (a POP_TOP kept) and prev, the instruction kept before it (in prev_block; NULL when
   none), both made NOPs when prev is a LOAD_CONST or COPY 1 (true). */
static inline bool pair_with(Pairs *pp, Block *prev_block, CInstr *prev, CInstr *pop)
{
    if (!prev || !(prev->op == OP_LOAD_CONST || (prev->op == OP_COPY && prev->arg == 1))) return false;
    set_op0(prev, OP_NOP);
    set_op0(pop, OP_NOP);
    block_mark_nop(prev_block, (int)(prev - prev_block->in));   /* (bb's own: made exact after) */
    pp->found = true;
    return true;
}

/* in[start, end) of bb, all kept, moved down to in[dest] in one go (short runs by hand: a
   call costs more than they do). */
static inline void keep_run(CInstr *in, int dest, int start, int end)
{
    if (dest == start || end == start) return;
    if (end - start <= 2) {
        for (int k = start; k < end; k++) in[dest++] = in[k];
    } else {
        memmove(&in[dest], &in[start], (size_t)(end - start) * sizeof *in);
    }
}

/* Drops the NOPs a line number does not need; returns how many went. With pp, also turns
   LOAD_CONST or COPY 1 followed by POP_TOP into NOPs (left for the next round). Blocks not
   marked nops are passed over (the pair scan looks at their first instruction itself).
   The walk starts at first_nop (or at a first POP_TOP, which may pair with the block
   before): what comes before stays where it is. Whatever lies between two NOPs dropped is
   kept, so it moves as one run (keep_run); its POP_TOPs pair where they are, with the
   instruction before them in the run or, for the run's first, with the last kept before it
   (already moved, or pp->last when none). first_nop becomes the first NOP left, at the
   index it is moved to. */
static int block_remove_redundant_nops(Block *bb, Pairs *pp)
{
    if (!bb->nops) return 0;
    CInstr *in = bb->in;
    int n = bb->n, src = bb->first_nop < n ? bb->first_nop : n;
    if (pp && n > 0 && in[0].op == OP_POP_TOP) src = 0;
    int dest = src, start = src, prev_lineno = src > 0 ? in[src - 1].loc.lineno : -1;
    int first = n;   /* the first NOP left (an index in the result) */
    bool kept = false;   /* NOPs left in bb */
    for (;; src++) {
        if (!pp) {
            while (src < n && in[src].op != OP_NOP) src++;
        } else {
            for (; src < n && in[src].op != OP_NOP; src++) {
                if (in[src].op != OP_POP_TOP) continue;
                int at;   /* where the pair's first NOP ends up */
                bool paired;
                if (src > start) {
                    paired = pair_with(pp, bb, &in[src - 1], &in[src]);
                    at = dest + (src - 1 - start);
                } else if (dest > 0) {
                    paired = pair_with(pp, bb, &in[dest - 1], &in[src]);
                    at = dest - 1;
                } else {
                    paired = pair_with(pp, pp->last_block, pp->last, &in[src]);
                    at = dest;
                }
                if (paired && !kept) first = at, kept = true;
            }
        }
        if (src == n) break;
        /* in[start, src) is kept: its last is the last kept before this NOP */
        if (src > start) prev_lineno = in[src - 1].loc.lineno;
        int lineno = in[src].loc.lineno;
        if (lineno < 0 || prev_lineno == lineno) goto drop;
        if (src < n - 1) {
            int next_lineno = in[src + 1].loc.lineno;
            if (next_lineno == lineno) goto drop;
            if (next_lineno < 0) {
                in[src + 1].loc = in[src].loc;
                goto drop;
            }
        } else {
            Block *next = next_nonempty(bb->next);
            if (next) {
                /* the next block's first line, NOPs without one skipped (they go too) */
                SrcLoc next_loc = NO_LOC;
                for (int k = 0; k < next->n; k++) {
                    if (next->in[k].op == OP_NOP && next->in[k].loc.lineno == -1) continue;
                    next_loc = next->in[k].loc;
                    break;
                }
                if (lineno == next_loc.lineno) goto drop;
            }
        }
        if (!kept) first = dest + (src - start), kept = true;   /* the NOP stays, in the run */
        continue;
    drop:
        keep_run(in, dest, start, src);
        dest += src - start;
        start = src + 1;
    }
    keep_run(in, dest, start, n);
    dest += n - start;
    if (pp && dest > 0) pp->last = &in[dest - 1], pp->last_block = bb;
    bb->n = dest;
    bb->nops = kept;
    bb->first_nop = first;
    return n - dest;
}

int remove_redundant_nops(Cfg *g)
{
    int changes = 0;
    for (Block *b = g->entry; b; b = b->next)
        if (b->nops) changes += block_remove_redundant_nops(b, NULL);
    return changes;
}

/* LOAD_CONST or COPY 1 followed by POP_TOP (within a run of fallthrough blocks that are not
   jump targets) is nothing; NOPs dropped as CPython's loop of both does. */
static void remove_redundant_nops_and_pairs(Cfg *g)
{
    Pairs p;
    do {
        p = (Pairs){NULL, NULL, false};
        for (Block *b = g->entry; b; b = b->next) {
            if (b->label >= 0) p.last = NULL;
            if (b->nops) {
                block_remove_redundant_nops(b, &p);
            } else if (b->n > 0) {   /* no NOP, no pair inside: only one with the block before */
                b->nops = b->in[0].op == OP_POP_TOP && pair_with(&p, p.last_block, p.last, b->in);
                b->first_nop = 0;
                p.last = &b->in[b->n - 1];
                p.last_block = b;
            }
            /* b's last ends the run: it jumps or does not fall through (p.last is b's last
               unless b is empty, and then the run goes on) */
            if (b->n > 0 && (op_flags(g, b->in[b->n - 1].op) &
                             (OPF_JUMP | OPF_UNCOND_JUMP | OPF_SCOPE_EXIT)))
                p.last = NULL;
        }
    } while (p.found);
}

static int remove_redundant_jumps(Cfg *g)
{
    if (g->no_jumps) return 0;   /* none made either */
    int changes = 0;
    for (Block *b = g->entry; b; b = b->next) {
        CInstr *last = block_last(b);
        if (!last || !is_uncond_jump(g, last->op)) continue;
        Block *to = next_nonempty(last->target);
        if (!to) return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: jump with NULL target");
        if (to == next_nonempty(b->next)) {
            changes++;
            block_nop(b, last);
        }
    }
    return changes;
}

/* A round that removes no jump and leaves no block with a NOP kept is the last: the next
   one's NOP pass would visit nothing and its jump pass would see what this one's saw. */
int remove_redundant_nops_and_jumps(Cfg *g)
{
    int nops, jumps;
    do {
        bool kept = false;
        nops = 0;
        for (Block *b = g->entry; b; b = b->next)
            if (b->nops) nops += block_remove_redundant_nops(b, NULL), kept |= b->nops;
        if ((jumps = remove_redundant_jumps(g)) < 0) return -1;
        if (!jumps && !kept) break;
    } while (nops + jumps > 0);
    g->jumps_moved = false;
    return 0;
}

static bool block_has_no_lineno(const Block *b)
{
    for (const CInstr *in = b->in, *end = in + b->n; in < end; in++)
        if (in->loc.lineno >= 0) return false;
    return true;
}

enum { MAX_COPY_SIZE = 4 };   /* largest exit block copied in place of a jump to it */

/* A jump to a small exit block or to a block without line numbers that does not fall
   through is replaced by a copy of that block; 1 when done. */
static int inline_small_or_no_lineno_block(Cfg *g, Block *bb)
{
    CInstr *last = block_last(bb);
    if (!last || !is_uncond_jump(g, last->op)) return 0;
    Block *target = last->target;
    CInstr *tl = block_last(target);
    bool small_exit = tl && is_scope_exit(g, tl->op) && target->n <= MAX_COPY_SIZE;
    bool no_lineno = block_has_no_lineno(target) && !block_has_fallthrough(g, target);
    if (!small_exit && !no_lineno) return 0;
    int removed = last->op;
    block_nop(bb, last);
    if (block_append(g, bb, target)) return -1;
    if (no_lineno) {
        last = block_last(bb);
        /* keep the eval breaker check the removed JUMP made */
        if (is_uncond_jump(g, last->op) && removed == OP_JUMP) last->op = OP_JUMP;
    }
    target->preds--;
    return 1;
}

static int inline_small_or_no_lineno_blocks(Cfg *g)
{
    bool changes;
    do {
        changes = false;
        for (Block *b = g->entry; b; b = b->next) {
            int r = inline_small_or_no_lineno_block(g, b);
            if (r < 0) return -1;
            if (r) changes = true;
        }
    } while (changes);
    return 0;
}

/* inst (last of bb) jumps to target, itself a jump: jump to where target goes instead.
   1 when changed, 0 when it would change nothing, -1 on error. */
static int jump_thread(Cfg *g, Block *bb, CInstr *inst, const CInstr *target, int op)
{
    if (inst->target == target->target) return 0;
    Block *to = target->target;
    /* a target after bb has not had its line pass yet, which gives a first instruction
       without a line NO_LOC (the predecessor that could give it one is bb) */
    SrcLoc loc = target->loc.lineno < 0 ? NO_LOC : target->loc;
    g->edges_changed = true;
    block_nop(bb, inst);
    if (block_add_jump(g, bb, op, to, loc)) return -1;
    return 1;
}

/* ---- constants ---- */

/* A STORE_FAST STORE_FAST rule left for after the walk (optimize_cfg): the block's first
   instruction, whose line a later predecessor may still give, and the second's line. */
typedef struct DeferredStore {
    Block *b;
    int lineno;
} DeferredStore;

typedef struct Consts {
    ConstMap *map;
    ConstCache *cc;
    Arena *arena;
    int tuples_from;            /* the first constant a tuple fold added, or -1 */
    DeferredStore *deferred;    /* in the CFG's arena */
    int ndeferred, deferred_cap;
} Consts;

static bool value_is_true(const Value *v)
{
    switch ((ValueKind)v->kind) {
    case V_NONE: case V_FALSE: return false;
    case V_INT: return v->u.i.ndigits != 0;
    case V_FLOAT: return v->u.f.v != 0.0;
    case V_COMPLEX: return v->u.c.re != 0.0 || v->u.c.im != 0.0;
    case V_STR: case V_BYTES: return v->u.s.len != 0;
    case V_TUPLE: case V_LIST: case V_DICT: case V_SET: case V_FROZENSET: return v->u.seq.n != 0;
    default: return true;
    }
}

/* The same object, as CPython's `is` sees constants: singletons by kind (None, True, False,
   Ellipsis, the empty tuple), everything else by identity (merged through the cache). */
static bool const_same(const Value *a, const Value *b)
{
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    switch ((ValueKind)a->kind) {
    case V_NONE: case V_TRUE: case V_FALSE: case V_ELLIPSIS: return true;
    case V_TUPLE: return a->u.seq.n == 0 && b->u.seq.n == 0;
    default: return false;
    }
}

/* add_const: merges v through the cache and returns its index, appended when no constant
   is that same object. */
static int add_const(Cfg *g, Consts *c, Value *v)
{
    if (c->cc && !(v = const_cache_merge(c->cc, v))) return cfg_oom(g);
    ConstMap *m = c->map;
    for (uint32_t k = 0; k < m->n; k++)
        if (const_same(m->items[k], v)) return (int)k;
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 8;
        Value **items = arena_alloc(c->arena, cap * sizeof *items);
        uint64_t *hashes = arena_alloc(c->arena, cap * sizeof *hashes);
        if (!items || !hashes) return cfg_oom(g);
        if (m->n) memcpy(items, m->items, m->n * sizeof *items);
        for (uint32_t k = 0; k < m->n; k++)
            hashes[k] = m->hashes ? m->hashes[k] : const_key_hash(m->items[k]);
        m->items = items, m->hashes = hashes, m->cap = cap;
    }
    m->items[m->n] = v;
    m->hashes[m->n] = const_key_hash(v);
    m->n++;
    m->slots = NULL, m->nslots = 0;   /* lookups by key are rebuilt on the next add */
    return (int)(m->n - 1);
}

static Value *const_at(Cfg *g, Consts *c, int idx)
{
    if (idx < 0 || (uint32_t)idx >= c->map->n) {
        error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: constant %d out of range", idx);
        return NULL;
    }
    return c->map->items[idx];
}

/* LOAD_CONST c1 ... LOAD_CONST cn BUILD_TUPLE n -> LOAD_CONST (c1, ..., cn). */
static int fold_tuple_on_constants(Cfg *g, Consts *c, CInstr *inst, int n)
{
    for (int i = 0; i < n; i++)
        if (!has_const(g, inst[i].op)) return 0;
    Value **items = arena_alloc_raw(c->arena, ((size_t)n + 1) * sizeof *items);
    if (!items) return cfg_oom(g);
    for (int i = 0; i < n; i++)
        if (!(items[i] = const_at(g, c, inst[i].arg))) return -1;
    Value *t = const_tuple(c->arena, items, (size_t)n);
    if (!t) return cfg_oom(g);
    uint32_t before = c->map->n;
    int idx = add_const(g, c, t);
    if (idx < 0) return -1;
    if (c->tuples_from < 0 && c->map->n > before) c->tuples_from = idx;
    for (int i = 0; i < n; i++) set_op0(&inst[i], OP_NOP);
    set_op1(&inst[n], OP_LOAD_CONST, idx);
    return 0;
}

/* Replaces a run of SWAPs and NOPs starting at *ix by the shortest run of SWAPs with the same
   effect (sorting the permutation's cycles, written from the run's end). */
static int swaptimize(Cfg *g, Block *block, int *ix)
{
    CInstr *ins = &block->in[*ix];
    int depth = ins[0].arg, len = 0, limit = block->n - *ix;
    bool more = false;
    while (++len < limit) {
        if (ins[len].op == OP_SWAP) {
            if (ins[len].arg > depth) depth = ins[len].arg;
            more = true;
        } else if (ins[len].op != OP_NOP) {
            break;
        }
    }
    if (!more) return 0;
    int *stack = arena_alloc_raw(g->arena, (size_t)depth * sizeof *stack);
    if (!stack) return cfg_oom(g);
    for (int i = 0; i < depth; i++) stack[i] = i;
    for (int i = 0; i < len; i++)
        if (ins[i].op == OP_SWAP) {
            int a = ins[i].arg, top = stack[0];
            stack[0] = stack[a - 1];
            stack[a - 1] = top;
        }
    enum { DONE = -1 };
    int cur = len - 1;
    for (int i = 0; i < depth; i++) {
        if (stack[i] == DONE || stack[i] == i) continue;
        int j = i;
        for (;;) {
            if (j) {
                ins[cur].op = OP_SWAP;
                ins[cur--].arg = j + 1;
            }
            if (stack[j] == DONE) break;
            int nj = stack[j];
            stack[j] = DONE;
            j = nj;
        }
    }
    while (cur >= 0) set_op0(&ins[cur--], OP_NOP);
    *ix += len - 1;
    return 0;
}

/* Instructions a SWAP may be traded for: no control flow, no arbitrary code, TOS only. */
static bool swappable(int op)
{
    return op == OP_STORE_FAST || op == OP_STORE_FAST_MAYBE_NULL || op == OP_POP_TOP;
}
static int stores_to(const CInstr *i)
{
    return i->op == OP_STORE_FAST || i->op == OP_STORE_FAST_MAYBE_NULL ? i->arg : -1;
}

static int next_swappable(Block *b, int i, int lineno)
{
    while (++i < b->n) {
        CInstr *in = &b->in[i];
        if (lineno >= 0 && in->loc.lineno != lineno) return -1;   /* visible to tracing */
        if (in->op == OP_NOP) continue;
        return swappable(in->op) ? i : -1;
    }
    return -1;
}

/* SWAP n; ...; X; ...; Y with X and Y swappable: swap the instructions instead. */
static void apply_static_swaps(Block *b, int i)
{
    for (; i >= 0; i--) {
        CInstr *swap = &b->in[i];
        if (swap->op != OP_SWAP) {
            if (swap->op == OP_NOP || swappable(swap->op)) continue;
            return;
        }
        int j = next_swappable(b, i, -1);
        if (j < 0) return;
        int k = j, lineno = b->in[j].loc.lineno;
        for (int count = swap->arg - 1; count > 0; count--)
            if ((k = next_swappable(b, k, lineno)) < 0) return;
        int sj = stores_to(&b->in[j]), sk = stores_to(&b->in[k]);
        if (sj >= 0 || sk >= 0) {
            if (sj == sk) return;
            for (int x = j + 1; x < k; x++) {
                int s = stores_to(&b->in[x]);
                if (s >= 0 && (s == sj || s == sk)) return;
            }
        }
        set_op0(swap, OP_NOP);
        CInstr t = b->in[j];
        b->in[j] = b->in[k];
        b->in[k] = t;
    }
}

/* CPython adds the constants of the TO_BOOL rule (optimize_load_const) in a walk of every
   block before the tuple folds (optimize_basic_block) add theirs; here both rules are in
   one walk, so a new bool made after a new tuple moves to just before the first tuple
   added, and the instructions walked so far (blocks entry..upto) that load those tuples
   follow them up one. Rare: the bool rule takes a constant before a TO_BOOL. */
static int add_bool_const(Cfg *g, Consts *c, Value *v, Block *upto)
{
    ConstMap *m = c->map;
    uint32_t before = m->n;
    int idx = add_const(g, c, v);
    if (idx < 0 || c->tuples_from < 0 || m->n == before) return idx;
    int to = c->tuples_from;
    Value *item = m->items[idx];
    uint64_t hash = m->hashes[idx];
    memmove(&m->items[to + 1], &m->items[to], (size_t)(idx - to) * sizeof *m->items);
    memmove(&m->hashes[to + 1], &m->hashes[to], (size_t)(idx - to) * sizeof *m->hashes);
    m->items[to] = item;
    m->hashes[to] = hash;
    m->slots = NULL, m->nslots = 0;
    for (Block *b = g->entry; b; b = b == upto ? NULL : b->next)
        for (CInstr *in = b->in, *end = in + b->n; in < end; in++)
            if (has_const(g, in->op) && in->arg >= to && in->arg < idx) in->arg++;
    c->tuples_from = to + 1;
    return to;
}

/* CPython's optimize_load_const at bb->in[i], a LOAD_CONST (and the COPY 1s after it):
   before a conditional jump, IS_OP, RETURN_VALUE or TO_BOOL. It writes only from in[i] on
   and optimize_basic_block's walk applies it on reaching in[i], so the other rules find
   what CPython's walk of every block first leaves: they read from their own instruction
   back, and the next one, which a rule here can only turn from a LOAD_CONST into a NOP
   (neither is a next instruction any rule there takes). */
static int optimize_load_const(Cfg *g, Consts *c, Block *bb, int i)
{
    CInstr *ins = bb->in;
    int n = bb->n;
    /* a COPY 1 after it is the same constant: the rules look after the last such copy
       (what follows each earlier one is a COPY, which no rule takes) */
    int arg = ins[i].arg;
    while (i + 1 < n && ins[i + 1].op == OP_COPY && ins[i + 1].arg == 1) i++;
    CInstr *in = &ins[i];
    int nextop = i + 1 < n ? ins[i + 1].op : 0;
    switch (nextop) {
    case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE: {
        Value *v = const_at(g, c, arg);
        if (!v) return -1;
        bool t = value_is_true(v);
        set_op0(in, OP_NOP);
        g->edges_changed = true;
        if (t == (nextop == OP_POP_JUMP_IF_TRUE)) ins[i + 1].op = OP_JUMP;
        else set_op0(&ins[i + 1], OP_NOP);
        break;
    }
    case OP_IS_OP: {   /* LOAD_CONST None; IS_OP; [TO_BOOL]; POP_JUMP_IF -> POP_JUMP_IF_[NOT_]NONE */
        Value *v = const_at(g, c, arg);
        if (!v) return -1;
        if (v->kind != V_NONE || n <= i + 2) break;
        CInstr *is = &ins[i + 1], *jump = &ins[i + 2];
        if (jump->op == OP_TO_BOOL) {
            set_op0(jump, OP_NOP);
            if (n <= i + 3) break;
            jump = &ins[i + 3];
        }
        bool invert = is->arg != 0;
        if (jump->op == OP_POP_JUMP_IF_FALSE) invert = !invert;
        else if (jump->op != OP_POP_JUMP_IF_TRUE) break;
        set_op0(in, OP_NOP);
        set_op0(is, OP_NOP);
        jump->op = invert ? OP_POP_JUMP_IF_NOT_NONE : OP_POP_JUMP_IF_NONE;
        break;
    }
    case OP_RETURN_VALUE:   /* the RETURN_CONST is passed over next: not a LOAD_CONST */
        set_op0(in, OP_NOP);
        set_op1(&ins[i + 1], OP_RETURN_CONST, arg);
        break;
    case OP_TO_BOOL: {
        Value *v = const_at(g, c, arg);
        if (!v) return -1;
        Value *b = const_bool(c->arena, value_is_true(v));
        if (!b) return cfg_oom(g);
        int idx = add_bool_const(g, c, b, bb);
        if (idx < 0) return -1;
        set_op0(in, OP_NOP);
        set_op1(&ins[i + 1], OP_LOAD_CONST, idx);
        break;
    }
    }
    return 0;
}

static const CInstr nop_instr = {.op = OP_NOP};

/* A jump's target's first instruction (a NOP when the target is empty). */
static const CInstr *first_instr(const Block *b) { return b->n > 0 ? &b->in[0] : &nop_instr; }

/* The instructions optimize_basic_block has a rule for (NOP and POP_TOP only to tell
   whether the block holds a NOP or a pair; RULE_USES those Cfg.uses records), as its
   switch's cases, numbered densely (one small jump table); the rest (RULE_NONE) are passed
   over at once. */
enum {
    RULE_NONE, RULE_LOAD_CONST, RULE_NOP, RULE_POP_TOP, RULE_BUILD_TUPLE, RULE_COND_JUMP,
    RULE_JUMP, RULE_STORE_FAST, RULE_SWAP, RULE_LOAD_GLOBAL, RULE_COMPARE_OP, RULE_CONTAINS_IS,
    RULE_TO_BOOL, RULE_UNARY_NOT, RULE_USES,
};
static const uint8_t rule_of[OP__COUNT] = {
    [OP_LOAD_CONST] = RULE_LOAD_CONST, [OP_NOP] = RULE_NOP, [OP_POP_TOP] = RULE_POP_TOP,
    [OP_BUILD_TUPLE] = RULE_BUILD_TUPLE,
    [OP_POP_JUMP_IF_NOT_NONE] = RULE_COND_JUMP, [OP_POP_JUMP_IF_NONE] = RULE_COND_JUMP,
    [OP_POP_JUMP_IF_FALSE] = RULE_COND_JUMP, [OP_POP_JUMP_IF_TRUE] = RULE_COND_JUMP,
    [OP_JUMP] = RULE_JUMP, [OP_JUMP_NO_INTERRUPT] = RULE_JUMP, [OP_STORE_FAST] = RULE_STORE_FAST,
    [OP_SWAP] = RULE_SWAP, [OP_LOAD_GLOBAL] = RULE_LOAD_GLOBAL, [OP_COMPARE_OP] = RULE_COMPARE_OP,
    [OP_CONTAINS_OP] = RULE_CONTAINS_IS, [OP_IS_OP] = RULE_CONTAINS_IS, [OP_TO_BOOL] = RULE_TO_BOOL,
    [OP_UNARY_NOT] = RULE_UNARY_NOT,
    [OP_DELETE_FAST] = RULE_USES, [OP_LOAD_FAST_AND_CLEAR] = RULE_USES,
    [OP_STORE_FAST_MAYBE_NULL] = RULE_USES, [OP_LOAD_CLOSURE] = RULE_USES,
    [OP_MAKE_CELL] = RULE_USES, [OP_LOAD_DEREF] = RULE_USES, [OP_STORE_DEREF] = RULE_USES,
    [OP_DELETE_DEREF] = RULE_USES, [OP_LOAD_FROM_DICT_OR_DEREF] = RULE_USES,
};

/* What may follow a LOAD_CONST optimize_load_const has a rule for (COPY 1: what follows
   it). */
static const bool load_const_next[OP__COUNT] = {
    [OP_COPY] = true, [OP_POP_JUMP_IF_FALSE] = true, [OP_POP_JUMP_IF_TRUE] = true,
    [OP_IS_OP] = true, [OP_RETURN_VALUE] = true, [OP_TO_BOOL] = true,
};

/* The op after in in its block (0 at its end): read by the rules that look at it only (most
   instructions with a rule do not). */
static inline int next_op(const CInstr *in, const CInstr *end) { return in + 1 < end ? in[1].op : 0; }

/* A POP_TOP at in (not a block's first) that follows a LOAD_CONST or COPY 1: a pair for
   remove_redundant_nops_and_pairs. */
static bool pair_before(const CInstr *in)
{
    return in[-1].op == OP_LOAD_CONST || (in[-1].op == OP_COPY && in[-1].arg == 1);
}

static int defer_store(Cfg *g, Consts *c, Block *b, int lineno)
{
    if (c->ndeferred == c->deferred_cap) {
        int cap = c->deferred_cap * 2 + 4;
        DeferredStore *d = arena_alloc_raw(g->arena, (size_t)cap * sizeof *d);
        if (!d) return cfg_oom(g);
        if (c->ndeferred) memcpy(d, c->deferred, (size_t)c->ndeferred * sizeof *d);
        c->deferred = d, c->deferred_cap = cap;
    }
    c->deferred[c->ndeferred++] = (DeferredStore){b, lineno};
    return 0;
}

static void propagate_to_successors(Block *b, bool fall, Block *jump, const SrcLoc *prev);

/* Whether propagate_to_successors may give s (a successor of b) its first line: read before
   b's last instruction is, as most have a line already. */
static inline bool takes_line(const Block *s)
{
    return s && s->preds == 1 && s->n > 0 && s->in[0].loc.lineno < 0;
}

/* The block's line pass (block_propagate_line_numbers) then its rules, in one walk: each
   instruction takes its line as the walk reaches it (from the one before, its line already
   resolved: no rule writes a location), which is before any rule reads it but STORE_FAST's
   look at the next (done as the pass will leave it); the successors get the block's last
   line first, as the pass gives it before the rules change the last instruction (and a
   jump threaded reads its target's first line). bb->nops is then exact: whether the block
   holds a NOP or a pair inside (LOAD_CONST or COPY 1 then POP_TOP), which
   remove_redundant_nops_and_pairs looks for (one with the block before, at the first
   instruction, it finds itself). Every NOP a rule makes behind the walk is counted where it
   is made, the rest are met. */
static int optimize_basic_block(Cfg *g, Consts *c, Block *bb)
{
    int swaps = -1;   /* the first SWAP's index */
    /* the instructions the line pass fixes: none when all have a line (not nolines), never
       a jump a rule adds */
    int n0 = bb->n, nfix = bb->nolines ? n0 : 0;
    CInstr *ins = bb->in, *end = ins + n0;   /* reloaded when a jump is added */
    CInstr *lines_end = ins + nfix;
    bb->nops = false;
    if (n0 == 0) return 0;
    {
        const CInstr *last = &ins[n0 - 1];
        bool fall = takes_line(bb->next) && block_has_fallthrough(g, bb);
        Block *jump = is_jump(g, last) && takes_line(last->target) ? last->target : NULL;
        if (fall || jump) {   /* (most successors have a line already) */
            SrcLoc p = last->loc;   /* the last line there is (NO_LOC: none) */
            if (bb->nolines) {
                const CInstr *in = last;
                while (in > ins && in->loc.lineno < 0) in--;
                p = in->loc.lineno >= 0 ? in->loc : NO_LOC;
            }
            propagate_to_successors(bb, fall, jump, &p);
        }
        if (bb->nolines) bb->nolines = ins[0].loc.lineno < 0;   /* those before the first with
                                                                   one, once the walk is done */
    }
    for (CInstr *in = ins; in < end; in++) {   /* by pointer: the index only where needed */
        if (in->loc.lineno < 0 && in < lines_end) in->loc = in > ins ? in[-1].loc : NO_LOC;
        int op = in->op, rule = rule_of[op];
        if (!rule) continue;
        int arg = in->arg, i;
        const CInstr *target;
        int r;
        switch (rule) {
        case RULE_LOAD_CONST:   /* optimize_load_const's rules, then what is left here */
            if (!load_const_next[next_op(in, end)]) break;   /* most: no rule */
            if (optimize_load_const(g, c, bb, i = (int)(in - ins))) return -1;
            if (in->op == OP_NOP) block_mark_nop(bb, i);
            break;
        case RULE_NOP:
            block_mark_nop(bb, (int)(in - ins));
            break;
        case RULE_POP_TOP:
            if (in > ins && pair_before(in)) block_mark_nop(bb, (int)(in - ins));
            break;
        case RULE_BUILD_TUPLE:
            /* BUILD_TUPLE n UNPACK_SEQUENCE n: nothing (1), a SWAP (2, 3) */
            if (next_op(in, end) == OP_UNPACK_SEQUENCE && arg == in[1].arg) {
                if (arg == 1) {
                    block_nop(bb, in);
                    set_op0(&in[1], OP_NOP);
                    continue;
                }
                if (arg == 2 || arg == 3) {
                    block_nop(bb, in);
                    in[1].op = OP_SWAP;
                    continue;
                }
            }
            if ((i = (int)(in - ins)) >= arg) {
                if (fold_tuple_on_constants(g, c, in - arg, arg) < 0) return -1;
                if (arg > 0 && in->op == OP_LOAD_CONST) block_mark_nop(bb, i - arg);   /* folded */
            }
            break;
        case RULE_COND_JUMP:
            target = first_instr(in->target);
            if (target->op == OP_JUMP) {
                if ((r = jump_thread(g, bb, in, target, op)) < 0) return -1;
                i = (int)(in - ins) - r, ins = bb->in, in = &ins[i], end = ins + bb->n,
                lines_end = ins + nfix;
            }
            break;
        case RULE_JUMP:
            target = first_instr(in->target);
            if (target->op == OP_JUMP) {
                if ((r = jump_thread(g, bb, in, target, OP_JUMP)) < 0) return -1;
                i = (int)(in - ins) - r, ins = bb->in, in = &ins[i], end = ins + bb->n,
                lines_end = ins + nfix;
                continue;
            }
            if (target->op == OP_JUMP_NO_INTERRUPT) {
                if ((r = jump_thread(g, bb, in, target, op)) < 0) return -1;
                i = (int)(in - ins) - r, ins = bb->in, in = &ins[i], end = ins + bb->n,
                lines_end = ins + nfix;
                continue;
            }
            break;
        case RULE_STORE_FAST: {
            if (next_op(in, end) != op || arg != in[1].arg) break;
            /* in[1]'s line as the walk will give it */
            int next_lineno = in[1].loc.lineno < 0 ? in->loc.lineno : in[1].loc.lineno;
            if (in == ins && bb->preds == 1 && in->loc.lineno < 0) {
                /* a later block's line pass may still give in[0] its line */
                if (defer_store(g, c, bb, next_lineno)) return -1;
                break;
            }
            if (in->loc.lineno == next_lineno) {
                set_op0(in, OP_POP_TOP);
                if (in > ins && pair_before(in)) block_mark_nop(bb, (int)(in - ins));
            }
            break;
        }
        case RULE_SWAP:   /* every SWAP is met here, those the rules above make too */
            if (swaps < 0) swaps = (int)(in - ins);
            if (arg == 1) set_op0(in, OP_NOP);
            break;
        case RULE_LOAD_GLOBAL:
            if (next_op(in, end) == OP_PUSH_NULL && (arg & 1) == 0) {
                set_op1(in, OP_LOAD_GLOBAL, arg | 1);
                block_nop(bb, &in[1]);
            }
            break;
        case RULE_COMPARE_OP:
            if (next_op(in, end) == OP_TO_BOOL) {
                block_nop(bb, in);
                set_op1(&in[1], OP_COMPARE_OP, arg | 16);
                continue;
            }
            break;
        case RULE_CONTAINS_IS:
            if (next_op(in, end) == OP_TO_BOOL) {
                block_nop(bb, in);
                set_op1(&in[1], op, arg);
                continue;
            }
            break;
        case RULE_TO_BOOL:
            if (next_op(in, end) == OP_TO_BOOL) {
                block_nop(bb, in);
                continue;
            }
            break;
        case RULE_USES:
            g->uses |= op_uses[op];
            break;
        case RULE_UNARY_NOT:
            if (next_op(in, end) == OP_TO_BOOL) {
                block_nop(bb, in);
                set_op0(&in[1], OP_UNARY_NOT);
                continue;
            }
            if (next_op(in, end) == OP_UNARY_NOT) {
                block_nop(bb, in);
                set_op0(&in[1], OP_NOP);
                continue;
            }
            break;
        }
    }
    if (swaps < 0) return 0;
    block_mark_nop(bb, swaps);   /* SWAP 1 made NOPs; the swaps below make more and move
                                    POP_TOPs, all from the first SWAP on */
    for (int i = swaps; i < bb->n; i++)
        if (bb->in[i].op == OP_SWAP) {
            if (swaptimize(g, bb, &i)) return -1;
            apply_static_swaps(bb, i);
        }
    return 0;
}

/* ---- line numbers ---- */

static bool exit_or_eval_check_in_block_without_lineno(const Cfg *g, const Block *b)
{
    if (!block_has_no_lineno(b)) return false;
    CInstr *last = block_last(b);
    if (last && is_scope_exit(g, last->op)) return true;
    for (const CInstr *in = b->in, *end = in + b->n; in < end; in++)
        if (op_flags(g, in->op) & OPF_EVAL_BREAK) return true;
    return false;
}

/* The first instruction's line first, without a call: most blocks have one at once. */
static inline bool exit_or_eval_check_without_lineno(const Cfg *g, const Block *b)
{
    return !(b->n > 0 && b->in[0].loc.lineno >= 0) && exit_or_eval_check_in_block_without_lineno(g, b);
}

/* A label no block has (labels only tell jump targets apart once built). */
static int new_label(Cfg *g)
{
    if (g->next_label < 0) {
        int l = -1;
        for (Block *b = g->entry; b; b = b->next)
            if (b->label > l) l = b->label;
        g->next_label = l + 1;
    }
    return g->next_label++;
}

/* Exit blocks without a line number reached by more than one jump are copied, so that each
   copy can take its line from its only predecessor. */
static int duplicate_exits_without_lineno(Cfg *g)
{
    for (Block *b = g->entry; b; b = b->next) {
        CInstr *last = block_last(b);
        if (!last || !is_jump(g, last)) continue;
        Block *target = next_nonempty(last->target);
        if (!target || target->preds <= 1 || !exit_or_eval_check_without_lineno(g, target)) continue;
        Block *copy = cfg_new_block(g);
        if (!copy || block_append(g, copy, target)) return -1;
        g->edges_changed = g->jumps_moved = true;
        copy->in[0].loc = last->loc;
        copy->nolines |= last->loc.lineno < 0;
        last->target = copy;
        target->preds--;
        copy->preds = 1;
        copy->next = target->next;
        copy->label = new_label(g);
        target->next = copy;
    }
    /* the rest can only be reached by falling through */
    for (Block *b = g->entry; b; b = b->next)
        if (block_has_fallthrough(g, b) && b->next && b->n > 0 &&
            exit_or_eval_check_without_lineno(g, b->next))
            b->next->in[0].loc = block_last(b)->loc, b->next->nolines |= b->next->in[0].loc.lineno < 0;
    return 0;
}

/* Instructions without a line take the previous one's; a block with one predecessor and
   no first line takes the predecessor's last. */
/* The second half of block_propagate_line_numbers: the successors with only b before them
   and no line of their own start with b's last line (prev). fall and jump: b's last
   instruction falls through, jumps to jump (NULL: does not jump). */
static void propagate_to_successors(Block *b, bool fall, Block *jump, const SrcLoc *prev)
{   /* (a successor given NO_LOC had no line there: it is marked nolines already) */
    SrcLoc p = prev ? *prev : NO_LOC;
    if (fall && b->next && b->next->preds == 1 && b->next->n > 0 && b->next->in[0].loc.lineno < 0)
        b->next->in[0].loc = p;
    if (jump && jump->preds == 1 && jump->n > 0 && jump->in[0].loc.lineno < 0) jump->in[0].loc = p;
}


static void block_propagate_line_numbers(Cfg *g, Block *b)
{
    CInstr *last = block_last(b);
    if (!last) return;
    const SrcLoc *with_line = &last->loc;   /* the last location that has a line */
    if (b->nolines) {
        with_line = NULL;
        for (CInstr *in = b->in; in <= last; in++) {
            if (in->loc.lineno >= 0) with_line = &in->loc;
            else in->loc = with_line ? *with_line : NO_LOC;
        }
        b->nolines = b->in[0].loc.lineno < 0;   /* those before the first with one */
    }
    bool fall = takes_line(b->next), jump = is_jump(g, last) && takes_line(last->target);
    if (fall || jump)
        propagate_to_successors(b, fall && block_has_fallthrough(g, b), jump ? last->target : NULL,
                                with_line);
}

static int resolve_line_numbers(Cfg *g)
{
    if (!g->no_jumps && duplicate_exits_without_lineno(g)) return -1;
    for (Block *b = g->entry; b; b = b->next) block_propagate_line_numbers(g, b);
    return 0;
}

/* Jumps end their blocks as built (cfg_from_seq), so CPython's check for a malformed graph
   cannot fail here. CPython's three walks of the blocks (line numbers, the LOAD_CONST rules,
   the rest) are one here, each block's line pass then its rules (in one walk of the block,
   optimize_basic_block). A block's rules read only
   its own instructions but for a jump target's first (a JUMP stays one: no LOAD_CONST rule
   writes a first instruction but a LOAD_CONST's; jump_thread takes its line as the target's
   line pass leaves it); the line passes read no operation a rule changes (a block's last
   is read before its rules) and write later blocks' first lines, or an earlier block's
   first when a later one is its only predecessor: the one rule that reads a first line
   (STORE_FAST STORE_FAST at in[0]) waits for that (defer_store). The constants the rules
   add keep CPython's order (add_bool_const). */
static int optimize_cfg(Cfg *g, Consts *c)
{
    /* without jumps nothing to inline or copy; remove_unreachable's result is the entry
       alone, as cfg_from_seq made it (the rest, emptied by it, would stay in the layout;
       after a scope exit no pass looks past the entry: an empty block kept matters only to
       a block falling through or jumping) */
    if (!g->no_jumps && (inline_small_or_no_lineno_blocks(g) || remove_unreachable(g) ||
                         duplicate_exits_without_lineno(g)))
        return -1;
    for (Block *b = g->entry; b; b = b->next)
        if (optimize_basic_block(g, c, b)) return -1;
    for (int k = 0; k < c->ndeferred; k++) {
        CInstr *in = c->deferred[k].b->in;
        if (in[0].loc.lineno == c->deferred[k].lineno) set_op0(&in[0], OP_POP_TOP);
    }
    remove_redundant_nops_and_pairs(g);
    /* with the same edges a second count finds what the first did */
    if ((g->edges_changed && remove_unreachable(g)) || remove_redundant_nops_and_jumps(g))
        return -1;
    return 0;
}

/* Keeps the constants an instruction uses (and the first, a docstring's place), in order;
   map[i] is 1 where constant i is used (marked by insert_superinstructions' walk, which
   counts them and the first in kept), -1 elsewhere. */
static int remove_unused_consts(Cfg *g, ConstMap *m, int *map, uint32_t kept)
{
    uint32_t n = m->n, used = 0;
    if (kept >= n) return 0;   /* every one kept (or none there) */
    for (uint32_t i = 0; i < n; i++)
        if (map[i] != -1) {
            m->items[used] = m->items[i];
            if (m->hashes) m->hashes[used] = m->hashes[i];
            map[i] = (int)used++;
        }
    if (used == n) return 0;
    m->n = used;
    m->slots = NULL, m->nslots = 0;
    for (Block *b = g->entry; b; b = b->next)
        for (CInstr *in = b->in, *end = in + b->n; in < end; in++)
            if (has_const(g, in->op)) in->arg = map[in->arg];
    return 0;
}

/* ---- LOAD_FAST_CHECK: locals that may be unbound where they are loaded ---- */

/* In this walk a block seen is one scanned and off the stack (every other one is on it or
   not scanned yet); one pushed is marked 0, no traversal's mark. */
static void maybe_push(Cfg *g, Block *b, uint64_t unsafe, Block ***sp)
{
    uint64_t both = b->unsafe_locals | unsafe;
    if (b->unsafe_locals != both) {
        b->unsafe_locals = both;
        if (block_seen(g, b)) {
            *(*sp)++ = b;
            b->mark = 0;
        }
    }
}

/* What an instruction does to the local its arg names. */
enum { LOCAL_KILL = 1, LOCAL_BIND, LOCAL_LOAD };
static const uint8_t local_effect[OP__COUNT] = {
    [OP_DELETE_FAST] = LOCAL_KILL, [OP_LOAD_FAST_AND_CLEAR] = LOCAL_KILL,
    [OP_STORE_FAST_MAYBE_NULL] = LOCAL_KILL, [OP_STORE_FAST] = LOCAL_BIND,
    [OP_LOAD_FAST_CHECK] = LOCAL_BIND, [OP_LOAD_FAST] = LOCAL_LOAD,
};

/* kills: the unit has a DELETE_FAST or the like. Without one a block entered with no local
   unsafe changes nothing: its loads stay, and what it passes on is empty too; the same
   from wherever the set empties. handlers: the unit has some (else no instruction has one;
   a constant in each call below, so each gets its own loop). */
static inline void scan_instrs(Cfg *g, CInstr *in, CInstr *end, uint64_t *unsafe_p, Block ***sp,
                               bool handlers, bool kills)
{
    uint64_t unsafe = *unsafe_p;
    for (; in < end; in++) {
        if (handlers && in->except) maybe_push(g, in->except, unsafe, sp);
        unsigned effect = local_effect[in->op];
        if (!effect || (unsigned)in->arg >= 64) continue;
        uint64_t bit = (uint64_t)1 << in->arg;
        if (effect == LOCAL_KILL) {
            unsafe |= bit;
            continue;
        }
        if (effect == LOCAL_LOAD && (unsafe & bit)) in->op = OP_LOAD_FAST_CHECK;
        if (!(unsafe &= ~bit) && !kills) break;
    }
    *unsafe_p = unsafe;
}

static void scan_block_for_locals(Cfg *g, Block *b, Block ***sp, bool handlers, bool kills)
{
    uint64_t unsafe = b->unsafe_locals;
    if (!unsafe && !kills) return;
    CInstr *in = b->in, *end = in + b->n;
    if (handlers) scan_instrs(g, in, end, &unsafe, sp, true, kills);
    else scan_instrs(g, in, end, &unsafe, sp, false, kills);
    if (b->next && block_has_fallthrough(g, b)) maybe_push(g, b->next, unsafe, sp);
    CInstr *last = block_last(b);
    if (last && is_jump(g, last)) maybe_push(g, last->target, unsafe, sp);
}

/* Locals past the 64th: known bound only after a store or load earlier in the same block. */
static int fast_scan_many_locals(Cfg *g, int nlocals)
{
    intptr_t *state = arena_alloc(g->arena, (size_t)(nlocals - 64) * sizeof *state);
    if (!state) return cfg_oom(g);
    intptr_t blocknum = 0;
    for (Block *b = g->entry; b; b = b->next) {
        blocknum++;
        for (int i = 0; i < b->n; i++) {
            CInstr *in = &b->in[i];
            if (in->arg < 64 || in->arg >= nlocals) continue;
            switch (in->op) {
            case OP_DELETE_FAST: case OP_LOAD_FAST_AND_CLEAR: case OP_STORE_FAST_MAYBE_NULL:
                state[in->arg - 64] = blocknum - 1;
                break;
            case OP_STORE_FAST:
                state[in->arg - 64] = blocknum;
                break;
            case OP_LOAD_FAST:
                if (state[in->arg - 64] != blocknum) in->op = OP_LOAD_FAST_CHECK;
                state[in->arg - 64] = blocknum;
                break;
            }
        }
    }
    return 0;
}

static int add_checks_for_loads_of_uninitialized(Cfg *g, int nlocals, int nparams)
{
    if (nlocals == 0) return 0;
    if (nlocals > 64) {
        if (fast_scan_many_locals(g, nlocals)) return -1;
        nlocals = 64;
    }
    uint64_t start = 0;
    for (int i = nparams; i < nlocals; i++) start |= (uint64_t)1 << i;
    if (!start && !(g->uses & CFG_USES_KILL)) return 0;   /* nothing is ever unbound */
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    /* Every block once in layout order, for the DELETE_FASTs anywhere, then again those
       whose incoming set grew after their scan. A block not scanned yet counts as on the
       stack: what reaches it before its turn is scanned then. The sets only grow and a
       check binds as the load did, so this finds CPython's fixed point. */
    g->entry->unsafe_locals |= start;
    bool handlers = g->uses & CFG_USES_SETUP;   /* else no instruction has one */
    bool kills = g->uses & CFG_USES_KILL;
    for (Block *b = g->entry; b; b = b->next) {
        block_see(g, b);
        if (b->unsafe_locals || kills) scan_block_for_locals(g, b, &sp, handlers, kills);
    }
    while (sp > stack) {
        Block *b = *--sp;
        block_see(g, b);
        scan_block_for_locals(g, b, &sp, handlers, kills);
    }
    return 0;
}

/* ---- superinstructions ---- */

static void make_super(Block *bb, CInstr *a, CInstr *b, int op)
{
    int l1 = a->loc.lineno, l2 = b->loc.lineno;
    if (l1 >= 0 && l2 >= 0 && l1 != l2) return;
    if (a->arg >= 16 || b->arg >= 16) return;
    set_op1(a, op, (a->arg << 4) | b->arg);
    block_nop(bb, b);
}

/* The pair (superinstruction) in and the next make, if any, and the constant in uses
   (marked for remove_unused_consts, counted in kept), for an in whose op has f (its
   OpEffect.flags) with OPF_LOCAL or OPF_CONST; returns in's op as it leaves it, or -1 on
   error. */
static inline int pair_at(Cfg *g, Block *b, CInstr *in, const CInstr *end, unsigned f,
                          int *const_used, uint32_t nconsts, uint32_t *kept)
{
    int op = in->op;
    if (f & OPF_CONST) {
        if (!nconsts) return op;   /* nothing to keep or drop */
        if (in->arg < 0 || (uint32_t)in->arg >= nconsts)
            return error_at(g->err, CPYC_ERR_UNSUPPORTED, -1, "CFG: constant out of range");
        if (const_used[in->arg] < 0) const_used[in->arg] = 1, ++*kept;
        return op;
    }
    if ((op != OP_LOAD_FAST && op != OP_STORE_FAST) || in + 1 == end) return op;
    int nextop = in[1].op;
    if (nextop == OP_LOAD_FAST)
        make_super(b, in, in + 1, op == OP_LOAD_FAST ? OP_LOAD_FAST_LOAD_FAST : OP_STORE_FAST_LOAD_FAST);
    else if (nextop == OP_STORE_FAST && op == OP_STORE_FAST)
        make_super(b, in, in + 1, OP_STORE_FAST_STORE_FAST);
    return in->op;
}

/* A block's pairs and constants from in on. */
static int block_pairs(Cfg *g, Block *b, CInstr *in, int *const_used, uint32_t nconsts,
                       uint32_t *kept)
{
    const OpEffect *effects = g->effects;
    for (CInstr *end = b->in + b->n; in < end; in++) {
        unsigned f = effects[in->op].flags;
        /* one test passes most over (LOAD_FAST and STORE_FAST are OPF_LOCAL) */
        if ((f & (OPF_LOCAL | OPF_CONST)) && pair_at(g, b, in, end, f, const_used, nconsts, kept) < 0)
            return -1;
    }
    return 0;
}

/* calculate_stackdepth's walk in layout order, in the same walk as the pairs: where every
   block reached has a predecessor before it (so far every unit codegen makes) one walk finds
   its result, and cfg_finish takes it (Cfg.depth_ok). What the passes after this one do
   leaves it as it is: a pair reaches no new depth (nor does a NOP), a block copied in place
   of a jump to it starts with that jump's depth, a cold block's JUMP_NO_INTERRUPT leads
   where it fell through, at the same depth. Anything else (a block reached only from a
   later one, or what calculate_stackdepth reports) leaves depth_ok false, and
   calculate_stackdepth walks the graph as it is then. A block passed before an edge to it
   is seen with startdepth INT_MIN, which no edge's depth equals: that edge, met later,
   fails. */
static inline bool layout_edge(Cfg *g, Block *t, int depth)
{
    if (block_seen(g, t)) return t->startdepth == depth;
    block_see(g, t);
    t->startdepth = depth;
    return true;
}

/* What calculate_stackdepth takes for in's effect when it does not jump (op's, oe), without
   the report: OPMETA_INVALID_EFFECT for none. */
static inline int layout_effect(Cfg *g, const OpEffect *oe, int op, const CInstr *in)
{
    if (oe->kind == OPMETA_EFFECT_FIXED) return oe->effect;
    if (oe->kind == OPMETA_EFFECT_LINEAR) return oe->effect + oe->arg * in->arg + oe->odd * (in->arg & 1);
    return g->ops->stack_effect(op, in->arg, false);
}

/* in's pair made (pair_at), its effect as layout_effect's for the op it leaves, which goes
   to *opp; OPMETA_INVALID_EFFECT for none, with *opp -1 on pair_at's error. One load of the
   table answers most (OpEffect.plain). */
static inline int walk_effect(Cfg *g, const OpEffect *effects, Block *b, CInstr *in,
                              const CInstr *end, int *const_used, uint32_t nconsts,
                              uint32_t *kept, int *opp)
{
    int op = *opp = in->op;
    const OpEffect *oe = &effects[op];
    if (oe->plain) return oe->effect;
    if (oe->flags & (OPF_LOCAL | OPF_CONST)) {
        int pop = pair_at(g, b, in, end, oe->flags, const_used, nconsts, kept);
        if (pop != op) {
            if ((*opp = pop) < 0) return OPMETA_INVALID_EFFECT;
            oe = &effects[op = pop];
        }
    }
    return layout_effect(g, oe, op, in);
}

/* block_pairs for b (reached: startdepth set), each instruction's depth taken as its pair
   leaves it; from where the depth fails, block_pairs alone. */
static int block_pairs_and_depth(Cfg *g, Block *b, int *const_used, uint32_t nconsts,
                                 uint32_t *kept)
{
    const OpEffect *effects = g->effects;
    int depth = b->startdepth, maxdepth = g->maxdepth, op = 0, effect;
    /* only the last has a target, but where SETUP_* are */
    CInstr *in = b->in, *end = in + b->n, *edges = b->setups || !b->n ? in : end - 1;
    for (; in < edges; in++) {
        effect = walk_effect(g, effects, b, in, end, const_used, nconsts, kept, &op);
        if (effect == OPMETA_INVALID_EFFECT) goto fail;
        depth += effect;
        if ((unsigned)depth > (unsigned)maxdepth) {
            if (depth < 0) goto fail;
            maxdepth = depth;
        }
    }
    for (; in < end; in++) {
        effect = walk_effect(g, effects, b, in, end, const_used, nconsts, kept, &op);
        if (effect == OPMETA_INVALID_EFFECT) goto fail;
        int nd = depth + effect;
        if (nd < 0) goto fail;
        if (nd > maxdepth) maxdepth = nd;
        if (in->target) {
            int td = depth;
            if (effects[op].kind == OPMETA_EFFECT_CALL) {
                int jump = g->ops->stack_effect(op, in->arg, true);
                if (jump == OPMETA_INVALID_EFFECT) goto fail;
                td += jump;
            } else {
                td += effect;
            }
            if (td < 0) goto fail;
            if (td > maxdepth) maxdepth = td;
            if (!layout_edge(g, in->target, td)) goto fail;
        }
        depth = nd;
    }
    if (b->next && block_has_fallthrough(g, b) && !layout_edge(g, b->next, depth)) goto fail;
    g->maxdepth = maxdepth;
    return 0;
fail:
    g->depth_ok = false;
    if (op < 0) return -1;
    return in < end ? block_pairs(g, b, in + 1, const_used, nconsts, kept) : 0;
}

/* Each block's NOPs go right after its own pairs are made: the NOPs of a block's end look
   at the next block's first instruction, which no pair changes (a pair's second half
   follows a LOAD_FAST or STORE_FAST), so this is CPython's two loops' result. The same walk
   marks the constants in use for remove_unused_consts (CPython's pass before the LOAD_FAST
   checks: neither those nor the pairs touch an instruction that has a constant) and finds
   the stack depth. */
static int insert_superinstructions(Cfg *g, int *const_used, uint32_t nconsts, uint32_t *kept)
{
    g->mark++;   /* seen: reached by an edge, or passed */
    block_see(g, g->entry);
    g->entry->startdepth = 0;
    g->maxdepth = 0;
    g->depth_ok = true;
    for (Block *b = g->entry; b; b = b->next) {
        int r;
        if (g->depth_ok && block_seen(g, b)) {
            r = block_pairs_and_depth(g, b, const_used, nconsts, kept);
        } else {
            if (g->depth_ok) block_see(g, b), b->startdepth = INT_MIN;
            r = block_pairs(g, b, b->in, const_used, nconsts, kept);
        }
        if (r) return -1;
        if (b->nops && block_remove_redundant_nops(b, NULL) && b->n == 0) g->jumps_moved = true;
    }
    return 0;
}

/* ---- cold blocks (exception handlers and what only they reach) to the end ---- */

/* The block b's last instruction jumps to, or NULL (jumps only end blocks). */
static Block *jump_target(const Cfg *g, const Block *b)
{
    const CInstr *last = block_last(b);
    return last && is_jump(g, last) ? last->target : NULL;
}

static int mark_warm(Cfg *g)
{
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    *sp++ = g->entry;
    block_see(g, g->entry);
    while (sp > stack) {
        Block *b = *--sp;
        b->warm = true;
        if (b->next && !block_seen(g, b->next) && block_has_fallthrough(g, b)) {
            block_see(g, b->next);
            *sp++ = b->next;
        }
        Block *t = jump_target(g, b);
        if (t && !block_seen(g, t)) {
            block_see(g, t);
            *sp++ = t;
        }
    }
    return 0;
}

static int mark_cold(Cfg *g)
{
    if (mark_warm(g)) return -1;
    Block **stack = cfg_stack(g), **sp = stack;
    if (!stack) return -1;
    for (Block *b = g->entry; b; b = b->next)
        if (b->except_handler) {
            *sp++ = b;
            block_see(g, b);
        }
    while (sp > stack) {
        Block *b = *--sp;
        b->cold = true;
        if (b->next && !b->next->warm && !block_seen(g, b->next) && block_has_fallthrough(g, b)) {
            block_see(g, b->next);
            *sp++ = b->next;
        }
        Block *t = jump_target(g, b);
        if (t && !t->warm && !block_seen(g, t)) {
            block_see(g, t);
            *sp++ = t;
        }
    }
    return 0;
}

static int push_cold_blocks_to_end(Cfg *g)
{
    /* only exception handlers are cold to begin with */
    if (!g->entry->next || !(g->uses & CFG_USES_SETUP)) return 0;
    if (mark_cold(g)) return -1;
    /* a cold block falling through into a warm one gets an explicit jump */
    for (Block *b = g->entry; b; b = b->next) {
        if (!(b->cold && b->next && b->next->warm && block_has_fallthrough(g, b))) continue;
        Block *j = cfg_new_block(g);
        if (!j) return -1;
        if (b->next->label < 0) b->next->label = new_label(g);
        if (block_addop(g, j, OP_JUMP_NO_INTERRUPT, b->next->label, NO_LOC)) return -1;
        j->cold = true;
        j->next = b->next;
        j->preds = 1;
        b->next = j;
        j->in[0].target = j->next;
    }
    Block *cold = NULL, *cold_tail = NULL, *b = g->entry;
    while (b->next) {
        while (b->next && !b->next->cold) b = b->next;
        if (!b->next) break;
        Block *end = b->next;
        while (end->next && end->next->cold) end = end->next;
        if (!cold) cold = b->next;
        else cold_tail->next = b->next;
        cold_tail = end;
        b->next = end->next;
        end->next = NULL;
    }
    b->next = cold;
    if (cold && remove_redundant_nops_and_jumps(g)) return -1;
    return 0;
}

/* ---- back to a sequence ---- */

int cfg_optimized_seq(const InstrSeq *seq, InstrSeq *out)
{
    Cfg *g = seq->cfg;
    if (!g) return -1;
    g->depth_ok = false;   /* startdepth is scratch here: cfg_finish walks again */
    int idx = 0;
    for (Block *b = g->entry; b; b = b->next) b->startdepth = idx, idx += b->n;   /* scratch */
    Instr *o = arena_alloc_raw(g->arena, ((size_t)idx + 1) * sizeof *o);
    if (!o) return cfg_oom(g);
    *out = (InstrSeq){.arena = g->arena, .instrs = o, .n = idx, .cap = idx};
    for (Block *b = g->entry; b; b = b->next)
        for (int i = 0; i < b->n; i++, o++) {
            const CInstr *in = &b->in[i];
            o->opcode = in->op;
            o->oparg = in->target ? in->target->startdepth : in->arg;
            o->loc = in->loc;
            o->eh = in->except ? (ExceptHandlerInfo){in->except->startdepth, 0, in->except->preserve_lasti}
                               : (ExceptHandlerInfo){-1, 0, 0};
            o->target = i == 0;
        }
    return 0;
}

int cfg_optimize(const cpyc_target *t, InstrSeq *seq, ConstMap *consts, ConstCache *cc,
                 int nlocals, int nparams, int firstlineno, cpyc_error *err)
{
    (void)firstlineno;   /* CPython 3.13 passes it but no pass reads it */
    if (seq->next_label != 0)
        return error_at(err, CPYC_ERR_UNSUPPORTED, -1, "CFG: the sequence's labels are not applied");
    Cfg *g = arena_alloc_raw(seq->arena, sizeof *g);
    if (!g) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory in the CFG");
    *g = (Cfg){.arena = seq->arena, .ops = t->opmeta, .next_label = -1, .err = err};
    if (cfg_from_seq(g, seq)) return -1;
    Consts c = {consts, cc, consts->arena, .tuples_from = -1};   /* folded constants outlive
                                                                    the CFG's arena */
    if (label_exception_targets(g) || optimize_cfg(g, &c)) return -1;
    int *const_used = arena_alloc_raw(g->arena, ((size_t)consts->n + 1) * sizeof *const_used);
    if (!const_used) return cfg_oom(g);
    for (uint32_t i = 0; i < consts->n; i++) const_used[i] = -1;
    const_used[0] = 0;
    uint32_t kept = 1;   /* the first */
    if (add_checks_for_loads_of_uninitialized(g, nlocals, nparams) ||
        insert_superinstructions(g, const_used, consts->n, &kept) ||
        remove_unused_consts(g, consts, const_used, kept) || push_cold_blocks_to_end(g) ||
        resolve_line_numbers(g))
        return -1;
    *seq = (InstrSeq){.arena = seq->arena, .cfg = g};
    return 0;
}
