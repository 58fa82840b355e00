/* cfg.h - the control-flow graph shared by flowgraph.c (optimization) and flowgraph_finish.c
   (pseudo-instructions, stack depth, localsplus, the final sequence): CPython 3.13's
   basicblock and cfg_builder, in arena memory. */
#ifndef CPYC_COMPILE_CFG_H
#define CPYC_COMPILE_CFG_H

#include "compile.h"
#include "opmeta.h"

/* The contract between the halves and codegen: cfg_optimize takes a sequence whose labels
   are applied (next_label 0, as instrseq_apply_labels leaves it: every jump and SETUP_*
   argument an instruction index; one with labels is refused), builds this graph and leaves
   it in InstrSeq.cfg; cfg_finish goes on with that graph (used up) and writes the final
   sequence. cfg_optimized_seq writes the optimized graph out for the test tool. */

enum { CFG_MAXBLOCKS = 21 };   /* CO_MAXBLOCKS: static nesting of try/with blocks */

typedef struct Block Block;

typedef struct CInstr {
    int op, arg;
    SrcLoc loc;
    Block *target;      /* the block jumped to: set exactly when op has one (jumps, SETUP_*);
                           set_op0/set_op1 clear it */
    Block *except;      /* the handler an exception here goes to, or NULL */
} CInstr;

typedef struct ExceptStack {
    Block *handlers[CFG_MAXBLOCKS + 2];
    int depth;
} ExceptStack;

struct Block {
    CInstr *in;             /* a slice of the graph's one instruction array until it grows */
    int n, cap;
    Block *next;            /* the next block in layout (fallthrough) order */
    int label;              /* -1 unless a jump target */
    int preds;
    int startdepth;
    unsigned mark;          /* == Cfg.mark: seen by the current traversal */
    ExceptStack *exstack;   /* label_exception_targets' stack on entry */
    uint64_t unsafe_locals; /* add_checks_for_loads_of_uninitialized_variables */
    bool preserve_lasti, except_handler, cold, warm;
    bool setups;            /* holds a SETUP_*: an edge before the last instruction */
    bool nolines;           /* may hold an instruction without a line (every block as built,
                               until the first line pass): the line passes look into the
                               others only at the last */
    bool nops;              /* may hold a NOP (every block as built, until
                               optimize_basic_block; from there also a LOAD_CONST or COPY 1
                               then POP_TOP pair): remove_redundant_nops looks only at these */
    int first_nop;          /* with nops: no NOP (nor such a pair's POP_TOP) before in[first_nop],
                               where remove_redundant_nops starts */
};

/* What a unit's instructions use (SETUP_* gathered while building, the rest in the walk of
   optimize_basic_block, which meets every instruction dead code leaves): passes with
   nothing to do for a unit are skipped (the optimizations never create these
   instructions, and POP_BLOCK, which label_exception_targets looks for, comes only with a
   SETUP_*). */
enum {
    CFG_USES_SETUP = 1 << 0,        /* SETUP_* or POP_BLOCK: exception handlers */
    CFG_USES_KILL = 1 << 1,         /* DELETE_FAST, LOAD_FAST_AND_CLEAR, STORE_FAST_MAYBE_NULL */
    CFG_USES_CELL = 1 << 2,         /* the instructions fix_cell_offsets rewrites */
    CFG_USES_PSEUDO = 1 << 3,       /* LOAD_CLOSURE, STORE_FAST_MAYBE_NULL (become real ones) */
};

typedef struct Cfg {
    Arena *arena;
    const OpTable *ops;
    const OpInfo *info;     /* ops->ops */
    const uint16_t *flags;  /* ops->flags */
    const OpEffect *effects;    /* ops->effects: the depth walks' one read per instruction */
    Block *entry;
    int nblocks;            /* blocks made: a bound on those in the layout */
    unsigned mark;          /* the current traversal's Block.mark */
    unsigned uses;          /* CFG_USES_* */
    int next_label;         /* for new blocks; -1 until first needed */
    bool edges_changed;     /* a jump retargeted, made or dropped since remove_unreachable */
    bool no_jumps;          /* built without a jump or SETUP_* (none is ever made then): every
                               block but the entry follows a scope exit, unreachable */
    bool jumps_moved;       /* a jump may have come to lead to the next block since
                               remove_redundant_nops_and_jumps (a block copied in, one
                               emptied) */
    bool depth_ok;          /* maxdepth and every block's startdepth are calculate_stackdepth's,
                               found in insert_superinstructions' walk */
    int maxdepth;
    Block **stack;          /* cfg_stack's, reused */
    int stack_cap;
    cpyc_error *err;
} Cfg;

/* Every op in the graph is below OP__COUNT (cfg_from_seq checks). */
static inline unsigned op_flags(const Cfg *g, int op) { return g->flags[op]; }
static inline bool is_jump(const Cfg *g, const CInstr *i) { return op_flags(g, i->op) & OPF_JUMP; }
static inline bool is_block_push(const Cfg *g, const CInstr *i)
{
    return op_flags(g, i->op) & OPF_BLOCK_PUSH;
}
static inline bool is_uncond_jump(const Cfg *g, int op) { return op_flags(g, op) & OPF_UNCOND_JUMP; }
static inline bool is_scope_exit(const Cfg *g, int op) { return op_flags(g, op) & OPF_SCOPE_EXIT; }
static inline bool has_target(const Cfg *g, int op)
{
    return op_flags(g, op) & (OPF_JUMP | OPF_BLOCK_PUSH);
}
static inline bool has_const(const Cfg *g, int op) { return op_flags(g, op) & OPF_CONST; }
static inline bool is_terminator(const Cfg *g, int op)
{
    return op_flags(g, op) & (OPF_JUMP | OPF_SCOPE_EXIT);
}

static inline CInstr *block_last(const Block *b) { return b->n > 0 ? &b->in[b->n - 1] : NULL; }
static inline bool block_no_fallthrough(const Cfg *g, const Block *b)
{
    const CInstr *last = block_last(b);
    return last && (op_flags(g, last->op) & (OPF_SCOPE_EXIT | OPF_UNCOND_JUMP));
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
static inline void set_op0(CInstr *i, int op) { i->op = op; i->arg = 0; i->target = NULL; }
static inline void set_op1(CInstr *i, int op, int arg) { i->op = op; i->arg = arg; i->target = NULL; }
/* b may hold a NOP (or a pair's POP_TOP) at in[i] (Block.nops, Block.first_nop). */
static inline void block_mark_nop(Block *b, int i)
{
    if (!b->nops || i < b->first_nop) b->first_nop = i;
    b->nops = true;
}
/* in (of b) becomes a NOP, and b is marked as holding one. */
static inline void block_nop(Block *b, CInstr *in)
{
    set_op0(in, OP_NOP);
    block_mark_nop(b, (int)(in - b->in));
}

int cfg_oom(Cfg *g);
Block *cfg_new_block(Cfg *g);
int block_reserve(Cfg *g, Block *b, int need);   /* room for need instructions: 0 or -1 */
int block_addop(Cfg *g, Block *b, int op, int arg, SrcLoc loc);   /* 0 or -1 */
int block_insert(Cfg *g, Block *b, int pos, CInstr in);
/* A traversal stack with room for every block; starts a traversal (no block seen). */
Block **cfg_stack(Cfg *g);
static inline bool block_seen(const Cfg *g, const Block *b) { return b->mark == g->mark; }
static inline void block_see(const Cfg *g, Block *b) { b->mark = g->mark; }
/* Passes both halves use. */
int remove_redundant_nops_and_jumps(Cfg *g);
int remove_redundant_nops(Cfg *g);

#endif
