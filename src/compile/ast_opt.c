/* ast_opt.c - the AST optimizer of CPython 3.13 (Python/ast_opt.c): constant folding of
   operators, subscripts and tuples, `in` over list and set literals, `%`-formatting to
   f-strings and __debug__, in place, as ast.parse(src, optimize=N) returns it. */
#include <string.h>

#include "compile.h"

typedef struct Opt {
    Arena *a;
    const cpyc_target *target;
    int optimize;
    unsigned features;      /* CO_FUTURE_*: annotations are not folded under `annotations` */
    int level;              /* statements, expressions and patterns entered (CPython's count) */
    bool oom, too_deep;
} Opt;

/* CPython 3.13 raises RecursionError past this many nested statements, expressions and
   patterns (Py_C_RECURSION_LIMIT less what ast.parse's own C calls have used). */
enum { AST_OPT_MAX_LEVEL = 9997 };

static bool counts_level(int kind)
{
    return (kind >= AST_FunctionDef && kind <= AST_Continue) || (kind >= AST_BoolOp && kind <= AST_Slice) ||
           (kind >= AST_MatchValue && kind <= AST_MatchOr);
}

static AstNode *fold(Opt *o, AstNode *n);

static AstLoc loc_at(const AstNode *n) { return (AstLoc){n->lineno, n->col_offset, n->end_lineno, n->end_col_offset}; }

/* A Constant holding v where `at` was (make_const); NULL v leaves `at` as it is. */
static AstNode *make_const(Opt *o, AstNode *at, Value *v)
{
    if (!v) return at;
    AstNode *c = ast_node(o->a, AST_Constant, loc_at(at));
    if (!c) { o->oom = true; return at; }
    c->f[F_Constant_value].v = v;
    ast_set_depth(c);
    return c;
}

/* What a const_* evaluator answered: the folded node, or `at` when it stays. */
static AstNode *folded(Opt *o, AstNode *at, int rc, Value *v)
{
    if (rc < 0) { o->oom = true; return at; }
    return make_const(o, at, v);
}

static bool is_const(const AstNode *n) { return n && n->kind == AST_Constant; }

static bool has_starred(const AstSeq *s)
{
    for (uint32_t k = 0; s && k < s->n; k++)
        if (((const AstNode *)s->items[k])->kind == AST_Starred) return true;
    return false;
}

/* The Values of a sequence of Constants, or NULL when one is not a Constant. */
static Value **const_items(Opt *o, const AstSeq *s, size_t *n)
{
    *n = s ? s->n : 0;
    Value **items = arena_alloc(o->a, (*n ? *n : 1) * sizeof *items);
    if (!items) { o->oom = true; return NULL; }
    for (size_t k = 0; k < *n; k++) {
        const AstNode *e = s->items[k];
        if (!is_const(e)) return NULL;
        items[k] = e->f[F_Constant_value].v;
    }
    return items;
}

static Value *const_tuple_from(Opt *o, const AstSeq *s)
{
    size_t n;
    Value **items = const_items(o, s, &n);
    if (!items) return NULL;
    Value *v = const_tuple(o->a, items, n);
    if (!v) o->oom = true;
    return v;
}

/* `not (a is b)` becomes `a is not b`, and so for in; Eq and the orders are left alone. */
static AstNode *fold_unaryop(Opt *o, AstNode *n)
{
    AstNode *arg = n->f[F_UnaryOp_operand].n;
    int op = (int)n->f[F_UnaryOp_op].i;
    if (is_const(arg)) {
        Value *v;
        int rc = const_unaryop(o->a, op, arg->f[F_Constant_value].v, &v);
        return folded(o, n, rc, v);
    }
    if (op == AST_Not && arg->kind == AST_Compare && arg->f[F_Compare_ops].s->n == 1) {
        AstSeq *ops = arg->f[F_Compare_ops].s;
        intptr_t cmp = (intptr_t)ops->items[0], inv = 0;
        if (cmp == AST_Is) inv = AST_IsNot;
        else if (cmp == AST_IsNot) inv = AST_Is;
        else if (cmp == AST_In) inv = AST_NotIn;
        else if (cmp == AST_NotIn) inv = AST_In;
        if (inv) {
            ops->items[0] = (void *)inv;
            return arg;   /* the comparison replaces the `not`, with its own location */
        }
    }
    return n;
}

static AstNode *str_constant(Opt *o, const char *s, size_t len)
{
    static const AstLoc none = {-1, -1, -1, -1};
    Value *v = const_str(o->a, s, len);
    AstNode *c = ast_node(o->a, AST_Constant, none);
    if (!v || !c) { o->oom = true; return NULL; }
    c->f[F_Constant_value].v = v;
    ast_set_depth(c);
    return c;
}

/* The literal text from *pos up to the next lone '%' ("%%" read as '%'), or NULL when empty. */
static AstNode *format_literal(Opt *o, const char *s, size_t len, size_t *pos)
{
    size_t start = *pos, p = start, n = 0;
    bool replaced = false;
    char *text = arena_alloc(o->a, len - start + 1);
    if (!text) { o->oom = true; return NULL; }
    while (p < len) {
        if (s[p] != '%') text[n++] = s[p++];
        else if (p + 1 < len && s[p + 1] == '%') { text[n++] = '%'; p += 2; replaced = true; }
        else break;
    }
    *pos = p;
    if (p == start) return NULL;
    AstNode *c = str_constant(o, text, n);
    /* CPython's str.replace allocates its result: a "%%" piece gives a new '%' object */
    if (c && replaced) c->f[F_Constant_value].v->fresh = 1;
    return c;
}

/* One conversion after '%': flags, up to two width digits, '.' and up to two precision
   digits, then s, r or a. A FormattedValue of arg, or NULL when unsupported. */
static AstNode *format_unit(Opt *o, const char *s, size_t len, size_t *pos, AstNode *arg)
{
    size_t p = *pos;
    int width = -1, prec = -1, digits;
    bool ljust = false;
    unsigned char ch;
#define NEXTC() do { if (p >= len) return NULL; ch = (unsigned char)s[p++]; } while (0)
    for (;;) {
        NEXTC();
        if (ch == '-') ljust = true;
        else if (ch != '+' && ch != ' ' && ch != '#' && ch != '0') break;
    }
    if (ch >= '0' && ch <= '9') {
        width = 0;
        for (digits = 0; ch >= '0' && ch <= '9';) {
            width = width * 10 + (ch - '0');
            NEXTC();
            if (++digits >= 3) return NULL;
        }
    }
    if (ch == '.') {
        NEXTC();
        prec = 0;
        for (digits = 0; ch >= '0' && ch <= '9';) {
            prec = prec * 10 + (ch - '0');
            NEXTC();
            if (++digits >= 3) return NULL;
        }
    }
#undef NEXTC
    *pos = p;
    if (ch != 's' && ch != 'r' && ch != 'a') return NULL;
    char spec[16];
    int k = 0;
    if (!ljust && width > 0) spec[k++] = '>';
    if (width >= 0) k += snprintf(spec + k, sizeof spec - (size_t)k, "%d", width);
    if (prec >= 0) k += snprintf(spec + k, sizeof spec - (size_t)k, ".%d", prec);
    AstNode *fv = ast_node(o->a, AST_FormattedValue, loc_at(arg));
    if (!fv) { o->oom = true; return NULL; }
    fv->f[F_FormattedValue_value].n = arg;
    fv->f[F_FormattedValue_conversion].i = ch;
    if (k && !(fv->f[F_FormattedValue_format_spec].n = str_constant(o, spec, (size_t)k))) return NULL;
    ast_set_depth(fv);
    return fv;
}

/* 'fmt' % (a, b) with only %s, %r and %a units, one per item, as a JoinedStr (optimize_format). */
static AstNode *optimize_format(Opt *o, AstNode *n, const Value *fmt, const AstSeq *elts)
{
    const char *s = (const char *)fmt->u.s.data;
    size_t len = fmt->u.s.len, pos = 0, cnt = 0, nelts = elts ? elts->n : 0;
    AstSeq *seq = ast_seq(o->a, nelts * 2 + 1);
    if (!seq) { o->oom = true; return n; }
    seq->n = 0;
    for (;;) {
        AstNode *lit = format_literal(o, s, len, &pos);
        if (o->oom) return n;
        if (lit) seq->items[seq->n++] = lit;
        if (pos >= len) break;
        if (cnt >= nelts) return n;   /* more units than items */
        pos++;   /* the '%' */
        AstNode *fv = format_unit(o, s, len, &pos, elts->items[cnt++]);
        if (!fv) return n;
        seq->items[seq->n++] = fv;
    }
    if (cnt < nelts) return n;   /* more items than units */
    AstNode *js = ast_node(o->a, AST_JoinedStr, loc_at(n));
    if (!js) { o->oom = true; return n; }
    js->f[F_JoinedStr_values].s = seq;
    ast_set_depth(js);
    return js;
}

static AstNode *fold_binop(Opt *o, AstNode *n)
{
    AstNode *l = n->f[F_BinOp_left].n, *r = n->f[F_BinOp_right].n;
    int op = (int)n->f[F_BinOp_op].i;
    if (!is_const(l)) return n;
    Value *lv = l->f[F_Constant_value].v;
    if (op == AST_Mod && r->kind == AST_Tuple && lv->kind == V_STR && !has_starred(r->f[F_Tuple_elts].s))
        return optimize_format(o, n, lv, r->f[F_Tuple_elts].s);
    if (!is_const(r) || op == AST_MatMult) return n;
    Value *v;
    int rc = const_binop(o->a, op, lv, r->f[F_Constant_value].v, &v);
    return folded(o, n, rc, v);
}

static AstNode *fold_subscript(Opt *o, AstNode *n)
{
    AstNode *v = n->f[F_Subscript_value].n, *idx = n->f[F_Subscript_slice].n;
    if (n->f[F_Subscript_ctx].i != AST_Load || !is_const(v) || !is_const(idx)) return n;
    Value *res;
    int rc = const_subscript(o->a, v->f[F_Constant_value].v, idx->f[F_Constant_value].v, &res);
    return folded(o, n, rc, res);
}

/* A list display iterated or tested with `in` becomes a tuple, a constant one if it can;
   a set display of constants becomes a frozenset (fold_iter). */
static AstNode *fold_iter(Opt *o, AstNode *n)
{
    if (n->kind == AST_List) {
        if (has_starred(n->f[F_List_elts].s)) return n;
        n->kind = AST_Tuple;   /* same fields: elts, ctx */
        return make_const(o, n, const_tuple_from(o, n->f[F_Tuple_elts].s));
    }
    if (n->kind == AST_Set) {
        size_t k;
        Value **items = const_items(o, n->f[F_Set_elts].s, &k);
        if (!items) return n;
        Value *fs = const_frozenset_of(o->a, o->target, items, k);
        if (!fs) { o->oom = true; return n; }
        return make_const(o, n, fs);
    }
    return n;
}

/* A body's first statement is its docstring when it is an expression holding a str. */
static bool has_docstring(const AstSeq *body)
{
    if (!body || !body->n) return false;
    const AstNode *s = body->items[0];
    return s->kind == AST_Expr && is_const(s->f[F_Expr_value].n) &&
           s->f[F_Expr_value].n->f[F_Constant_value].v->kind == V_STR;
}

/* The body field of nodes that have a docstring, or -1. */
static int body_field(int kind)
{
    switch (kind) {
    case AST_Module: return F_Module_body;
    case AST_FunctionDef: case AST_AsyncFunctionDef: return F_FunctionDef_body;
    case AST_ClassDef: return F_ClassDef_body;
    default: return -1;
    }
}

/* Annotations are left as written under `from __future__ import annotations`. */
static bool skip_field(const Opt *o, int kind, int i)
{
    if (!(o->features & CO_FUTURE_ANNOTATIONS)) return false;
    return (kind == AST_arg && i == F_arg_annotation) || (kind == AST_AnnAssign && i == F_AnnAssign_annotation) ||
           ((kind == AST_FunctionDef || kind == AST_AsyncFunctionDef) && i == F_FunctionDef_returns);
}

static bool is_debug_name(const AstNode *n)
{
    const char *id = n->f[F_Name_id].id;
    return id[0] == '_' && id[1] == '_' && n->f[F_Name_ctx].i == AST_Load && strcmp(id, "__debug__") == 0;
}


/* A child folded. Subtrees with nothing to change (AST_OPT_VISIT clear) are passed by
   unless they are deep enough to reach the limit (their depth bounds the levels fold
   would count in them); leaves (constants, names) are counted without the call. */
static inline AstNode *fold_child(Opt *o, AstNode *c)
{
    if (!(c->opt & AST_OPT_VISIT) && o->level + c->depth <= AST_OPT_MAX_LEVEL) return c;
    if (c->kind == AST_Constant || (c->kind == AST_Name && !is_debug_name(c))) {
        if (o->level >= AST_OPT_MAX_LEVEL) o->too_deep = o->oom = true;   /* as fold's count */
        return c;
    }
    return fold(o, c);
}

/* Folds n's children; returns the depth n has over them (what ast_set_depth would set). */
static uint16_t fold_children(Opt *o, AstNode *n)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    bool skips = o->features & CO_FUTURE_ANNOTATIONS;
    unsigned max = 0;
    for (unsigned m = d->node_fields | d->seq_fields; m && !o->oom; m &= m - 1) {
        int i = __builtin_ctz(m);
        bool skip = skips && skip_field(o, n->kind, i);
        if (d->node_fields >> i & 1) {
            AstNode *c = n->f[i].n;
            if (!c) continue;
            if (!skip) c = n->f[i].n = fold_child(o, c);
            if (c->depth > max) max = c->depth;
        } else {
            AstSeq *s = n->f[i].s;
            for (uint32_t k = 0; s && k < s->n && !o->oom; k++) {
                AstNode *c = s->items[k];
                if (!c) continue;
                if (!skip) c = s->items[k] = fold_child(o, c);
                if (c->depth > max) max = c->depth;
            }
        }
    }
    return ast_depth_above(max);
}

static AstNode *fold_node(Opt *o, AstNode *n);

/* Folds n's subtree; returns what replaces n in its parent. */
static AstNode *fold(Opt *o, AstNode *n)
{
    bool counted = counts_level(n->kind);
    if (counted && ++o->level > AST_OPT_MAX_LEVEL) {
        o->too_deep = o->oom = true;   /* oom stops the walk */
        return n;
    }
    AstNode *r = fold_node(o, n);
    o->level -= counted;
    return r;
}

/* The children first, then n's own rewrite (CPython's astfold_* with the fold_* after). */
static AstNode *fold_node(Opt *o, AstNode *n)
{
    int bf = body_field(n->kind);
    bool had_doc = bf >= 0 && has_docstring(n->f[bf].s);
    n->depth = fold_children(o, n);
    if (o->oom) return n;
    if (bf >= 0 && !had_doc && has_docstring(n->f[bf].s)) {
        /* a str made by folding is not a docstring: CPython wraps it in a JoinedStr */
        AstNode *st = n->f[bf].s->items[0];
        AstNode *js = ast_node(o->a, AST_JoinedStr, loc_at(st));
        AstSeq *vals = ast_seq(o->a, 1);
        if (!js || !vals) { o->oom = true; return n; }
        vals->items[0] = st->f[F_Expr_value].n;
        js->f[F_JoinedStr_values].s = vals;
        ast_set_depth(js);
        st->f[F_Expr_value].n = js;
        ast_set_depth(st);
        ast_set_depth(n);
    }
    switch (n->kind) {
    case AST_BinOp: return fold_binop(o, n);
    case AST_UnaryOp: return fold_unaryop(o, n);
    case AST_Subscript: return fold_subscript(o, n);
    case AST_Tuple:
        if (n->f[F_Tuple_ctx].i != AST_Load) return n;
        return make_const(o, n, const_tuple_from(o, n->f[F_Tuple_elts].s));
    case AST_Compare: {
        AstSeq *ops = n->f[F_Compare_ops].s, *cmp = n->f[F_Compare_comparators].s;
        intptr_t last = (intptr_t)ops->items[ops->n - 1];
        if (last == AST_In || last == AST_NotIn) {
            cmp->items[cmp->n - 1] = fold_iter(o, cmp->items[cmp->n - 1]);
            ast_set_depth(n);
        }
        return n;
    }
    case AST_Name:
        if (is_debug_name(n)) {
            Value *v = const_bool(o->a, !o->optimize);
            if (!v) { o->oom = true; return n; }
            return make_const(o, n, v);
        }
        return n;
    case AST_For:
        n->f[F_For_iter].n = fold_iter(o, n->f[F_For_iter].n);
        ast_set_depth(n);
        return n;
    case AST_comprehension:
        n->f[F_comprehension_iter].n = fold_iter(o, n->f[F_comprehension_iter].n);
        ast_set_depth(n);
        return n;
    default:
        return n;
    }
}

int ast_optimize(AstNode *mod, Arena *a, const CompileOptions *opt, const FutureFeatures *ff, cpyc_error *err)
{
    Opt o = {a, opt->target, opt->optimize, ff ? ff->features : 0, 0, false, false};
    fold(&o, mod);
    if (o.too_deep) {
        error_at(err, CPYC_ERR_SYNTAX, -1, "maximum recursion depth exceeded during compilation");
        snprintf(err->exc_type, sizeof err->exc_type, "RecursionError");
        return -1;
    }
    if (o.oom) {
        error_at(err, CPYC_ERR_MEMORY, -1, "out of memory in the AST optimizer");
        snprintf(err->exc_type, sizeof err->exc_type, "MemoryError");
        return -1;
    }
    return 0;
}
