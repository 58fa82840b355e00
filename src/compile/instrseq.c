/* instrseq.c - instruction sequences with labels: what codegen emits and the CFG consumes. */
#include <string.h>

#include "compile.h"

void instrseq_init(InstrSeq *s, Arena *a) { memset(s, 0, sizeof *s); s->arena = a; }

bool opcode_has_target(int op)
{
    switch (op) {
    case OP_FOR_ITER: case OP_JUMP_BACKWARD: case OP_JUMP_BACKWARD_NO_INTERRUPT:
    case OP_JUMP_FORWARD: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE: case OP_SEND:
    case OP_JUMP: case OP_JUMP_NO_INTERRUPT:
    case OP_SETUP_FINALLY: case OP_SETUP_CLEANUP: case OP_SETUP_WITH:
        return true;
    default:
        return false;
    }
}

/* Grows an arena array of elem-sized items to hold at least need. */
static void *grow(Arena *a, void *items, int n, int *cap, int need, size_t elem)
{
    if (need <= *cap) return items;
    int nc = *cap ? *cap : 32;
    while (nc < need) nc *= 2;
    void *p = arena_alloc_raw(a, (size_t)nc * elem);
    if (!p) return NULL;
    if (n) memcpy(p, items, (size_t)n * elem);
    *cap = nc;
    return p;
}

int instrseq_new_label(InstrSeq *s)
{
    int id = s->next_label;
    int old = s->labelmap_cap;
    int *m = grow(s->arena, s->labelmap, old, &s->labelmap_cap, id + 1, sizeof *m);
    if (!m) return -1;
    memset(m + old, 0xff, (size_t)(s->labelmap_cap - old) * sizeof *m);   /* -1: not placed */
    s->labelmap = m;
    s->next_label = id + 1;
    return id;
}

int instrseq_addop(InstrSeq *s, int opcode, int oparg, SrcLoc loc)
{
    Instr *p = grow(s->arena, s->instrs, s->n, &s->cap, s->n + 1, sizeof *p);
    if (!p) return -1;
    s->instrs = p;
    p[s->n] = (Instr){.opcode = opcode, .oparg = oparg, .loc = loc,
                      .eh = {.label = -1}, .target = -1};
    return s->n++;
}

int instrseq_insert(InstrSeq *s, int pos, int opcode, int oparg, SrcLoc loc)
{
    if (pos < 0 || pos > s->n || instrseq_addop(s, 0, 0, NO_LOC) < 0) return -1;
    memmove(&s->instrs[pos + 1], &s->instrs[pos], (size_t)(s->n - 1 - pos) * sizeof(Instr));
    s->instrs[pos] = (Instr){.opcode = opcode, .oparg = oparg, .loc = loc,
                             .eh = {.label = -1}, .target = -1};
    for (int k = 0; k < s->next_label; k++)
        if (s->labelmap[k] > pos) s->labelmap[k]++;
    return pos;
}

int instrseq_apply_labels(InstrSeq *s)
{
    for (int i = 0; i < s->n; i++) {
        Instr *in = &s->instrs[i];
        if (!opcode_has_target(in->opcode)) continue;
        if (in->oparg < 0 || in->oparg >= s->next_label || s->labelmap[in->oparg] < 0) return -1;
        in->oparg = s->labelmap[in->oparg];
    }
    s->next_label = 0;   /* applied: no label is left to use or apply again */
    s->labelmap = NULL;
    s->labelmap_cap = 0;
    return 0;
}
