/* cfg.h - the control-flow graph shared by flowgraph.c (optimization) and flowgraph_finish.c
   (pseudo-instructions, stack depth, localsplus, the final sequence): CPython 3.13's
   basicblock and cfg_builder, in arena memory. */
#ifndef CPYC_COMPILE_CFG_H
#define CPYC_COMPILE_CFG_H

#include "compile.h"
#include "opmeta.h"

enum { CFG_MAXBLOCKS = 21 };   /* CO_MAXBLOCKS: static nesting of try/with blocks */

typedef struct Block Block;

typedef struct CInstr {
    int op, arg;
    SrcLoc loc;
    Block *target;      /* jumps and SETUP_*: the block jumped to */
    Block *except;      /* the handler an exception here goes to, or NULL */
} CInstr;

typedef struct ExceptStack {
    Block *handlers[CFG_MAXBLOCKS + 2];
    int depth;
} ExceptStack;

struct Block {
    Block *alloc_next;      /* every block, in order of allocation (newest first) */
    int label;              /* -1 unless a jump target */
    ExceptStack *exstack;   /* label_exception_targets' stack on entry */
    CInstr *in;
    int n, cap;
    Block *next;            /* the next block in layout (fallthrough) order */
    uint64_t unsafe_locals; /* add_checks_for_loads_of_uninitialized_variables */
    int preds;
    int startdepth;
    bool preserve_lasti, visited, except_handler, cold, warm;
};

typedef struct Cfg {
    Arena *arena;
    const OpTable *ops;
    Block *entry;
    Block *blocks;          /* allocation list */
    Block *cur;             /* the block being built */
    int cur_label;          /* label for the next instruction, -1 none */
    int nblocks;
    cpyc_error *err;
} Cfg;

static inline bool is_jump(const Cfg *g, const CInstr *i) { return op_has(g->ops, i->op, OPF_JUMP); }
static inline bool is_block_push(const Cfg *g, const CInstr *i)
{
    return op_has(g->ops, i->op, OPF_BLOCK_PUSH);
}
static inline bool is_uncond_jump(const Cfg *g, int op) { return op_has(g->ops, op, OPF_UNCOND_JUMP); }
static inline bool is_scope_exit(const Cfg *g, int op) { return op_has(g->ops, op, OPF_SCOPE_EXIT); }
static inline bool has_target(const Cfg *g, int op) { return op_has_target(g->ops, op); }
static inline bool has_const(const Cfg *g, int op) { return op_has(g->ops, op, OPF_CONST); }

static inline CInstr *block_last(const Block *b) { return b->n > 0 ? &b->in[b->n - 1] : NULL; }
static inline bool block_no_fallthrough(const Cfg *g, const Block *b)
{
    const CInstr *last = block_last(b);
    return last && (is_scope_exit(g, last->op) || is_uncond_jump(g, last->op));
}
static inline bool block_has_fallthrough(const Cfg *g, const Block *b)
{
    return !block_no_fallthrough(g, b);
}
static inline Block *next_nonempty(Block *b)
{
    while (b && b->n == 0) b = b->next;
    return b;
}
static inline void set_op0(CInstr *i, int op) { i->op = op; i->arg = 0; }
static inline void set_op1(CInstr *i, int op, int arg) { i->op = op; i->arg = arg; }

int cfg_oom(Cfg *g);
Block *cfg_new_block(Cfg *g);
int block_addop(Cfg *g, Block *b, int op, int arg, SrcLoc loc);   /* 0 or -1 */
int block_insert(Cfg *g, Block *b, int pos, CInstr in);
/* A traversal stack with room for every block; clears b->visited on all of them. */
Block **cfg_stack(Cfg *g);
/* The sequence (labels applied: jump and handler args are instruction indices) as blocks:
   a block starts at each jump or handler target, after each terminator and where starts[i]
   says (NULL: nowhere else). Block labels are instruction indices. */
int cfg_from_seq(Cfg *g, const InstrSeq *seq, const bool *starts);
/* Passes both halves use. */
int remove_redundant_nops_and_jumps(Cfg *g);
int remove_redundant_nops(Cfg *g);

#endif
