/* parse_internal.h - state shared by the parser's files (parse*.c); not used elsewhere. */
#ifndef CPYC_PARSE_INTERNAL_H
#define CPYC_PARSE_INTERNAL_H

#include "ast.h"
#include "tokenize.h"

/* Keywords (hard) and soft keywords, recognized once per NAME token. */
typedef enum {
    KW_NONE_, KW_False, KW_None, KW_True, KW_and, KW_as, KW_assert, KW_async, KW_await,
    KW_break, KW_class, KW_continue, KW_def, KW_del, KW_elif, KW_else, KW_except,
    KW_finally, KW_for, KW_from, KW_global, KW_if, KW_import, KW_in, KW_is, KW_lambda,
    KW_nonlocal, KW_not, KW_or, KW_pass, KW_raise, KW_return, KW_try, KW_while, KW_with,
    KW_yield,
    KW__HARD_END,
    SKW_match = KW__HARD_END, SKW_case, SKW_type, SKW__
} Keyword;

/* The parser keeps the tokenizer's tokens as they come (see Token), filling in `kw` (a NAME's
   keyword), `level` (bracket nesting after the token) and, for a NAME, `aux`: its identifier,
   p->names[aux]. Its text is src[start, start+len) (tok_text). */
typedef Token PTok;

/* A growable list: the first VEC_SMALL items in place (most lists are short), then an
   arena array that doubles; the final list is copied into an AstSeq. */
enum { VEC_SMALL = 8 };
typedef struct Vec {
    size_t n, cap;
    void **items;             /* used once n > VEC_SMALL */
    void *small[VEC_SMALL];
} Vec;

/* Second pass: what CPython's memo of `disjunction` holds for a start token (whichever parse
   came first, with or without the invalid_* checks), and whether the invalid_legacy_expression
   look ahead was made there. */
typedef struct DisjMemo {
    AstNode *node;
    size_t end;
    uint8_t state;            /* 0 not parsed yet, 1 parsed, 2 failed */
    bool legacy_done;
} DisjMemo;
/* An empty Vec: only `n` needs a value (the rest is written before it is read). */
#define VEC_EMPTY(v) ((v).n = 0)
static inline void *const *vec_items(const Vec *v) { return v->n > VEC_SMALL ? v->items : v->small; }

enum { NAME_CACHE = 512 };   /* a power of two */

typedef struct Parser {
    Arena *a;
    const cpyc_target *target;
    const DecodedSource *source;
    const char *src;
    size_t srclen;
    PTok *toks;
    size_t ntok;              /* tokens held, the last one ENDMARKER or the error sentinel,
                                 copied TOK_PAD times after it (what a look there reads) */
    const char **names;       /* identifiers by PTok.aux (names[0] unused) */
    uint32_t nnames, names_cap;
    Tokenizer *tz;            /* the debug texts of f-string fields (tokenizer_debug_text) */
    bool tok_failed;          /* the tokenizer failed at token ntok-1 (a sentinel) */
    cpyc_error tok_err;
    int tok_bracket;          /* the innermost bracket open at the tokenizer's error, or 0 */
    int tok_bracket_line, tok_bracket_col;
    bool tok_raised;          /* the tokenizer raised it itself (not an end-of-input state) */
    bool tok_in_fstring;      /* ... while inside an f-string */
    size_t pos, maxpos;
    size_t fill_first;        /* second pass: the first pass's maxpos (tokens CPython fetched) */
    size_t err_maxpos;        /* maxpos when the parser's error was raised */
    Interner in;
    AstSeq *empty;            /* the one empty list of the tree (none is written to) */
    cpyc_error *err;
    bool failed;              /* err holds a raised error */
    int depth;
    size_t lift_at;           /* 1 + the token where a primary is parsed p->lift calls shallower */
    int lift;
    bool invalid_pass;        /* second pass: checks that raise specific SyntaxErrors */
    bool quiet_displays;      /* second pass: displays parsed without those checks */
    DisjMemo *memo;           /* second pass: one per token */
    /* SyntaxWarnings: where they go (NULL: nowhere), and the parser's own (invalid escapes
       in literals) in the order the first pass issued them; see parse_warn */
    Warnings *warnings;
    bool second_pass;         /* the second pass has begun (it issues no warnings) */
    SourceWarning *pwarns;
    uint32_t npwarns, pwarns_cap;
    size_t tok_warn_limit;    /* tokenizer warnings issued from this byte on are dropped
                                 (CPython's tokenizer never reached them); 0: none dropped */
    /* names of up to 16 ASCII bytes (most names) by their bytes: a direct-mapped cache of
       the interner's tags that stays in the L1 cache while the interner's table does not.
       Only the tags are zeroed (a slot is empty while its tag is 0: no name's tag is); the
       words are read once the tag says they were written. */
    uint32_t name_tags[NAME_CACHE];
    uint64_t name_words[NAME_CACHE][2];
} Parser;

/* The second pass's state as the rules read it: in parse_fast.c's copy of them (the first
   pass only) constants, which drop the second pass's checks from that copy. */
#ifdef PARSE_FAST
enum { FAST_COPY = 1 };
#else
enum { FAST_COPY = 0 };
#endif
static inline bool invalid_checks(const Parser *p) { return !FAST_COPY && p->invalid_pass; }
static inline bool quiet_displays(const Parser *p) { return !FAST_COPY && p->quiet_displays; }
static inline DisjMemo *memo_of(const Parser *p) { return FAST_COPY ? NULL : p->memo; }

/* CPython's parser raises MemoryError when its rule calls nest deeper than MAXSTACK (6000).
   p->depth counts those calls: each of our functions holds, while it runs, the number of
   CPython rule calls on its way (D_*: measured against CPython 3.13 at the limit), so that
   nesting of every kind (unary operators, not, if-else, lambda, **, elif, blocks) overflows
   where CPython's does. Lookaheads that CPython runs deeper are peak()s: checked, not held. */
enum { PARSE_MAX_DEPTH = 6000 };
enum {
    D_FILE = 1,           /* file */
    D_STATEMENTS = 2,     /* statements, statement */
    D_COMPOUND = 2,       /* compound_stmt, if_stmt (and the like) */
    D_DEF = 1,            /* function_def_raw, class_def_raw */
    D_BLOCK = 2,          /* block of an indented body */
    D_BLOCK_INLINE = 1,   /* block of a body on the header's line */
    D_SIMPLE = 3,         /* simple_stmts, simple_stmt, star_expressions */
    D_SIMPLE_PROBE = 26,  /* how deep a simple statement's first alternatives look */
    D_ASSIGN_VALUE = 2,   /* the value of an assignment: a group, star_expressions */
    D_ANN_VALUE = D_ASSIGN_VALUE + 1, /* an annotated one's: in the optional group ['=' annotated_rhs] */
    D_ANNOTATION = -1,    /* assignment's NAME ':' expression: three calls above a value's */
    D_WITH_ITEM = 1,      /* the items' gather, with_item (where if_stmt has named_expression) */
    D_KW_EXPR = -1,       /* assert's or raise's expression: one call above an expression statement's */
    D_FOR_ITER = 1,       /* for_stmt's star_expressions (where if_stmt has named_expression) */
    D_RETURN = 1,         /* return_stmt */
    D_EXPRESSION = 1,     /* expression: per if-else, and lambdef's body (+ D_LAMBDA) */
    D_CHAIN = 24,         /* disjunction .. atom (each left-recursive rule is two calls) */
    D_LAMBDA = 1,         /* lambdef */
    D_POWER = 2,          /* power, factor: per ** */
    D_UNARY = 1,          /* factor or inversion: per -, +, ~, not */
    D_ELIF = 1,           /* elif_stmt */
    D_GROUP = 3,          /* ( .. ): atom, tuple, star_named_expression, named_expression */
    D_DISPLAY = 4,        /* [ { .. ]: atom, list or dict or set, the items' gather, the item */
    /* a comprehension's iterable (a disjunction) is parsed D_CHAIN + D_COMP_* calls below the
       display's (or call's) own depth: for_if_clauses, its loop, for_if_clause, less the
       calls already held by the display */
    D_COMP_DISPLAY = -1,  /* [ { : listcomp/setcomp/dictcomp beside list/set/dict */
    D_COMP_GROUP = 0,     /* ( : genexp beside tuple */
    D_COMP_CALL = 2,      /* f(x for ..): primary's genexp, then for_if_clauses .. */
    D_COMP_IF = 2,        /* an 'if' condition: the loop of conditions, its group */
    /* CPython's simple_stmt tries assignment first: its targets' t_primary parses a primary
       (atom and trailers) starting the statement, or the value after an '=', as a target,
       fewer calls deep than the expression path that later finds it memoized */
    D_TARGET_LIFT = 19,   /* statement start: star_expressions .. atom less assignment .. t_primary's atom */
    D_TARGET_LIFT_RHS = 18, /* after '=': (star_targets '=')+ .. t_primary's atom, one call deeper */
    /* an f-string replacement field's expression, from the strings' own depth: the loop of
       strings, fstring|string, fstring, the loop of its middles, fstring_middle,
       fstring_replacement_field, annotated_rhs, star_expressions (less the atom's 2) */
    D_FIELD = 8,
    D_SPEC = 4,           /* a field in a format spec: fstring_full_format_spec, its loop,
                             fstring_format_spec, fstring_replacement_field */
    D_TRAILER_BACK = 1,   /* a call's or subscript's operands sit one call nearer the primary
                             (genexp or slices, then the operand) than an atom's content */
    D_NUMBER = 1,         /* atom's alternatives before NUMBER */
    D_STRING = 4,         /* .. before strings */
    /* an expression tried at a closing bracket (an empty call or display) goes all the way
       down to atom's alternatives, as deep as a NUMBER does */
    D_NO_EXPR = D_EXPRESSION + D_CHAIN + D_NUMBER,
};

/* Tokens */
/* The last token (ENDMARKER or the sentinel) is copied TOK_PAD times after it (toks[ntok,
   ntok + TOK_PAD)): no rule looks further past it than that (it consumes no end token, and
   looks at most two tokens ahead). */
enum { TOK_PAD = 4 };
#ifdef PARSE_FAST
/* The first pass's copy of the rules (parse_fast.c): it counts no look (maxpos starts at the
   last token, see parse_tokens), so a token is just read; past the last it reads a copy. */
static inline const PTok *ptok(Parser *p, size_t i) { return &p->toks[i]; }
#else
/* A token past the last reads as the last. maxpos never passes the last token, so only a
   look further than any before (the branch taken about once per token) can be past it: the
   common look costs no bounds check. */
static inline const PTok *ptok(Parser *p, size_t i)
{
    if (i > p->maxpos) {
        if (i >= p->ntok) i = p->ntok - 1;
        p->maxpos = i;
    }
    return &p->toks[i];
}
#endif
/* Token i once it has been looked at (i <= maxpos, so nothing to count): the token after an
   expression, which its last operator level has tested. */
static inline const PTok *ptok_seen(const Parser *p, size_t i) { return &p->toks[i]; }
static inline int seen_type(const Parser *p) { return p->toks[p->pos].type; }
static inline int seen_kw(const Parser *p) { return p->toks[p->pos].kw; }
/* A token's type without counting it as looked at (maxpos): a scan ahead CPython does not do. */
static inline int ptok_type_raw(const Parser *p, size_t i) { return p->toks[i < p->ntok ? i : p->ntok - 1].type; }
static inline int cur_type(Parser *p) { return ptok(p, p->pos)->type; }
static inline int peek_type(Parser *p, size_t k) { return ptok(p, p->pos + k)->type; }
static inline int cur_kw(Parser *p) { return ptok(p, p->pos)->kw; }
static inline int peek_kw(Parser *p, size_t k) { return ptok(p, p->pos + k)->kw; }
static inline bool at(Parser *p, int type) { return cur_type(p) == type; }
static inline bool at_kw(Parser *p, int kw) { return cur_kw(p) == kw; }
static inline bool accept(Parser *p, int type)
{
    if (cur_type(p) != type) return false;
    p->pos++;
    return true;
}
static inline bool accept_kw(Parser *p, int kw)
{
    if (cur_kw(p) != kw) return false;
    p->pos++;
    return true;
}
/* A NAME usable as an identifier (not a hard keyword). */
static inline bool at_name(Parser *p)
{
    const PTok *t = ptok(p, p->pos);
    return t->type == TOK_NAME && (t->kw == 0 || t->kw >= KW__HARD_END);
}

#define I(x) ((void *)(intptr_t)(x))

/* Whether the target's grammar has a feature (GRAM_*). */
static inline bool has(Parser *p, unsigned feature) { return (p->target->grammar & feature) != 0; }

/* Positions (inline: an AstLoc returned from a call is stored and read back as a whole,
   which stalls the store forwarding of its halves) */
static inline AstLoc loc_tok(Parser *p, size_t i)
{
    const PTok *t = ptok(p, i);
    return (AstLoc){t->lineno, t->col_offset, t->end_lineno, t->end_col_offset};
}

/* `from`'s start and `to`'s end (a known range: RAISE_SYNTAX_ERROR_KNOWN_RANGE). */
static inline AstLoc loc_range(AstLoc from, AstLoc to)
{
    return (AstLoc){from.lineno, from.col_offset, to.end_lineno, to.end_col_offset};
}
static inline AstLoc loc_node(const AstNode *n)
{
    return (AstLoc){n->lineno, n->col_offset, n->end_lineno, n->end_col_offset};
}

/* From the token at `start` to the last token consumed that is not NEWLINE, INDENT or DEDENT.
   (start <= p->pos <= p->ntok: toks[ntok] reads as the last token.) */
static inline AstLoc loc_span(Parser *p, size_t start)
{
    const PTok *a = &p->toks[start];
    size_t e = p->pos;
    while (e > start + 1) {
        int ty = p->toks[e - 1].type;
        if (ty != TOK_NEWLINE && ty != TOK_INDENT && ty != TOK_DEDENT && ty != TOK_ENDMARKER) break;
        e--;
    }
    const PTok *b = &p->toks[e > 0 ? e - 1 : 0];
    return (AstLoc){a->lineno, a->col_offset, b->end_lineno, b->end_col_offset};
}

/* parse.c */
AstLoc error_loc(Parser *p, size_t i);
AstNode *mk(Parser *p, AstKind kind, AstLoc loc, ...);
/* A node of `kind` spanning loc_span(start); its fields follow in ASDL order (ints and kinds
   cast to pointers: I(x)). At least one field: Pass, Break and Continue use mk_fields. */
AstNode *mk_fields(Parser *p, AstKind kind, size_t start, const void *const *fields);
#define mk_at(p, kind, start, ...) mk_fields(p, kind, start, (const void *const[]){__VA_ARGS__})
void vec_push_more(Parser *p, Vec *v, void *item);   /* past the items in place */
static inline void vec_push(Parser *p, Vec *v, void *item)
{
    if (v->n < VEC_SMALL) v->small[v->n++] = item;
    else vec_push_more(p, v, item);
}
/* vec_push for the lists that run long (a module's or a block's statements): past the
   items in place, an arena array with room is written inline too. */
static inline void vec_push_long(Parser *p, Vec *v, void *item)
{
    if (v->n < VEC_SMALL) v->small[v->n++] = item;
    else if (v->n != VEC_SMALL && v->n != v->cap) v->items[v->n++] = item;
    else vec_push_more(p, v, item);
}
void *oom(Parser *p);
AstSeq *vec_seq_more(Parser *p, Vec *v);   /* past the items in place */
static inline __attribute__((always_inline)) AstSeq *vec_seq(Parser *p, Vec *v)
{
    if (v->n > VEC_SMALL) return vec_seq_more(p, v);
    if (!v->n) return p->empty;
    AstSeq *s = arena_alloc_raw(p->a, sizeof(AstSeq) + v->n * sizeof(void *));   /* ast_seq, inline */
    if (!s) return oom(p);
    s->n = (uint32_t)v->n;
    for (size_t k = 0; k < v->n; k++) s->items[k] = v->small[k];
    return s;
}
AstSeq *seq1(Parser *p, void *item);
/* The identifier of the NAME token i. */
static inline const char *tok_ident(Parser *p, size_t i) { return p->names[ptok(p, i)->aux]; }
static inline const char *tok_text(const Parser *p, const PTok *t) { return token_text(p->src, t); }
void *oom(Parser *p);
/* A node of `nfields` fields (the kind's, a constant where inlined), depth and flags unset. */
static inline AstNode *node_raw(Parser *p, AstKind kind, int nfields, AstLoc loc)
{
    AstNode *n = arena_alloc_raw(p->a, sizeof(AstNode) + (size_t)nfields * sizeof(AstField));
    if (!n) return oom(p);
    n->kind = (uint16_t)kind;
    n->lineno = loc.lineno;
    n->col_offset = loc.col_offset;
    n->end_lineno = loc.end_lineno;
    n->end_col_offset = loc.end_col_offset;
    return n;
}
/* A node of two fields neither of which is a node or list (Name, Constant: the most
   frequent nodes, so built inline). */
static inline AstNode *mk_leaf(Parser *p, AstKind kind, AstLoc loc, AstField f0, AstField f1)
{
    AstNode *n = node_raw(p, kind, 2, loc);
    if (!n) return NULL;
    n->depth = 1;
    n->f[0] = f0;
    n->f[1] = f1;
    /* a Constant may be folded into its parent; of the names only __debug__ changes (what
       ast_opt_flags gives a Name, tested here: many names start with '_') */
    n->opt = kind == AST_Constant ? AST_OPT_CONST
             : kind == AST_Name && f0.id[0] == '_' && f0.id[1] == '_' && strcmp(f0.id, "__debug__") == 0
                 ? AST_OPT_CONST | AST_OPT_VISIT : 0;
    return n;
}
/* The Name of NAME token t. */
static inline AstNode *name_tok(Parser *p, const PTok *t, int ctx)
{
    const char *id = p->names[t->aux];
    if (!id) return NULL;
    AstLoc loc = {t->lineno, t->col_offset, t->end_lineno, t->end_col_offset};
    return mk_leaf(p, AST_Name, loc, (AstField){.id = id}, (AstField){.i = ctx});
}
static inline AstNode *name_at(Parser *p, size_t i, int ctx) { return name_tok(p, ptok(p, i), ctx); }
/* The most frequent nodes with node children, built as mk_at builds them without its walk
   over the kind's field descriptions. Most of these kinds have no flags of their own
   (ast_opt_flags): a node's are its children's VISIT; Tuple and BinOp ask ast_opt_flags. */
static inline void fold_child(const AstNode *c, unsigned *max, unsigned *opt)
{
    if (c->depth > *max) *max = c->depth;
    *opt |= c->opt;
}
static inline void fold_seq(const AstSeq *s, unsigned *max, unsigned *opt)
{
    if (!s) return;   /* out of memory: raised */
    for (uint32_t k = 0; k < s->n; k++) fold_child(s->items[k], max, opt);
}
static inline void fold_opt_child(const AstNode *c, unsigned *max, unsigned *opt)
{
    if (c) fold_child(c, max, opt);
}
static inline AstNode *folded_at(Parser *p, AstKind kind, int nfields, AstLoc loc, unsigned max, unsigned opt)
{
    AstNode *n = node_raw(p, kind, nfields, loc);
    if (!n) return NULL;
    n->depth = ast_depth_above(max);
    n->opt = (uint8_t)(opt & AST_OPT_VISIT);
    return n;
}
static inline AstNode *mk_folded(Parser *p, AstKind kind, int nfields, size_t start, unsigned max, unsigned opt)
{
    return folded_at(p, kind, nfields, loc_span(p, start), max, opt);
}
/* An expression's node: its last token is the last one consumed (no NEWLINE, INDENT or
   DEDENT is part of an expression), so its span needs no walk back. */
static inline AstNode *mk_folded_expr(Parser *p, AstKind kind, int nfields, size_t start, unsigned max, unsigned opt)
{
    const PTok *a = &p->toks[start], *b = &p->toks[p->pos - 1];
    return folded_at(p, kind, nfields, (AstLoc){a->lineno, a->col_offset, b->end_lineno, b->end_col_offset}, max, opt);
}
static inline AstNode *mk_attribute(Parser *p, size_t start, AstNode *value, const char *attr)
{
    AstNode *n = mk_folded_expr(p, AST_Attribute, 3, start, value->depth, value->opt);
    if (!n) return NULL;
    n->f[F_Attribute_value].n = value;
    n->f[F_Attribute_attr].id = attr;
    n->f[F_Attribute_ctx].i = AST_Load;
    return n;
}
static inline AstNode *mk_call(Parser *p, size_t start, AstNode *func, AstSeq *args, AstSeq *keywords)
{
    unsigned max = func->depth, opt = func->opt;
    fold_seq(args, &max, &opt);
    fold_seq(keywords, &max, &opt);
    AstNode *n = mk_folded_expr(p, AST_Call, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_Call_func].n = func;
    n->f[F_Call_args].s = args;
    n->f[F_Call_keywords].s = keywords;
    return n;
}
static inline AstNode *mk_expr_stmt(Parser *p, size_t start, AstNode *value)
{
    AstNode *n = mk_folded(p, AST_Expr, 1, start, value->depth, value->opt);
    if (!n) return NULL;
    n->f[F_Expr_value].n = value;
    return n;
}
static inline AstNode *mk_assign(Parser *p, size_t start, AstSeq *targets, AstNode *value)
{
    unsigned max = value->depth, opt = value->opt;
    fold_seq(targets, &max, &opt);
    AstNode *n = mk_folded(p, AST_Assign, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_Assign_targets].s = targets;
    n->f[F_Assign_value].n = value;
    n->f[F_Assign_type_comment].id = NULL;
    return n;
}
static inline AstNode *mk_arg(Parser *p, size_t start, const char *id, AstNode *annotation)
{
    unsigned max = 0, opt = 0;
    if (annotation) fold_child(annotation, &max, &opt);
    AstNode *n = mk_folded_expr(p, AST_arg, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_arg_arg].id = id;
    n->f[F_arg_annotation].n = annotation;
    n->f[F_arg_type_comment].id = NULL;
    return n;
}
static inline AstNode *mk_keyword(Parser *p, size_t start, const char *arg, AstNode *value)
{
    AstNode *n = mk_folded_expr(p, AST_keyword, 2, start, value->depth, value->opt);
    if (!n) return NULL;
    n->f[F_keyword_arg].id = arg;
    n->f[F_keyword_value].n = value;
    return n;
}
static inline AstNode *mk_return(Parser *p, size_t start, AstNode *value)
{
    unsigned max = 0, opt = 0;
    fold_opt_child(value, &max, &opt);
    AstNode *n = mk_folded(p, AST_Return, 1, start, max, opt);
    if (!n) return NULL;
    n->f[F_Return_value].n = value;
    return n;
}
static inline AstNode *mk_if(Parser *p, size_t start, AstNode *test, AstSeq *body, AstSeq *orelse)
{
    unsigned max = test->depth, opt = test->opt;
    fold_seq(body, &max, &opt);
    fold_seq(orelse, &max, &opt);
    AstNode *n = mk_folded(p, AST_If, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_If_test].n = test;
    n->f[F_If_body].s = body;
    n->f[F_If_orelse].s = orelse;
    return n;
}
/* A List or Tuple (same fields) */
static inline AstNode *mk_elts(Parser *p, AstKind kind, size_t start, AstSeq *elts, int ctx)
{
    unsigned max = 0, opt = 0;
    fold_seq(elts, &max, &opt);
    AstNode *n = mk_folded_expr(p, kind, 2, start, max, opt);
    if (!n) return NULL;
    n->f[F_Tuple_elts].s = elts;
    n->f[F_Tuple_ctx].i = ctx;
    if (kind == AST_Tuple) n->opt = ast_opt_flags(n, opt);
    return n;
}
static inline AstNode *mk_binop(Parser *p, size_t start, AstNode *left, int op, AstNode *right)
{
    unsigned max = left->depth, opt = left->opt | right->opt;
    if (right->depth > max) max = right->depth;
    AstNode *n = mk_folded_expr(p, AST_BinOp, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_BinOp_left].n = left;
    n->f[F_BinOp_op].i = op;
    n->f[F_BinOp_right].n = right;
    n->opt = ast_opt_flags(n, opt);
    return n;
}
/* Subscript, UnaryOp and Compare have flags of their own (ast_opt_flags) */
static inline AstNode *mk_subscript(Parser *p, size_t start, AstNode *value, AstNode *slice)
{
    unsigned max = value->depth, opt = value->opt | slice->opt;
    if (slice->depth > max) max = slice->depth;
    AstNode *n = mk_folded_expr(p, AST_Subscript, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_Subscript_value].n = value;
    n->f[F_Subscript_slice].n = slice;
    n->f[F_Subscript_ctx].i = AST_Load;
    n->opt = ast_opt_flags(n, opt);
    return n;
}
static inline AstNode *mk_unaryop(Parser *p, size_t start, int op, AstNode *operand)
{
    AstNode *n = mk_folded_expr(p, AST_UnaryOp, 2, start, operand->depth, operand->opt);
    if (!n) return NULL;
    n->f[F_UnaryOp_op].i = op;
    n->f[F_UnaryOp_operand].n = operand;
    n->opt = ast_opt_flags(n, operand->opt);
    return n;
}
static inline AstNode *mk_compare(Parser *p, size_t start, AstNode *left, AstSeq *ops, AstSeq *comparators)
{
    unsigned max = left->depth, opt = left->opt;
    fold_seq(comparators, &max, &opt);
    AstNode *n = mk_folded_expr(p, AST_Compare, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_Compare_left].n = left;
    n->f[F_Compare_ops].s = ops;
    n->f[F_Compare_comparators].s = comparators;
    n->opt = ast_opt_flags(n, opt);
    return n;
}
/* FunctionDef or AsyncFunctionDef (same fields) */
static inline AstNode *mk_funcdef(Parser *p, AstKind kind, size_t start, const char *name, AstNode *args, AstSeq *body,
                                  AstSeq *decorators, AstNode *returns, AstSeq *type_params)
{
    unsigned max = args->depth, opt = args->opt;
    fold_seq(body, &max, &opt);
    fold_seq(decorators, &max, &opt);
    fold_opt_child(returns, &max, &opt);
    fold_seq(type_params, &max, &opt);
    AstNode *n = mk_folded(p, kind, 7, start, max, opt);
    if (!n) return NULL;
    n->f[F_FunctionDef_name].id = name;
    n->f[F_FunctionDef_args].n = args;
    n->f[F_FunctionDef_body].s = body;
    n->f[F_FunctionDef_decorator_list].s = decorators;
    n->f[F_FunctionDef_returns].n = returns;
    n->f[F_FunctionDef_type_comment].id = NULL;
    n->f[F_FunctionDef_type_params].s = type_params;
    return n;
}
static inline void fold_opt_seq(const AstSeq *s, unsigned *max, unsigned *opt)
{
    if (!s) return;   /* out of memory: raised */
    for (uint32_t k = 0; k < s->n; k++) fold_opt_child(s->items[k], max, opt);
}
static inline AstNode *mk_arguments(Parser *p, AstSeq *posonlyargs, AstSeq *args, AstNode *vararg, AstSeq *kwonlyargs,
                                    AstSeq *kw_defaults, AstNode *kwarg, AstSeq *defaults)
{
    unsigned max = 0, opt = 0;
    fold_seq(posonlyargs, &max, &opt);
    fold_seq(args, &max, &opt);
    fold_opt_child(vararg, &max, &opt);
    fold_seq(kwonlyargs, &max, &opt);
    fold_opt_seq(kw_defaults, &max, &opt);   /* None where a keyword-only parameter has no default */
    fold_opt_child(kwarg, &max, &opt);
    fold_seq(defaults, &max, &opt);
    AstNode *n = node_raw(p, AST_arguments, 7, (AstLoc){0, 0, 0, 0});
    if (!n) return NULL;
    n->depth = ast_depth_above(max);
    n->opt = (uint8_t)(opt & AST_OPT_VISIT);
    n->f[F_arguments_posonlyargs].s = posonlyargs;
    n->f[F_arguments_args].s = args;
    n->f[F_arguments_vararg].n = vararg;
    n->f[F_arguments_kwonlyargs].s = kwonlyargs;
    n->f[F_arguments_kw_defaults].s = kw_defaults;
    n->f[F_arguments_kwarg].n = kwarg;
    n->f[F_arguments_defaults].s = defaults;
    return n;
}
/* The arguments of `()` (no parameters): every list empty, depth 1, no flags (what
   mk_arguments gives them, without its walks over the empty lists). */
static inline AstNode *mk_arguments_empty(Parser *p)
{
    AstNode *n = node_raw(p, AST_arguments, 7, (AstLoc){0, 0, 0, 0});
    if (!n) return NULL;
    AstSeq *e = p->empty;
    n->depth = 1;
    n->opt = 0;
    n->f[F_arguments_posonlyargs].s = e;
    n->f[F_arguments_args].s = e;
    n->f[F_arguments_vararg].n = NULL;
    n->f[F_arguments_kwonlyargs].s = e;
    n->f[F_arguments_kw_defaults].s = e;
    n->f[F_arguments_kwarg].n = NULL;
    n->f[F_arguments_defaults].s = e;
    return n;
}
/* The next most frequent statements and expressions (alias, Import, ImportFrom, With, For,
   ClassDef, Raise, Dict, Slice), as mk_at builds them; of these only For has flags of its
   own (ast_opt_flags). */
static inline AstNode *mk_alias(Parser *p, size_t start, const char *name, const char *asname)
{
    AstNode *n = mk_folded(p, AST_alias, 2, start, 0, 0);
    if (!n) return NULL;
    n->f[F_alias_name].id = name;
    n->f[F_alias_asname].id = asname;
    return n;
}
static inline AstNode *mk_import(Parser *p, size_t start, AstSeq *names)
{
    unsigned max = 0, opt = 0;
    fold_seq(names, &max, &opt);
    AstNode *n = mk_folded(p, AST_Import, 1, start, max, opt);
    if (!n) return NULL;
    n->f[F_Import_names].s = names;
    return n;
}
static inline AstNode *mk_import_from(Parser *p, size_t start, const char *module, AstSeq *names, int level)
{
    unsigned max = 0, opt = 0;
    fold_seq(names, &max, &opt);
    AstNode *n = mk_folded(p, AST_ImportFrom, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_ImportFrom_module].id = module;
    n->f[F_ImportFrom_names].s = names;
    n->f[F_ImportFrom_level].i = level;
    return n;
}
/* With or AsyncWith (same fields) */
static inline AstNode *mk_with(Parser *p, AstKind kind, size_t start, AstSeq *items, AstSeq *body)
{
    unsigned max = 0, opt = 0;
    fold_seq(items, &max, &opt);
    fold_seq(body, &max, &opt);
    AstNode *n = mk_folded(p, kind, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_With_items].s = items;
    n->f[F_With_body].s = body;
    n->f[F_With_type_comment].id = NULL;
    return n;
}
/* For or AsyncFor (same fields) */
static inline AstNode *mk_for(Parser *p, AstKind kind, size_t start, AstNode *target, AstNode *iter, AstSeq *body,
                              AstSeq *orelse)
{
    unsigned max = target->depth, opt = target->opt;
    fold_child(iter, &max, &opt);
    fold_seq(body, &max, &opt);
    fold_seq(orelse, &max, &opt);
    AstNode *n = mk_folded(p, kind, 5, start, max, opt);
    if (!n) return NULL;
    n->f[F_For_target].n = target;
    n->f[F_For_iter].n = iter;
    n->f[F_For_body].s = body;
    n->f[F_For_orelse].s = orelse;
    n->f[F_For_type_comment].id = NULL;
    if (kind == AST_For) n->opt = ast_opt_flags(n, opt);
    return n;
}
static inline AstNode *mk_classdef(Parser *p, size_t start, const char *name, AstSeq *bases, AstSeq *keywords,
                                   AstSeq *body, AstSeq *decorators, AstSeq *type_params)
{
    unsigned max = 0, opt = 0;
    fold_seq(bases, &max, &opt);
    fold_seq(keywords, &max, &opt);
    fold_seq(body, &max, &opt);
    fold_seq(decorators, &max, &opt);
    fold_seq(type_params, &max, &opt);
    AstNode *n = mk_folded(p, AST_ClassDef, 6, start, max, opt);
    if (!n) return NULL;
    n->f[F_ClassDef_name].id = name;
    n->f[F_ClassDef_bases].s = bases;
    n->f[F_ClassDef_keywords].s = keywords;
    n->f[F_ClassDef_body].s = body;
    n->f[F_ClassDef_decorator_list].s = decorators;
    n->f[F_ClassDef_type_params].s = type_params;
    return n;
}
static inline AstNode *mk_raise(Parser *p, size_t start, AstNode *exc, AstNode *cause)
{
    unsigned max = 0, opt = 0;
    fold_opt_child(exc, &max, &opt);
    fold_opt_child(cause, &max, &opt);
    AstNode *n = mk_folded(p, AST_Raise, 2, start, max, opt);
    if (!n) return NULL;
    n->f[F_Raise_exc].n = exc;
    n->f[F_Raise_cause].n = cause;
    return n;
}
static inline AstNode *mk_dict(Parser *p, size_t start, AstSeq *keys, AstSeq *values)
{
    unsigned max = 0, opt = 0;
    fold_opt_seq(keys, &max, &opt);   /* None for a `**mapping` */
    fold_seq(values, &max, &opt);
    AstNode *n = mk_folded(p, AST_Dict, 2, start, max, opt);
    if (!n) return NULL;
    n->f[F_Dict_keys].s = keys;
    n->f[F_Dict_values].s = values;
    return n;
}
static inline AstNode *mk_slice(Parser *p, size_t start, AstNode *lower, AstNode *upper, AstNode *step)
{
    unsigned max = 0, opt = 0;
    fold_opt_child(lower, &max, &opt);
    fold_opt_child(upper, &max, &opt);
    fold_opt_child(step, &max, &opt);
    AstNode *n = mk_folded(p, AST_Slice, 3, start, max, opt);
    if (!n) return NULL;
    n->f[F_Slice_lower].n = lower;
    n->f[F_Slice_upper].n = upper;
    n->f[F_Slice_step].n = step;
    return n;
}
void *syntax_error(Parser *p, const char *type, AstLoc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A warning the first pass issues (the second one issues none, as CPython's): `time` is the
   byte of the source CPython's tokenizer has reached when it issues it (what places it among
   the tokenizer's warnings: the SourceWarning's pos), `key` what it is about (a literal met
   again is not warned about twice). */
void parse_warn(Parser *p, uint32_t time, int lineno, const void *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void *error_tok(Parser *p, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *error_node(Parser *p, const AstNode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *error_from(Parser *p, AstLoc from, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* RAISE_SYNTAX_ERROR: at the last token fetched by either pass. */
void *error_last(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *invalid_syntax(Parser *p);
/* Counts one more level of the parser's recursion; false (MemoryError raised) past the limit. */
bool too_deep(Parser *p, int n);
static inline bool enter_n(Parser *p, int n) { return (p->depth += n) <= PARSE_MAX_DEPTH || too_deep(p, n); }
static inline void leave_n(Parser *p, int n) { p->depth -= n; }
static inline bool enter(Parser *p) { return enter_n(p, 1); }
static inline void leave(Parser *p) { leave_n(p, 1); }
/* CPython's rules look n calls deeper from here (nothing held). */
static inline bool peak(Parser *p, int n) { return p->depth + n <= PARSE_MAX_DEPTH || (p->depth += n, too_deep(p, n)); }

#ifdef PARSE_FAST
/* parse_fast.c's names for its copies of the rules' functions (one added without a name
   here is defined twice: the link fails) */
#define can_start_expr fast_can_start_expr
#define star_expressions fast_star_expressions
#define star_expression_head_parses fast_star_expression_head_parses
#define named_expression fast_named_expression
#define expression fast_expression
#define disjunction fast_disjunction
#define bitwise_or fast_bitwise_or
#define primary fast_primary
#define star_bitwise_or fast_star_bitwise_or
#define yield_expr fast_yield_expr
#define star_targets fast_star_targets
#define star_target fast_star_target
#define arguments_params fast_arguments_params
#define call_args fast_call_args
#define set_context fast_set_context
#define invalid_target fast_invalid_target
#define for_target_error fast_for_target_error
#define expr_description fast_expr_description
#define type_params_opt fast_type_params_opt
#define statements_until fast_statements_until
#define block fast_block
#define block_after fast_block_after
#define strings fast_strings
#define parse_number fast_parse_number
#define match_stmt fast_match_stmt
#else
/* The first pass's statements (parse_fast.c: statements_until without counting looks). */
AstSeq *fast_statements_until(Parser *p, int end_type);
#endif

/* expressions (parse_expr.c) */
bool can_start_expr(Parser *p);   /* the current token may begin an expression */
AstNode *star_expressions(Parser *p);
bool star_expression_head_parses(Parser *p);
AstNode *named_expression(Parser *p);
AstNode *expression(Parser *p);
AstNode *disjunction(Parser *p);
AstNode *bitwise_or(Parser *p);
AstNode *primary(Parser *p);
AstNode *star_bitwise_or(Parser *p);   /* '*' bitwise_or, at the '*' */
static inline AstNode *star_expression(Parser *p) { return at(p, TOK_STAR) ? star_bitwise_or(p) : expression(p); }
AstNode *yield_expr(Parser *p);
AstNode *named_expression(Parser *p);
static inline AstNode *star_named_expression(Parser *p) { return at(p, TOK_STAR) ? star_bitwise_or(p) : named_expression(p); }
static inline AstNode *annotated_rhs(Parser *p) { return at_kw(p, KW_yield) ? yield_expr(p) : star_expressions(p); }
AstNode *star_targets(Parser *p);
AstNode *star_target(Parser *p);
AstNode *arguments_params(Parser *p, bool lambda);
AstSeq *call_args(Parser *p, AstSeq **keywords, size_t open);
AstNode *set_context(Parser *p, AstNode *e, int ctx);
/* The first part of e that cannot take context ctx (AST_Store, AST_Del or TARGETS_FOR, a
   for loop's targets), or NULL. */
enum { TARGETS_FOR = -1 };
AstNode *invalid_target(AstNode *e, int ctx);
void for_target_error(Parser *p, size_t tstart);
const char *expr_description(const AstNode *e);
AstSeq *type_params_opt(Parser *p);

/* strings and numbers (parse_str.c) */
AstNode *strings(Parser *p);
Value *parse_number(Parser *p, size_t i);

/* statements (parse_stmt.c) */
AstSeq *statements_until(Parser *p, int end_type);
AstSeq *block(Parser *p);
/* block, naming the statement ("'case' statement") and its line in its IndentationError */
AstSeq *block_after(Parser *p, const char *what, int line);

/* patterns (parse_pattern.c) */
AstNode *match_stmt(Parser *p);

#endif
