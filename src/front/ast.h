/* ast.h - the abstract syntax tree of Python 3.13 (node kinds and fields as CPython's
   Parser/Python.asdl; the descriptions are generated, see ast_gen.c), arena allocated. */
#ifndef CPYC_AST_H
#define CPYC_AST_H

#include "pyc/pyc.h"

/* How a field holds its value (from the ASDL type). */
typedef enum {
    AF_NODE,      /* one node */
    AF_OPT_NODE,  /* a node or NULL */
    AF_SEQ,       /* AstSeq of nodes (items may be NULL where the ASDL allows None) */
    AF_IDENT,     /* interned identifier (or string, e.g. a Constant's kind) */
    AF_OPT_IDENT, /* identifier or NULL */
    AF_SEQ_IDENT, /* AstSeq of identifiers */
    AF_SEQ_ENUM,  /* AstSeq of singleton kinds (Compare.ops), items cast from AstKind */
    AF_CONST,     /* Value * (Constant.value, MatchSingleton.value) */
    AF_INT,       /* integer */
    AF_OPT_INT,   /* integer, always present when parsed */
    AF_ENUM       /* attribute-less singleton node, stored as its AstKind */
} AstFieldType;

#include "ast_gen.h"

typedef struct {
    const char *name;
    AstFieldType type;
} AstFieldDesc;

typedef struct {
    const char *name;       /* "FunctionDef" */
    const char *group;      /* "stmt" */
    const AstFieldDesc *fields;
    int nfields;
    bool has_attributes;    /* lineno, col_offset, end_lineno, end_col_offset */
    uint8_t node_fields;    /* bit i: field i is AF_NODE or AF_OPT_NODE */
    uint8_t seq_fields;     /* bit i: field i is AF_SEQ */
    uint8_t int_fields;     /* bit i: field i is AF_INT, AF_OPT_INT or AF_ENUM */
} AstKindDesc;

extern const AstKindDesc ast_kinds[AST__COUNT];

typedef struct AstSeq {
    uint32_t n;
    void *items[];
} AstSeq;

typedef struct AstNode AstNode;
typedef union AstField {
    AstNode *n;
    AstSeq *s;
    const char *id;
    Value *v;
    intptr_t i;
} AstField;

/* A node: lines from 1, columns in UTF-8 bytes, end exclusive. */
struct AstNode {
    uint16_t kind;          /* AstKind */
    uint16_t depth;         /* levels of nodes below and including this one (saturates) */
    int32_t lineno, col_offset, end_lineno, end_col_offset;
    uint8_t opt;            /* AST_OPT_*, set with depth (in what would be padding) */
    AstField f[];           /* ast_kinds[kind].nfields entries */
};

/* What the AST optimizer (ast_opt.c) may do to a subtree, over-approximated as the nodes
   are made, so that it can pass by the subtrees it would leave as they are: CONST, the
   node may fold to a Constant; VISIT, something in the subtree may change. Nodes made
   without ast_set_depth or the parser's constructors have both. */
enum { AST_OPT_CONST = 1, AST_OPT_VISIT = 2 };
/* The flags of n from its kind, its fields and `children`, the OR of its children's. */
uint8_t ast_opt_flags_of(const AstNode *n, unsigned children);   /* the kinds below */
static inline uint8_t ast_opt_flags(const AstNode *n, unsigned children)
{
    switch (n->kind) {
    case AST_Constant: case AST_Name: case AST_BinOp: case AST_UnaryOp: case AST_Subscript:
    case AST_Tuple: case AST_Compare: case AST_For: case AST_comprehension:
        return ast_opt_flags_of(n, children);
    default:
        return (uint8_t)(children & AST_OPT_VISIT);
    }
}

typedef struct { int32_t lineno, col_offset, end_lineno, end_col_offset; } AstLoc;

/* Identifier interning: one copy per distinct identifier per unit (arena memory). Each
   entry has a small tag for its user (the parser keeps keyword codes there). Each copy
   is preceded by its IdentHead: its length and its NameKey hash (value_bytes_hash), which
   the symbol table and codegen take from an identifier they know to be the parser's
   instead of measuring and hashing it again, and a word a later pass may keep its own
   record of the name in (user, NULL at first), owner telling which pass wrote it. */
typedef struct IdentHead { uint32_t len, hash; void *user; const void *owner; } IdentHead;
static inline IdentHead *ident_head(const char *id)
{
    return (IdentHead *)(void *)(id - sizeof(IdentHead));
}
typedef struct InternEntry {
    const char *s;          /* NUL-terminated; NULL for a free slot */
    uint32_t len;
    uint32_t tag;           /* 0 unless set by the user */
    uint32_t hash;          /* of s: compared before s, and kept for growing the table */
} InternEntry;

typedef struct Interner {
    Arena *arena;
    InternEntry *slots;     /* arena array, a power of two long */
    size_t cap, count;
} Interner;

void interner_init(Interner *in, Arena *a);
/* The entry of s[0..len), added (with tag 0) when new; NULL when out of memory. `stored`,
   when not NULL, is a NUL-terminated copy of s that outlives the unit, behind its IdentHead
   (else s is copied, with one). */
InternEntry *intern_entry(Interner *in, const char *s, size_t len, const char *stored);
/* Makes room for n more entries without growing; false when out of memory. */
bool interner_reserve(Interner *in, size_t n);
/* Adds n entries known to be distinct and absent, tags given (their texts are copied with
   their heads, their hashes made again: the ones given are not used); NULL when out of
   memory. */
void *interner_seed(Interner *in, const InternEntry *seeds, size_t n);
/* Returns the unit's copy of s[0..len) (NUL-terminated), or NULL when out of memory. */
const char *intern(Interner *in, const char *s, size_t len);

/* Allocates a node of `kind` at `loc` with depth 1 and its fields not set (the parser's
   constructors fill them all). */
static inline AstNode *ast_node_raw(Arena *a, AstKind kind, AstLoc loc)
{
    AstNode *n = arena_alloc_raw(a, sizeof(AstNode) + (size_t)ast_kinds[kind].nfields * sizeof(AstField));
    if (!n) return NULL;
    n->kind = (uint16_t)kind;
    n->depth = 1;
    n->opt = AST_OPT_CONST | AST_OPT_VISIT;
    n->lineno = loc.lineno;
    n->col_offset = loc.col_offset;
    n->end_lineno = loc.end_lineno;
    n->end_col_offset = loc.end_col_offset;
    return n;
}
/* Allocates a node of `kind` with its fields zeroed. */
AstNode *ast_node(Arena *a, AstKind kind, AstLoc loc);
AstSeq *ast_seq(Arena *a, size_t n);

/* ast.parse() fails with RecursionError ("maximum recursion depth exceeded during ast
   construction") on trees deeper than this (the Module counting as 1). */
enum { AST_PY_MAX_DEPTH = 9997 };

/* Sets n->depth from its children's. */
void ast_set_depth(AstNode *n);

/* The deepest node a field holds (0 for none). */
static inline unsigned ast_field_depth(AstFieldType type, AstField f)
{
    unsigned max = 0;
    if (type == AF_NODE || type == AF_OPT_NODE) {
        if (f.n) max = f.n->depth;
    } else if (type == AF_SEQ && f.s) {
        for (uint32_t k = 0; k < f.s->n; k++) {
            const AstNode *c = f.s->items[k];
            if (c && c->depth > max) max = c->depth;
        }
    }
    return max;
}

/* The depth of a node whose deepest child has depth `max` (saturating). */
static inline uint16_t ast_depth_above(unsigned max) { return (uint16_t)(max < 65534 ? max + 1 : 65535); }

/* Appends ast.dump(tree, include_attributes=True, indent=1) as CPython 3.13 prints it. */
void ast_dump(Buf *out, const AstNode *tree);

/* ------------------------------------------------------------------ parse.c */
typedef struct DecodedSource DecodedSource;

/* Parses decoded source as a module ("exec" mode). Returns the Module node, or NULL with
   err set (SyntaxError, IndentationError or TabError with CPython's position and message).
   The SyntaxWarnings CPython's parser and tokenizer issue go to `warnings` (NULL: none
   are collected), in CPython's order, also when the parse fails (before its error). */
AstNode *parse_module(const DecodedSource *src, const cpyc_target *t, Arena *a, cpyc_error *err,
                      Warnings *warnings);

/* Decodes and parses a source file image. */
AstNode *parse_file_bytes(const uint8_t *data, size_t len, const cpyc_target *t, Arena *a,
                          cpyc_error *err, Warnings *warnings);

#endif
