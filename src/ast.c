/* ast.c - AST nodes and identifier interning (arena memory). */
#include <string.h>

#include "ast.h"

AstNode *ast_node(Arena *a, AstKind kind, AstLoc loc)
{
    size_t n = (size_t)ast_kinds[kind].nfields;
    AstNode *node = arena_alloc_raw(a, sizeof(AstNode) + n * sizeof(AstField));
    if (!node) return NULL;
    node->kind = (uint16_t)kind;
    node->depth = 0;
    node->lineno = loc.lineno;
    node->col_offset = loc.col_offset;
    node->end_lineno = loc.end_lineno;
    node->end_col_offset = loc.end_col_offset;
    memset(node->f, 0, n * sizeof(AstField));
    return node;
}

void ast_set_depth(AstNode *n)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    unsigned max = 0;
    for (int i = 0; i < d->nfields; i++) {
        unsigned c = ast_field_depth(d->fields[i].type, n->f[i]);
        if (c > max) max = c;
    }
    n->depth = ast_depth_above(max);
}

AstSeq *ast_seq(Arena *a, size_t n)
{
    AstSeq *s = arena_alloc_raw(a, sizeof(AstSeq) + n * sizeof(void *));
    if (s) s->n = (uint32_t)n;
    return s;
}

void interner_init(Interner *in, Arena *a)
{
    memset(in, 0, sizeof *in);
    in->arena = a;
}

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static bool interner_grow(Interner *in)
{
    size_t cap = in->cap ? in->cap * 2 : 256;
    const char **slots = arena_alloc(in->arena, cap * sizeof *slots);
    uint32_t *lens = arena_alloc(in->arena, cap * sizeof *lens);
    if (!slots || !lens) return false;
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i]) continue;
        size_t j = hash_bytes(in->slots[i], in->lens[i]) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = in->slots[i];
        lens[j] = in->lens[i];
    }
    in->slots = slots;
    in->lens = lens;
    in->cap = cap;
    return true;
}

const char *intern(Interner *in, const char *s, size_t len)
{
    if ((in->count + 1) * 2 > in->cap && !interner_grow(in)) return NULL;
    size_t j = hash_bytes(s, len) & (in->cap - 1);
    while (in->slots[j]) {
        if (in->lens[j] == len && memcmp(in->slots[j], s, len) == 0) return in->slots[j];
        j = (j + 1) & (in->cap - 1);
    }
    char *copy = arena_alloc(in->arena, len + 1);
    if (!copy) return NULL;
    memcpy(copy, s, len);
    in->slots[j] = copy;
    in->lens[j] = (uint32_t)len;
    in->count++;
    return copy;
}
