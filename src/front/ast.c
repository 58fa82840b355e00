/* ast.c - AST nodes and identifier interning (arena memory). */
#include <string.h>

#include "ast.h"

AstNode *ast_node(Arena *a, AstKind kind, AstLoc loc)
{
    AstNode *node = ast_node_raw(a, kind, loc);
    if (!node) return NULL;
    node->depth = 0;
    memset(node->f, 0, (size_t)ast_kinds[kind].nfields * sizeof(AstField));
    return node;
}

void ast_set_depth(AstNode *n)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    unsigned max = 0, opt = 0;
    for (int i = 0; i < d->nfields; i++) {
        unsigned c = ast_field_depth(d->fields[i].type, n->f[i]);
        if (c > max) max = c;
        if (d->node_fields >> i & 1) {
            if (n->f[i].n) opt |= n->f[i].n->opt;
        } else if ((d->seq_fields >> i & 1) && n->f[i].s) {
            for (uint32_t k = 0; k < n->f[i].s->n; k++)
                if (n->f[i].s->items[k]) opt |= ((const AstNode *)n->f[i].s->items[k])->opt;
        }
    }
    n->depth = ast_depth_above(max);
    n->opt = ast_opt_flags(n, opt);
}

static bool may_be_const(const AstNode *n) { return n && (n->opt & AST_OPT_CONST); }
static bool list_or_set(const AstNode *n) { return n && (n->kind == AST_List || n->kind == AST_Set); }

/* (ast_opt.c's fold_node says what changes: these are its cases.) */
uint8_t ast_opt_flags_of(const AstNode *n, unsigned children)
{
    unsigned visit = children & AST_OPT_VISIT;
    bool folds = false;
    switch (n->kind) {
    case AST_Constant:
        return AST_OPT_CONST;
    case AST_Name: {
        const char *id = n->f[F_Name_id].id;
        return id && id[0] == '_' && strcmp(id, "__debug__") == 0 ? AST_OPT_CONST | AST_OPT_VISIT : 0;
    }
    case AST_BinOp: {
        const AstNode *r = n->f[F_BinOp_right].n;
        folds = may_be_const(n->f[F_BinOp_left].n) && (may_be_const(r) || (r && r->kind == AST_Tuple));
        break;
    }
    case AST_UnaryOp: {
        const AstNode *x = n->f[F_UnaryOp_operand].n;
        folds = may_be_const(x) || (x && x->kind == AST_Compare);
        break;
    }
    case AST_Subscript:
        folds = may_be_const(n->f[F_Subscript_value].n) && may_be_const(n->f[F_Subscript_slice].n);
        break;
    case AST_Tuple: {
        const AstSeq *s = n->f[F_Tuple_elts].s;
        folds = true;
        for (uint32_t k = 0; s && k < s->n && folds; k++) folds = may_be_const(s->items[k]);
        break;
    }
    case AST_Compare: {
        const AstSeq *ops = n->f[F_Compare_ops].s, *cmp = n->f[F_Compare_comparators].s;
        if (ops && ops->n && cmp && cmp->n && list_or_set(cmp->items[cmp->n - 1])) visit = AST_OPT_VISIT;
        break;
    }
    case AST_For:
        if (list_or_set(n->f[F_For_iter].n)) visit = AST_OPT_VISIT;
        break;
    case AST_comprehension:
        if (list_or_set(n->f[F_comprehension_iter].n)) visit = AST_OPT_VISIT;
        break;
    default:
        break;
    }
    return (uint8_t)(folds ? AST_OPT_CONST | AST_OPT_VISIT : visit);
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

/* Identifiers are short: a word at a time (the overlapping loads read each byte at least
   once), then the high half of a 64-bit product. It is the NameKey hash (value_bytes_hash),
   so the identifier's IdentHead keeps it for the later stages. */
static inline uint32_t hash_bytes(const char *s, size_t len)
{
    return value_bytes_hash_inline((const uint8_t *)s, len);
}

/* An arena copy of s[0..len), NUL-terminated, behind its IdentHead; NULL out of memory. */
static char *headed_copy(Arena *a, const char *s, size_t len, uint32_t hash)
{
    IdentHead *h = arena_alloc_raw(a, sizeof *h + len + 1);
    if (!h) return NULL;
    h->len = (uint32_t)len, h->hash = hash, h->user = NULL, h->owner = NULL;
    char *copy = (char *)(h + 1);
    memcpy(copy, s, len);
    copy[len] = 0;
    return copy;
}

/* Whether s[0..n) == t[0..n): identifiers are short, so words at a time (overlapping at the
   end) rather than a call to memcmp. */
static inline bool same_bytes(const char *s, const char *t, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, s + i, 8);
            memcpy(&y, t + i, 8);
            if (x != y) return false;
        }
        memcpy(&x, s + n - 8, 8);
        memcpy(&y, t + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t a, b, c, d;
        memcpy(&a, s, 4);
        memcpy(&b, t, 4);
        memcpy(&c, s + n - 4, 4);
        memcpy(&d, t + n - 4, 4);
        return a == b && c == d;
    }
    return n == 0 || (s[0] == t[0] && s[n / 2] == t[n / 2] && s[n - 1] == t[n - 1]);
}

static bool interner_grow_to(Interner *in, size_t cap)
{
    InternEntry *slots = arena_alloc_raw(in->arena, cap * sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < cap; i++) slots[i].s = NULL;   /* (the rest is written when used) */
    for (size_t i = 0; i < in->cap; i++) {
        if (!in->slots[i].s) continue;
        size_t j = in->slots[i].hash & (cap - 1);
        while (slots[j].s) j = (j + 1) & (cap - 1);
        slots[j] = in->slots[i];
    }
    in->slots = slots;
    in->cap = cap;
    return true;
}

static bool interner_grow(Interner *in) { return interner_grow_to(in, in->cap ? in->cap * 2 : 256); }

bool interner_reserve(Interner *in, size_t n)
{
    size_t cap = in->cap ? in->cap : 256;
    while ((in->count + n + 1) * 2 > cap) cap *= 2;
    return cap == in->cap || interner_grow_to(in, cap);
}

InternEntry *intern_entry(Interner *in, const char *s, size_t len, const char *stored)
{
    if ((in->count + 1) * 2 > in->cap && !interner_grow(in)) return NULL;
    uint32_t h = hash_bytes(s, len);
    size_t j = h & (in->cap - 1);
    InternEntry *e;
    while ((e = &in->slots[j])->s) {
        if (e->hash == h && e->len == len && same_bytes(e->s, s, len)) return e;
        j = (j + 1) & (in->cap - 1);
    }
    if (!stored && !(stored = headed_copy(in->arena, s, len, h))) return NULL;
    e->s = stored;
    e->len = (uint32_t)len;
    e->tag = 0;
    e->hash = h;
    in->count++;
    return e;
}

void *interner_seed(Interner *in, const InternEntry *seeds, size_t n)
{
    if (!interner_reserve(in, n)) return NULL;
    for (size_t k = 0; k < n; k++) {
        /* a copy with its head (a keyword spelled in NFKC is a name), and the hash this
           interner uses */
        InternEntry e = seeds[k];
        e.hash = hash_bytes(e.s, e.len);
        if (!(e.s = headed_copy(in->arena, e.s, e.len, e.hash))) return NULL;
        size_t j = e.hash & (in->cap - 1);
        while (in->slots[j].s) j = (j + 1) & (in->cap - 1);
        in->slots[j] = e;
    }
    in->count += n;
    return in->slots;
}

const char *intern(Interner *in, const char *s, size_t len)
{
    InternEntry *e = intern_entry(in, s, len, NULL);
    return e ? e->s : NULL;
}
