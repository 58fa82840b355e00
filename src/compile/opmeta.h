/* opmeta.h - a target's opcode metadata (flags, inline caches, stack effects) for the CFG
   passes and the assembler, indexed by the back end's Opcode names (opcode.h). Each target
   supplies one (cpyc_target.opmeta: targets/py3_N_opmeta.c, generated); the back end reads
   it, never versions. */
#ifndef CPYC_COMPILE_OPMETA_H
#define CPYC_COMPILE_OPMETA_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "opcode.h"

enum {
    OPF_ARG = 1 << 0,           /* has an oparg (CPython's HAS_ARG_FLAG) */
    OPF_CONST = 1 << 1,         /* oparg indexes co_consts */
    OPF_NAME = 1 << 2,
    OPF_JUMP = 1 << 3,          /* oparg is a jump target */
    OPF_FREE = 1 << 4,
    OPF_LOCAL = 1 << 5,
    OPF_EVAL_BREAK = 1 << 6,    /* checks the eval breaker */
    OPF_BLOCK_PUSH = 1 << 7,    /* SETUP_FINALLY / SETUP_CLEANUP / SETUP_WITH */
    OPF_SCOPE_EXIT = 1 << 8,    /* returns or raises */
    OPF_UNCOND_JUMP = 1 << 9,
    OPF_ASSEMBLER = 1 << 10,    /* only the assembler emits it (JUMP_FORWARD, JUMP_BACKWARD...) */
    OPF_PSEUDO = 1 << 11,       /* no opcode byte: the CFG or the assembler replaces it */
    OPF_VALID = 1 << 12,        /* the target has this instruction */
};

typedef struct OpInfo {
    const char *name;           /* CPython's name; NULL where the target has no such opcode */
    uint16_t flags;             /* OPF_* */
    uint8_t caches;             /* inline cache code units after the instruction */
    uint8_t code;               /* the target's opcode byte (real instructions) */
    uint16_t targets[2];        /* a pseudo-instruction's possible real forms, 0-terminated */
    /* The stack effect as the table has it (OPMETA_EFFECT_*): effect when FIXED, effect +
       effect_arg * oparg + effect_odd * (oparg & 1) when LINEAR (either way the same whether
       or not a jump is taken); CALL (0, an opcode the target lacks included): ask
       stack_effect. */
    uint8_t effect_kind;
    int8_t effect, effect_arg, effect_odd;
} OpInfo;

enum { OPMETA_EFFECT_CALL, OPMETA_EFFECT_FIXED, OPMETA_EFFECT_LINEAR };

/* OpInfo's effect fields and flags: 8 bytes an opcode where OpInfo takes 24, for the stack
   depth walks, which read one per instruction (the superinstruction walk's tests too, from
   the same load). */
typedef struct OpEffect {
    uint8_t kind;               /* OPMETA_EFFECT_* */
    int8_t effect, arg, odd;
    uint16_t flags;             /* OPF_* */
    bool plain;                 /* FIXED, and neither OPF_LOCAL nor OPF_CONST: the
                                   superinstruction walk has nothing to do but add effect */
    uint8_t spare;
} OpEffect;
enum { OPMETA_INVALID_EFFECT = INT_MIN };

typedef struct OpTable {
    const char *name;
    const OpInfo *ops;          /* [OP__COUNT] */
    /* Stack effect (pushed - popped); jump: on the branch taken (SETUP_* push the handler's
       values only there). OPMETA_INVALID_EFFECT when the opcode has none. */
    int (*stack_effect)(int op, int oparg, bool jump);
    const uint16_t *flags;      /* [OP__COUNT]: ops[op].flags by themselves, the denser index
                                   for the CFG passes' many tests */
    const OpEffect *effects;    /* [OP__COUNT]: ops[op]'s effect fields and flags */
} OpTable;

static inline bool op_has(const OpTable *t, int op, unsigned f)
{
    return op >= 0 && op < OP__COUNT && (t->ops[op].flags & f) != 0;
}
/* CPython's HAS_TARGET: jumps and the SETUP_* pseudo-instructions. */
static inline bool op_has_target(const OpTable *t, int op)
{
    return op_has(t, op, OPF_JUMP | OPF_BLOCK_PUSH);
}
/* Must end its basic block: jumps and scope exits. */
static inline bool op_is_terminator(const OpTable *t, int op)
{
    return op_has(t, op, OPF_JUMP | OPF_SCOPE_EXIT);
}

#endif
