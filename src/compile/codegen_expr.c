/* codegen_expr.c - expressions: names, operators, boolean jumps, containers with their
   starred and "big" forms, calls (methods, super(), keywords, star-args), f-strings,
   subscripts and slices, yield/await, comprehensions (PEP 709 inlining). */
#include <limits.h>
#include <string.h>

#include "codegen_internal.h"

static SrcLoc LOC(const AstNode *n) { return loc_of(n); }

static bool is_const(const AstNode *e) { return e && e->kind == AST_Constant; }

static bool all_const(const AstSeq *s, uint32_t begin, uint32_t end)
{
    for (uint32_t i = begin; i < end; i++)
        if (!is_const(seq_at(s, i))) return false;
    return true;
}

int cg_exprs(Compiler *c, const AstSeq *s)
{
    for (uint32_t i = 0, n_ = seq_len(s); i < n_; i++) RET(cg_expr(c, seq_at(s, i)));
    return 0;
}

/* ------------------------------------------------------------------ operators */

int cg_binop(Compiler *c, SrcLoc loc, int op, bool inplace)
{
    int arg;
    switch (op) {   /* NB_* of Include/internal/pycore_opcode_utils.h; in-place = +13 */
    case AST_Add: arg = 0; break;
    case AST_BitAnd: arg = 1; break;
    case AST_FloorDiv: arg = 2; break;
    case AST_LShift: arg = 3; break;
    case AST_MatMult: arg = 4; break;
    case AST_Mult: arg = 5; break;
    case AST_Mod: arg = 6; break;
    case AST_BitOr: arg = 7; break;
    case AST_Pow: arg = 8; break;
    case AST_RShift: arg = 9; break;
    case AST_Sub: arg = 10; break;
    case AST_Div: arg = 11; break;
    case AST_BitXor: arg = 12; break;
    default: return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: binary op %d", op);
    }
    return cg_opi(c, loc, OP_BINARY_OP, inplace ? arg + 13 : arg);
}

int cg_addcompare(Compiler *c, SrcLoc loc, int op)
{
    /* Py_LT..Py_GE and the comparison masks of COMPARE_OP's low bits */
    enum { LT = 0, LE, EQ, NE, GT, GE };
    static const int masks[] = {[LT] = 2, [LE] = 2 | 8, [EQ] = 8, [NE] = 1 | 2 | 4, [GT] = 4, [GE] = 4 | 8};
    int cmp;
    switch (op) {
    case AST_Eq: cmp = EQ; break;
    case AST_NotEq: cmp = NE; break;
    case AST_Lt: cmp = LT; break;
    case AST_LtE: cmp = LE; break;
    case AST_Gt: cmp = GT; break;
    case AST_GtE: cmp = GE; break;
    case AST_Is: return cg_opi(c, loc, OP_IS_OP, 0);
    case AST_IsNot: return cg_opi(c, loc, OP_IS_OP, 1);
    case AST_In: return cg_opi(c, loc, OP_CONTAINS_OP, 0);
    case AST_NotIn: return cg_opi(c, loc, OP_CONTAINS_OP, 1);
    default: return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: compare op %d", op);
    }
    return cg_opi(c, loc, OP_COMPARE_OP, cmp << 5 | masks[cmp]);
}

static int cmp_op(const AstNode *e, uint32_t i) { return (int)(intptr_t)FS(e, Compare, ops)->items[i]; }

int cg_jump_if(Compiler *c, SrcLoc loc, const AstNode *e, int next, bool cond)
{
    switch (e->kind) {
    case AST_UnaryOp:
        if (FI(e, UnaryOp, op) == AST_Not) return cg_jump_if(c, loc, FN(e, UnaryOp, operand), next, !cond);
        break;
    case AST_BoolOp: {
        const AstSeq *s = FS(e, BoolOp, values);
        uint32_t n = s->n - 1;
        bool cond2 = FI(e, BoolOp, op) == AST_Or;
        int next2 = next;
        if (cond2 != cond) RET(next2 = cg_label(c));
        for (uint32_t i = 0; i < n; i++) RET(cg_jump_if(c, loc, seq_at(s, i), next2, cond2));
        RET(cg_jump_if(c, loc, seq_at(s, n), next, cond));
        if (next2 != next) RET(cg_use_label(c, next2));
        return 0;
    }
    case AST_IfExp: {
        int end = cg_label(c), next2 = cg_label(c);
        if (end < 0 || next2 < 0) return -1;
        RET(cg_jump_if(c, loc, FN(e, IfExp, test), next2, false));
        RET(cg_jump_if(c, loc, FN(e, IfExp, body), next, cond));
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
        RET(cg_use_label(c, next2));
        RET(cg_jump_if(c, loc, FN(e, IfExp, orelse), next, cond));
        return cg_use_label(c, end);
    }
    case AST_Compare: {
        const AstSeq *comps = FS(e, Compare, comparators);
        uint32_t n = comps->n - 1;
        if (n == 0) break;
        cg_check_compare(c, e);
        SrcLoc l = LOC(e);
        int cleanup = cg_label(c);
        RET(cleanup);
        RET(cg_expr(c, FN(e, Compare, left)));
        for (uint32_t i = 0; i < n; i++) {
            RET(cg_expr(c, seq_at(comps, i)));
            RET(cg_opi(c, l, OP_SWAP, 2));
            RET(cg_opi(c, l, OP_COPY, 2));
            RET(cg_addcompare(c, l, cmp_op(e, i)));
            RET(cg_op(c, l, OP_TO_BOOL));
            RET(cg_jump(c, l, OP_POP_JUMP_IF_FALSE, cleanup));
        }
        RET(cg_expr(c, seq_at(comps, n)));
        RET(cg_addcompare(c, l, cmp_op(e, n)));
        RET(cg_op(c, l, OP_TO_BOOL));
        RET(cg_jump(c, l, cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, next));
        int end = cg_label(c);
        RET(end);
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
        RET(cg_use_label(c, cleanup));
        RET(cg_op(c, l, OP_POP_TOP));
        if (!cond) RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, next));
        return cg_use_label(c, end);
    }
    default:
        break;
    }
    RET(cg_expr(c, e));
    RET(cg_op(c, LOC(e), OP_TO_BOOL));
    return cg_jump(c, LOC(e), cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, next);
}

static __attribute__((noinline)) int cg_boolop(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    int jumpi = FI(e, BoolOp, op) == AST_And ? OP_POP_JUMP_IF_FALSE : OP_POP_JUMP_IF_TRUE;
    int end = cg_label(c);
    RET(end);
    const AstSeq *s = FS(e, BoolOp, values);
    uint32_t n = s->n - 1;
    for (uint32_t i = 0; i < n; i++) {
        RET(cg_expr(c, seq_at(s, i)));
        RET(cg_opi(c, loc, OP_COPY, 1));
        RET(cg_op(c, loc, OP_TO_BOOL));
        RET(cg_jump(c, loc, jumpi, end));
        RET(cg_op(c, loc, OP_POP_TOP));
    }
    RET(cg_expr(c, seq_at(s, n)));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_compare(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    const AstSeq *comps = FS(e, Compare, comparators);
    cg_check_compare(c, e);
    RET(cg_expr(c, FN(e, Compare, left)));
    uint32_t n = comps->n - 1;
    if (n == 0) {
        RET(cg_expr(c, seq_at(comps, 0)));
        return cg_addcompare(c, loc, cmp_op(e, 0));
    }
    int cleanup = cg_label(c), end = cg_label(c);
    if (cleanup < 0 || end < 0) return -1;
    for (uint32_t i = 0; i < n; i++) {
        RET(cg_expr(c, seq_at(comps, i)));
        RET(cg_opi(c, loc, OP_SWAP, 2));
        RET(cg_opi(c, loc, OP_COPY, 2));
        RET(cg_addcompare(c, loc, cmp_op(e, i)));
        RET(cg_opi(c, loc, OP_COPY, 1));
        RET(cg_op(c, loc, OP_TO_BOOL));
        RET(cg_jump(c, loc, OP_POP_JUMP_IF_FALSE, cleanup));
        RET(cg_op(c, loc, OP_POP_TOP));
    }
    RET(cg_expr(c, seq_at(comps, n)));
    RET(cg_addcompare(c, loc, cmp_op(e, n)));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
    RET(cg_use_label(c, cleanup));
    RET(cg_opi(c, loc, OP_SWAP, 2));
    RET(cg_op(c, loc, OP_POP_TOP));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_ifexp(Compiler *c, const AstNode *e)
{
    int end = cg_label(c), next = cg_label(c);
    if (end < 0 || next < 0) return -1;
    RET(cg_jump_if(c, LOC(e), FN(e, IfExp, test), next, false));
    RET(cg_expr(c, FN(e, IfExp, body)));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
    RET(cg_use_label(c, next));
    RET(cg_expr(c, FN(e, IfExp, orelse)));
    return cg_use_label(c, end);
}

/* ------------------------------------------------------------------ containers */

static Value *const_items_tuple(Compiler *c, const AstSeq *elts, uint32_t begin, uint32_t end)
{
    Value **items = arena_alloc(c->arena, (end - begin + 1) * sizeof *items);
    if (!items) return NULL;
    for (uint32_t i = begin; i < end; i++) items[i - begin] = FV(seq_at(elts, i), Constant, value);
    return const_tuple(c->arena, items, end - begin);
}

/* BUILD_LIST/SET/TUPLE of elts above `pushed` values, with *unpacking and the "big" form. */
static int starunpack_helper(Compiler *c, SrcLoc loc, const AstSeq *elts, int pushed, int build,
                             int add, int extend, bool tuple)
{
    uint32_t n = seq_len(elts);
    if (n > 2 && all_const(elts, 0, n)) {
        Value *folded = const_items_tuple(c, elts, 0, n);
        if (!folded) return cg_nomem(c);
        if (tuple && !pushed) return cg_load_const(c, loc, folded);
        if (add == OP_SET_ADD) {
            folded = const_frozenset_of(c->arena, c->opt->target, folded->u.seq.items, folded->u.seq.n);
            if (!folded) return cg_nomem(c);
        }
        RET(cg_opi(c, loc, build, pushed));
        RET(cg_load_const(c, loc, folded));
        RET(cg_opi(c, loc, extend, 1));
        if (tuple) RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_LIST_TO_TUPLE));
        return 0;
    }
    bool big = n + (uint32_t)pushed > STACK_USE_GUIDELINE, seen_star = false;
    for (uint32_t i = 0; i < n; i++)
        if (seq_at(elts, i)->kind == AST_Starred) { seen_star = true; break; }
    if (!seen_star && !big) {
        RET(cg_exprs(c, elts));
        return cg_opi(c, loc, tuple ? OP_BUILD_TUPLE : build, (int)n + pushed);
    }
    bool built = false;
    if (big) {
        RET(cg_opi(c, loc, build, pushed));
        built = true;
    }
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *elt = seq_at(elts, i);
        if (elt->kind == AST_Starred) {
            if (!built) {
                RET(cg_opi(c, loc, build, (int)i + pushed));
                built = true;
            }
            RET(cg_expr(c, FN(elt, Starred, value)));
            RET(cg_opi(c, loc, extend, 1));
        } else {
            RET(cg_expr(c, elt));
            if (built) RET(cg_opi(c, loc, add, 1));
        }
    }
    if (tuple) RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_LIST_TO_TUPLE));
    return 0;
}

int cg_unpack(Compiler *c, SrcLoc loc, const AstSeq *elts, int star_kind, const char *what)
{
    uint32_t n = seq_len(elts);
    bool seen_star = false;
    for (uint32_t i = 0; i < n; i++) {
        if (seq_at(elts, i)->kind != star_kind) continue;
        if (seen_star) return cg_error(c, loc, "multiple starred expressions in %s", what);
        if (i >= (1u << 8) || n - i - 1 >= ((unsigned)INT_MAX >> 8))
            return cg_error(c, loc, "too many expressions in star-unpacking %s", what);
        RET(cg_opi(c, loc, OP_UNPACK_EX, (int)(i + ((n - i - 1) << 8))));
        seen_star = true;
    }
    return seen_star ? 0 : cg_opi(c, loc, OP_UNPACK_SEQUENCE, (int)n);
}

static int assignment_helper(Compiler *c, SrcLoc loc, const AstSeq *elts)
{
    RET(cg_unpack(c, loc, elts, AST_Starred, "assignment"));
    for (uint32_t i = 0, n_ = seq_len(elts); i < n_; i++) {
        const AstNode *elt = seq_at(elts, i);
        RET(cg_expr(c, elt->kind == AST_Starred ? FN(elt, Starred, value) : elt));
    }
    return 0;
}

static __attribute__((noinline)) int cg_list_or_tuple(Compiler *c, const AstNode *e, bool tuple)
{
    const AstSeq *elts = FS(e, List, elts);   /* List and Tuple share their layout */
    int ctx = (int)FI(e, List, ctx);
    if (ctx == AST_Store) return assignment_helper(c, LOC(e), elts);
    if (ctx == AST_Load)
        return starunpack_helper(c, LOC(e), elts, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, tuple);
    return cg_exprs(c, elts);
}

static int subdict(Compiler *c, const AstNode *e, uint32_t begin, uint32_t end)
{
    SrcLoc loc = LOC(e);
    const AstSeq *keys = FS(e, Dict, keys), *values = FS(e, Dict, values);
    uint32_t n = end - begin;
    bool big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big && all_const(keys, begin, end)) {
        for (uint32_t i = begin; i < end; i++) RET(cg_expr(c, seq_at(values, i)));
        Value *kt = const_items_tuple(c, keys, begin, end);
        if (!kt) return cg_nomem(c);
        RET(cg_load_const(c, loc, kt));
        return cg_opi(c, loc, OP_BUILD_CONST_KEY_MAP, (int)n);
    }
    if (big) RET(cg_opi(c, loc, OP_BUILD_MAP, 0));
    for (uint32_t i = begin; i < end; i++) {
        RET(cg_expr(c, seq_at(keys, i)));
        RET(cg_expr(c, seq_at(values, i)));
        if (big) RET(cg_opi(c, loc, OP_MAP_ADD, 1));
    }
    if (!big) RET(cg_opi(c, loc, OP_BUILD_MAP, (int)n));
    return 0;
}

static __attribute__((noinline)) int cg_dict(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    const AstSeq *keys = FS(e, Dict, keys), *values = FS(e, Dict, values);
    uint32_t n = seq_len(values), elements = 0;
    bool have_dict = false;
    for (uint32_t i = 0; i < n; i++) {
        if (!keys->items[i]) {   /* **unpacking */
            if (elements) {
                RET(subdict(c, e, i - elements, i));
                if (have_dict) RET(cg_opi(c, loc, OP_DICT_UPDATE, 1));
                have_dict = true;
                elements = 0;
            }
            if (!have_dict) {
                RET(cg_opi(c, loc, OP_BUILD_MAP, 0));
                have_dict = true;
            }
            RET(cg_expr(c, seq_at(values, i)));
            RET(cg_opi(c, loc, OP_DICT_UPDATE, 1));
        } else if (elements * 2 > STACK_USE_GUIDELINE) {
            RET(subdict(c, e, i - elements, i + 1));
            if (have_dict) RET(cg_opi(c, loc, OP_DICT_UPDATE, 1));
            have_dict = true;
            elements = 0;
        } else {
            elements++;
        }
    }
    if (elements) {
        RET(subdict(c, e, n - elements, n));
        if (have_dict) RET(cg_opi(c, loc, OP_DICT_UPDATE, 1));
        have_dict = true;
    }
    if (!have_dict) RET(cg_opi(c, loc, OP_BUILD_MAP, 0));
    return 0;
}

/* ------------------------------------------------------------------ attributes */

SrcLoc cg_attr_loc_lines(SrcLoc loc, const AstNode *attr)
{
    loc.lineno = attr->end_lineno;
    const char *name = FID(attr, Attribute, attr);
    int len = 0;   /* in code points, as CPython measures it against a byte column */
    for (const char *p = name; *p; p++) len += ((uint8_t)*p & 0xc0) != 0x80;
    if (len <= attr->end_col_offset) {
        loc.col = attr->end_col_offset - len;
    } else {
        loc.col = -1;
        loc.end_col = -1;
    }
    if (loc.end_lineno < loc.lineno) loc.end_lineno = loc.lineno;
    if (loc.lineno == loc.end_lineno && loc.end_col < loc.col) loc.end_col = loc.col;
    return loc;
}

/* self.X = ... inside a class's method: X joins the class's __static_attributes__. */
static int maybe_add_static_attribute(Compiler *c, const AstNode *e)
{
    const AstNode *v = FN(e, Attribute, value);
    if (v->kind != AST_Name || FI(e, Attribute, ctx) != AST_Store || strcmp(FID(v, Name, id), "self") != 0)
        return 0;
    for (Unit *u = c->u->parent; u; u = u->parent) {
        if (u->scope_type != SCOPE_CLASS) continue;
        NameKey k = ident_key(FID(e, Attribute, attr));
        return namemap_add_index_key(u->static_attrs, &k) < 0 ? cg_nomem(c) : 0;
    }
    return 0;
}

static bool is_import_originated(Compiler *c, const AstNode *e)
{
    return e->kind == AST_Name && cg_imported(c, FID(e, Name, id));
}

/* can_optimize_super_call past its first test. */
static __attribute__((noinline)) bool super_call_ok(Compiler *c, const AstNode *attr)
{
    const AstNode *e = FN(attr, Attribute, value);
    const AstNode *func = FN(e, Call, func);
    if (func->kind != AST_Name || strcmp(FID(func, Name, id), "super") != 0 ||
        strcmp(FID(attr, Attribute, attr), "__class__") == 0 || seq_len(FS(e, Call, keywords)))
        return false;
    const AstSeq *args = FS(e, Call, args);
    uint32_t nargs = seq_len(args);
    if (st_symbol_scope(c->u->ste, "super") != SC_GLOBAL_IMPLICIT) return false;
    if (st_symbol_scope(c->st->top, "super") != 0) return false;
    if (nargs == 2) {
        for (uint32_t i = 0; i < 2; i++)
            if (seq_at(args, i)->kind == AST_Starred) return false;
        return true;
    }
    if (nargs != 0) return false;
    if (c->u->meta.argcount == 0 && c->u->meta.posonlyargcount == 0) return false;
    return cg_scope(c, "__class__") == SC_FREE;
}

/* Whether attr (an Attribute) is super().attr or super(a, b).attr as CPython optimizes it;
   inline, the test of most: its value is no call. */
static inline bool can_optimize_super_call(Compiler *c, const AstNode *attr)
{
    return FN(attr, Attribute, value)->kind == AST_Call && super_call_ok(c, attr);
}

static int load_args_for_super(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    const AstNode *func = FN(e, Call, func);
    RET(cg_nameop(c, LOC(func), FID(func, Name, id), AST_Load));
    const AstSeq *args = FS(e, Call, args);
    if (seq_len(args) == 2) {
        RET(cg_expr(c, seq_at(args, 0)));
        return cg_expr(c, seq_at(args, 1));
    }
    RET(cg_nameop(c, loc, "__class__", AST_Load));
    if (!c->u->meta.varnames.n) return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: super() without self");
    return cg_nameop(c, loc, c->u->meta.varnames.keys[0], AST_Load);
}

static __attribute__((noinline)) int cg_attribute(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    int ctx = (int)FI(e, Attribute, ctx);
    const char *attr = FID(e, Attribute, attr);
    if (ctx == AST_Load && can_optimize_super_call(c, e)) {
        const AstNode *call = FN(e, Attribute, value);
        RET(load_args_for_super(c, call));
        int op = seq_len(FS(call, Call, args)) ? OP_LOAD_SUPER_ATTR : OP_LOAD_ZERO_SUPER_ATTR;
        RET(cg_op_ident(c, loc, op, attr));
        return cg_op(c, cg_attr_loc(loc, e), OP_NOP);
    }
    RET(maybe_add_static_attribute(c, e));
    RET(cg_expr(c, FN(e, Attribute, value)));
    loc = cg_attr_loc(LOC(e), e);
    switch (ctx) {
    case AST_Load: return cg_op_ident(c, loc, OP_LOAD_ATTR, attr);
    case AST_Store:
        if (strcmp(attr, "__debug__") == 0) return cg_error(c, loc, "cannot assign to __debug__");
        return cg_op_ident(c, loc, OP_STORE_ATTR, attr);
    default: return cg_op_ident(c, loc, OP_DELETE_ATTR, attr);
    }
}

/* ------------------------------------------------------------------ calls */

/* validate_keywords of some keywords. */
static __attribute__((noinline)) int check_keywords(Compiler *c, const AstSeq *keywords)
{
    uint32_t n = seq_len(keywords);
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *k = seq_at(keywords, i);
        const char *arg = FID(k, keyword, arg);
        if (!arg) continue;
        if (arg[0] == '_' && strcmp(arg, "__debug__") == 0) return cg_error(c, LOC(k), "cannot assign to __debug__");
        for (uint32_t j = i + 1; j < n; j++) {
            const AstNode *o = seq_at(keywords, j);
            const char *oarg = FID(o, keyword, arg);
            if (oarg && (oarg == arg || (oarg[0] == arg[0] && strcmp(arg, oarg) == 0)))
                return cg_error(c, LOC(o), "keyword argument repeated: %s", arg);
        }
    }
    return 0;
}

/* The keywords' errors (most calls have none: inline). */
static inline int validate_keywords(Compiler *c, const AstSeq *keywords)
{
    return seq_len(keywords) ? check_keywords(c, keywords) : 0;
}

/* The tuple of keyword names before CALL_KW. */
static int kw_names(Compiler *c, SrcLoc loc, const AstSeq *keywords, uint32_t n)
{
    const char *stack[16], **ids = n <= 16 ? stack : arena_alloc_raw(c->arena, n * sizeof *ids);
    if (!ids) return cg_nomem(c);
    for (uint32_t i = 0; i < n; i++) ids[i] = FID(seq_at(keywords, i), keyword, arg);
    return cg_load_name_tuple(c, loc, ids, n);
}

static int keyword_values(Compiler *c, const AstSeq *keywords)
{
    for (uint32_t i = 0, n_ = seq_len(keywords); i < n_; i++) RET(cg_expr(c, FN(seq_at(keywords, i), keyword, value)));
    return 0;
}

/* obj.meth(args) as LOAD_ATTR with the method bit (or LOAD_SUPER_ATTR) and CALL: 1 when done. */
static int maybe_optimize_method_call(Compiler *c, const AstNode *e)
{
    const AstNode *meth = FN(e, Call, func);
    const AstSeq *args = FS(e, Call, args), *kwds = FS(e, Call, keywords);
    if (meth->kind != AST_Attribute || FI(meth, Attribute, ctx) != AST_Load) return 0;
    if (is_import_originated(c, FN(meth, Attribute, value))) return 0;
    uint32_t argsl = seq_len(args), kwdsl = seq_len(kwds);
    if (argsl + kwdsl + (kwdsl != 0) >= STACK_USE_GUIDELINE) return 0;
    for (uint32_t i = 0; i < argsl; i++)
        if (seq_at(args, i)->kind == AST_Starred) return 0;
    for (uint32_t i = 0; i < kwdsl; i++)
        if (!FID(seq_at(kwds, i), keyword, arg)) return 0;
    SrcLoc loc = LOC(meth);
    const char *attr = FID(meth, Attribute, attr);
    if (can_optimize_super_call(c, meth)) {
        const AstNode *call = FN(meth, Attribute, value);
        RET(load_args_for_super(c, call));
        int op = seq_len(FS(call, Call, args)) ? OP_LOAD_SUPER_METHOD : OP_LOAD_ZERO_SUPER_METHOD;
        RET(cg_op_ident(c, loc, op, attr));
        loc = cg_attr_loc(loc, meth);
        RET(cg_op(c, loc, OP_NOP));
    } else {
        RET(cg_expr(c, FN(meth, Attribute, value)));
        loc = cg_attr_loc(loc, meth);
        RET(cg_op_ident(c, loc, OP_LOAD_METHOD, attr));
    }
    RET(cg_exprs(c, args));
    if (kwdsl) {
        RET(keyword_values(c, kwds));
        RET(kw_names(c, loc, kwds, kwdsl));
        loc = cg_attr_loc(LOC(e), meth);
        RET(cg_opi(c, loc, OP_CALL_KW, (int)(argsl + kwdsl)));
    } else {
        loc = cg_attr_loc(LOC(e), meth);
        RET(cg_opi(c, loc, OP_CALL, (int)argsl));
    }
    return 1;
}

static int subkwargs(Compiler *c, SrcLoc loc, const AstSeq *keywords, uint32_t begin, uint32_t end)
{
    uint32_t n = end - begin;
    bool big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
        for (uint32_t i = begin; i < end; i++) RET(cg_expr(c, FN(seq_at(keywords, i), keyword, value)));
        Value **items = arena_alloc(c->arena, (n + 1) * sizeof *items);
        if (!items) return cg_nomem(c);
        for (uint32_t i = begin; i < end; i++)
            if (!(items[i - begin] = cg_ident_id(c, FID(seq_at(keywords, i), keyword, arg)))) return cg_nomem(c);
        RET(cg_load_const(c, loc, const_tuple(c->arena, items, n)));
        return cg_opi(c, loc, OP_BUILD_CONST_KEY_MAP, (int)n);
    }
    if (big) RET(cg_opi(c, NO_LOC, OP_BUILD_MAP, 0));
    for (uint32_t i = begin; i < end; i++) {
        const AstNode *kw = seq_at(keywords, i);
        RET(cg_load_ident(c, loc, FID(kw, keyword, arg)));
        RET(cg_expr(c, FN(kw, keyword, value)));
        if (big) RET(cg_opi(c, NO_LOC, OP_MAP_ADD, 1));
    }
    if (!big) RET(cg_opi(c, loc, OP_BUILD_MAP, (int)n));
    return 0;
}

/* cg_call_helper once the keywords are valid. */
static int call_helper(Compiler *c, SrcLoc loc, int n, const AstSeq *args, const AstSeq *keywords)
{
    uint32_t nelts = seq_len(args), nkwelts = seq_len(keywords);
    bool ex_call = nelts + nkwelts * 2 > STACK_USE_GUIDELINE;
    for (uint32_t i = 0; i < nelts && !ex_call; i++)
        if (seq_at(args, i)->kind == AST_Starred) ex_call = true;
    for (uint32_t i = 0; i < nkwelts && !ex_call; i++)
        if (!FID(seq_at(keywords, i), keyword, arg)) ex_call = true;
    if (!ex_call) {
        RET(cg_exprs(c, args));
        if (nkwelts) {
            RET(keyword_values(c, keywords));
            RET(kw_names(c, loc, keywords, nkwelts));
            return cg_opi(c, loc, OP_CALL_KW, n + (int)(nelts + nkwelts));
        }
        return cg_opi(c, loc, OP_CALL, n + (int)nelts);
    }
    if (n == 0 && nelts == 1 && seq_at(args, 0)->kind == AST_Starred)
        RET(cg_expr(c, FN(seq_at(args, 0), Starred, value)));
    else
        RET(starunpack_helper(c, loc, args, n, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, true));
    if (nkwelts) {
        bool have_dict = false;
        uint32_t nseen = 0;
        for (uint32_t i = 0; i < nkwelts; i++) {
            const AstNode *kw = seq_at(keywords, i);
            if (!FID(kw, keyword, arg)) {
                if (nseen) {
                    RET(subkwargs(c, loc, keywords, i - nseen, i));
                    if (have_dict) RET(cg_opi(c, loc, OP_DICT_MERGE, 1));
                    have_dict = true;
                    nseen = 0;
                }
                if (!have_dict) {
                    RET(cg_opi(c, loc, OP_BUILD_MAP, 0));
                    have_dict = true;
                }
                RET(cg_expr(c, FN(kw, keyword, value)));
                RET(cg_opi(c, loc, OP_DICT_MERGE, 1));
            } else {
                nseen++;
            }
        }
        if (nseen) {
            RET(subkwargs(c, loc, keywords, nkwelts - nseen, nkwelts));
            if (have_dict) RET(cg_opi(c, loc, OP_DICT_MERGE, 1));
        }
    }
    return cg_opi(c, loc, OP_CALL_FUNCTION_EX, nkwelts > 0);
}

int cg_call_helper(Compiler *c, SrcLoc loc, int n, const AstSeq *args, const AstSeq *keywords)
{
    RET(validate_keywords(c, keywords));
    return call_helper(c, loc, n, args, keywords);
}

static __attribute__((noinline)) int cg_call(Compiler *c, const AstNode *e)
{
    RET(validate_keywords(c, FS(e, Call, keywords)));
    int r = maybe_optimize_method_call(c, e);
    RET(r);
    if (r == 1) return 0;
    const AstNode *func = FN(e, Call, func);
    cg_check_caller(c, func);
    RET(cg_expr(c, func));
    RET(cg_op(c, LOC(func), OP_PUSH_NULL));
    return call_helper(c, LOC(e), 0, FS(e, Call, args), FS(e, Call, keywords));   /* validated above */
}

/* ------------------------------------------------------------------ f-strings */

static __attribute__((noinline)) int cg_joined_str(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    const AstSeq *values = FS(e, JoinedStr, values);
    uint32_t n = seq_len(values);
    if (n > STACK_USE_GUIDELINE) {
        RET(cg_load_str(c, loc, ""));
        RET(cg_op_name(c, loc, OP_LOAD_METHOD, &c->u->meta.names, "join"));
        RET(cg_opi(c, loc, OP_BUILD_LIST, 0));
        for (uint32_t i = 0; i < n; i++) {
            RET(cg_expr(c, seq_at(values, i)));
            RET(cg_opi(c, loc, OP_LIST_APPEND, 1));
        }
        return cg_opi(c, loc, OP_CALL, 1);
    }
    RET(cg_exprs(c, values));
    if (n > 1) return cg_opi(c, loc, OP_BUILD_STRING, (int)n);
    if (n == 0) return cg_load_str(c, loc, "");
    return 0;
}

static __attribute__((noinline)) int cg_formatted_value(Compiler *c, const AstNode *e)
{
    int conv = (int)FI(e, FormattedValue, conversion);
    RET(cg_expr(c, FN(e, FormattedValue, value)));
    SrcLoc loc = LOC(e);
    if (conv != -1) {
        int arg = conv == 's' ? FVC_STR : conv == 'r' ? FVC_REPR : conv == 'a' ? FVC_ASCII : -1;
        if (arg < 0) return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: conversion %d", conv);
        RET(cg_opi(c, loc, OP_CONVERT_VALUE, arg));
    }
    if (FN(e, FormattedValue, format_spec)) {
        RET(cg_expr(c, FN(e, FormattedValue, format_spec)));
        return cg_op(c, loc, OP_FORMAT_WITH_SPEC);
    }
    return cg_op(c, loc, OP_FORMAT_SIMPLE);
}

/* ------------------------------------------------------------------ subscripts */

int cg_slice(Compiler *c, const AstNode *s)
{
    int n = 2;
    if (FN(s, Slice, lower)) RET(cg_expr(c, FN(s, Slice, lower)));
    else RET(cg_load_none(c, LOC(s)));
    if (FN(s, Slice, upper)) RET(cg_expr(c, FN(s, Slice, upper)));
    else RET(cg_load_none(c, LOC(s)));
    if (FN(s, Slice, step)) {
        n++;
        RET(cg_expr(c, FN(s, Slice, step)));
    }
    return n;
}

static __attribute__((noinline)) int cg_subscript(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    int ctx = (int)FI(e, Subscript, ctx);
    const AstNode *sl = FN(e, Subscript, slice);
    if (ctx == AST_Load) cg_check_subscript(c, e);
    RET(cg_expr(c, FN(e, Subscript, value)));
    if (sl->kind == AST_Slice && !FN(sl, Slice, step) && ctx != AST_Del) {
        RET(cg_slice(c, sl));
        return cg_op(c, loc, ctx == AST_Load ? OP_BINARY_SLICE : OP_STORE_SLICE);
    }
    RET(cg_expr(c, sl));
    return cg_op(c, loc, ctx == AST_Load ? OP_BINARY_SUBSCR : ctx == AST_Store ? OP_STORE_SUBSCR : OP_DELETE_SUBSCR);
}

int cg_check_ann_expr(Compiler *c, const AstNode *e)
{
    RET(cg_expr(c, e));
    return cg_op(c, LOC(e), OP_POP_TOP);
}

/* ------------------------------------------------------------------ comprehensions */

static int add_yield(Compiler *c, SrcLoc loc)
{
    if (c->u->ste->generator && c->u->ste->coroutine)
        RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_ASYNC_GEN_WRAP));
    RET(cg_opi(c, loc, OP_YIELD_VALUE, 0));
    return cg_opi(c, loc, OP_RESUME, RESUME_AFTER_YIELD);
}

typedef struct Comp {
    const AstSeq *generators;
    const AstNode *elt, *val;
    int type;               /* COMP_* */
} Comp;

static int comp_generator(Compiler *c, SrcLoc loc, const Comp *k, uint32_t gen_index, int depth,
                          bool iter_on_stack);

/* The element's code once the innermost loop has a value. */
static int comp_element(Compiler *c, const Comp *k, int depth, SrcLoc *elt_loc)
{
    *elt_loc = LOC(k->elt);
    RET(cg_expr(c, k->elt));
    switch (k->type) {
    case COMP_GENEXP:
        RET(add_yield(c, *elt_loc));
        return cg_op(c, *elt_loc, OP_POP_TOP);
    case COMP_LIST: return cg_opi(c, *elt_loc, OP_LIST_APPEND, depth + 1);
    case COMP_SET: return cg_opi(c, *elt_loc, OP_SET_ADD, depth + 1);
    default:
        RET(cg_expr(c, k->val));
        *elt_loc = (SrcLoc){k->elt->lineno, k->val->end_lineno, k->elt->col_offset, k->val->end_col_offset};
        return cg_opi(c, *elt_loc, OP_MAP_ADD, depth + 1);
    }
}

static int comp_ifs(Compiler *c, SrcLoc loc, const AstNode *gen, int if_cleanup)
{
    const AstSeq *ifs = FS(gen, comprehension, ifs);
    for (uint32_t i = 0, n_ = seq_len(ifs); i < n_; i++) RET(cg_jump_if(c, loc, seq_at(ifs, i), if_cleanup, false));
    return 0;
}

static int sync_comp_generator(Compiler *c, SrcLoc loc, const Comp *k, uint32_t gen_index, int depth,
                               bool iter_on_stack)
{
    int start = cg_label(c), if_cleanup = cg_label(c), anchor = cg_label(c);
    if (start < 0 || if_cleanup < 0 || anchor < 0) return -1;
    const AstNode *gen = seq_at(k->generators, gen_index);
    const AstNode *iter = FN(gen, comprehension, iter);
    if (!iter_on_stack) {
        if (gen_index == 0) {
            c->u->meta.argcount = 1;   /* the outermost iterator is the implicit argument */
            RET(cg_opi(c, loc, OP_LOAD_FAST, 0));
        } else {
            /* `for y in [f(x)]` binds without a loop */
            const AstSeq *elts = iter->kind == AST_List || iter->kind == AST_Tuple ? FS(iter, List, elts) : NULL;
            if (seq_len(elts) == 1 && seq_at(elts, 0)->kind != AST_Starred) {
                RET(cg_expr(c, seq_at(elts, 0)));
                start = NO_LABEL;
            }
            if (start != NO_LABEL) {
                RET(cg_expr(c, iter));
                RET(cg_op(c, LOC(iter), OP_GET_ITER));
            }
        }
    }
    if (start != NO_LABEL) {
        depth++;
        RET(cg_use_label(c, start));
        RET(cg_jump(c, LOC(iter), OP_FOR_ITER, anchor));
    }
    RET(cg_expr(c, FN(gen, comprehension, target)));
    RET(comp_ifs(c, loc, gen, if_cleanup));
    SrcLoc elt_loc = LOC(k->elt);
    if (++gen_index < k->generators->n) RET(comp_generator(c, loc, k, gen_index, depth, false));
    else RET(comp_element(c, k, depth, &elt_loc));
    RET(cg_use_label(c, if_cleanup));
    if (start != NO_LABEL) {
        RET(cg_jump(c, elt_loc, OP_JUMP, start));
        RET(cg_use_label(c, anchor));
        RET(cg_op(c, NO_LOC, OP_END_FOR));
        RET(cg_op(c, NO_LOC, OP_POP_TOP));
    }
    return 0;
}

static int async_comp_generator(Compiler *c, SrcLoc loc, const Comp *k, uint32_t gen_index, int depth,
                                bool iter_on_stack)
{
    int start = cg_label(c), except = cg_label(c), if_cleanup = cg_label(c);
    if (start < 0 || except < 0 || if_cleanup < 0) return -1;
    const AstNode *gen = seq_at(k->generators, gen_index);
    const AstNode *iter = FN(gen, comprehension, iter);
    if (!iter_on_stack) {
        if (gen_index == 0) {
            c->u->meta.argcount = 1;
            RET(cg_opi(c, loc, OP_LOAD_FAST, 0));
        } else {
            RET(cg_expr(c, iter));
            RET(cg_op(c, LOC(iter), OP_GET_AITER));
        }
    }
    RET(cg_use_label(c, start));
    RET(cg_push_fblock(c, loc, FB_ASYNC_COMPREHENSION_GENERATOR, start, NO_LABEL, NULL));
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, except));
    RET(cg_op(c, loc, OP_GET_ANEXT));
    RET(cg_load_none(c, loc));
    RET(cg_add_yield_from(c, loc, true));
    RET(cg_op(c, loc, OP_POP_BLOCK));
    RET(cg_expr(c, FN(gen, comprehension, target)));
    RET(comp_ifs(c, loc, gen, if_cleanup));
    depth++;
    SrcLoc elt_loc = LOC(k->elt);
    if (++gen_index < k->generators->n) RET(comp_generator(c, loc, k, gen_index, depth, false));
    else RET(comp_element(c, k, depth, &elt_loc));
    RET(cg_use_label(c, if_cleanup));
    RET(cg_jump(c, elt_loc, OP_JUMP, start));
    cg_pop_fblock(c);
    RET(cg_use_label(c, except));
    return cg_op(c, loc, OP_END_ASYNC_FOR);
}

static int comp_generator(Compiler *c, SrcLoc loc, const Comp *k, uint32_t gen_index, int depth,
                          bool iter_on_stack)
{
    const AstNode *gen = seq_at(k->generators, gen_index);
    if (FI(gen, comprehension, is_async)) return async_comp_generator(c, loc, k, gen_index, depth, iter_on_stack);
    return sync_comp_generator(c, loc, k, gen_index, depth, iter_on_stack);
}

/* PEP 709: what an inlined comprehension saves of the enclosing scope and restores after. */
typedef struct InlineState {
    const char **pushed;    /* names whose outer values wait on the stack */
    int npushed;
    const char **temp_names;/* symbols given their comprehension scope for a while */
    intptr_t *temp_vals;
    int ntemp;
    const char **hidden;    /* names made fast locals for the comprehension */
    int nhidden;
    uint32_t outer_gen;     /* the unit's generation of resolutions before (see pop) */
    int cleanup, end;
} InlineState;

static int push_inlined_state(Compiler *c, SrcLoc loc, StEntry *entry, InlineState *s)
{
    Unit *u = c->u;
    bool in_class_block = u->ste->type == ST_CLASS && !u->in_inlined_comp;
    u->in_inlined_comp++;
    uint32_t n = entry->symbols.n;
    s->pushed = arena_alloc(c->arena, (n + 1) * sizeof *s->pushed);
    s->temp_names = arena_alloc(c->arena, (n + 1) * sizeof *s->temp_names);
    s->temp_vals = arena_alloc(c->arena, (n + 1) * sizeof *s->temp_vals);
    s->hidden = arena_alloc(c->arena, (n + 1) * sizeof *s->hidden);
    if (!s->pushed || !s->temp_names || !s->temp_vals || !s->hidden) return cg_nomem(c);
    for (uint32_t i = 0; i < n; i++) {
        const char *k = entry->symbols.keys[i];
        intptr_t symbol = entry->symbols.vals[i];
        int scope = (int)((symbol & SYM_SCOPE_MASK) >> SYM_SCOPE_OFFSET);
        intptr_t outv = namemap_get(&u->ste->symbols, k, 0);
        int outsc = (int)((outv & SYM_SCOPE_MASK) >> SYM_SCOPE_OFFSET);
        if ((scope != outsc && scope != SC_FREE && !(scope == SC_CELL && outsc == SC_FREE)) || in_class_block) {
            if (namemap_set(&u->ste->symbols, k, symbol) < 0) return cg_nomem(c);
            s->temp_names[s->ntemp] = k;
            s->temp_vals[s->ntemp++] = outv;
        }
        if (((symbol & DEF_LOCAL) && !(symbol & DEF_NONLOCAL)) || in_class_block) {
            if (!cg_is_function_like(u->ste) && namemap_get(&u->meta.fasthidden, k, 0) != 1) {
                if (namemap_set(&u->meta.fasthidden, k, 1) < 0) return cg_nomem(c);
                s->hidden[s->nhidden++] = k;
            }
            RET(cg_op_name(c, loc, OP_LOAD_FAST_AND_CLEAR, &u->meta.varnames, k));
            if (scope == SC_CELL)
                RET(cg_op_name(c, loc, OP_MAKE_CELL, outsc == SC_FREE ? &u->meta.freevars : &u->meta.cellvars, k));
            s->pushed[s->npushed++] = k;
        }
    }
    s->outer_gen = cg_names_changed(c);
    if (s->npushed) {
        RET(cg_opi(c, loc, OP_SWAP, s->npushed + 1));
        RET(s->cleanup = cg_label(c));
        RET(s->end = cg_label(c));
        RET(cg_jump(c, loc, OP_SETUP_FINALLY, s->cleanup));
    }
    return 0;
}

static int restore_inlined_locals(Compiler *c, SrcLoc loc, const InlineState *s)
{
    RET(cg_opi(c, loc, OP_SWAP, s->npushed + 1));
    for (int i = s->npushed - 1; i >= 0; i--)
        RET(cg_op_name(c, loc, OP_STORE_FAST_MAYBE_NULL, &c->u->meta.varnames, s->pushed[i]));
    return 0;
}

static int pop_inlined_state(Compiler *c, SrcLoc loc, const InlineState *s)
{
    Unit *u = c->u;
    u->in_inlined_comp--;
    cg_names_changed(c);
    for (int i = 0; i < s->ntemp; i++)
        if (namemap_set(&u->ste->symbols, s->temp_names[i], s->temp_vals[i]) < 0) return cg_nomem(c);
    if (s->npushed) {
        RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, s->end));
        RET(cg_use_label(c, s->cleanup));
        RET(cg_opi(c, NO_LOC, OP_SWAP, 2));
        RET(cg_op(c, NO_LOC, OP_POP_TOP));
        RET(restore_inlined_locals(c, loc, s));
        RET(cg_opi(c, NO_LOC, OP_RERAISE, 0));
        RET(cg_use_label(c, s->end));
        RET(restore_inlined_locals(c, loc, s));
    }
    for (int i = 0; i < s->nhidden; i++)   /* False, not removed: they stay CO_FAST_HIDDEN */
        if (namemap_set(&u->meta.fasthidden, s->hidden[i], 0) < 0) return cg_nomem(c);
    /* the symbols, fasthidden and in_inlined_comp are as before the push: so are the names'
       resolutions of then (those made since have generations of their own) */
    cg_names_restored(c, s->outer_gen);
    return 0;
}

static int comprehension_iter(Compiler *c, const AstNode *gen)
{
    const AstNode *iter = FN(gen, comprehension, iter);
    RET(cg_expr(c, iter));
    return cg_op(c, LOC(iter), FI(gen, comprehension, is_async) ? OP_GET_AITER : OP_GET_ITER);
}

int cg_comprehension(Compiler *c, const AstNode *e)
{
    Comp k = {0};
    const char *name;
    switch (e->kind) {
    case AST_GeneratorExp:
        k = (Comp){FS(e, GeneratorExp, generators), FN(e, GeneratorExp, elt), NULL, COMP_GENEXP};
        name = "<genexpr>";
        break;
    case AST_ListComp:
        k = (Comp){FS(e, ListComp, generators), FN(e, ListComp, elt), NULL, COMP_LIST};
        name = "<listcomp>";
        break;
    case AST_SetComp:
        k = (Comp){FS(e, SetComp, generators), FN(e, SetComp, elt), NULL, COMP_SET};
        name = "<setcomp>";
        break;
    default:
        k = (Comp){FS(e, DictComp, generators), FN(e, DictComp, key), FN(e, DictComp, value), COMP_DICT};
        name = "<dictcomp>";
        break;
    }
    int scope_type = c->u->scope_type;
    bool top_level_await = cg_top_level_await(c);
    StEntry *entry = symtable_lookup(c->st, e);
    if (!entry) return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: no block for a comprehension");
    bool inlined = entry->comp_inlined, async_gen = entry->coroutine;
    SrcLoc loc = LOC(e);
    const AstNode *outermost = seq_at(k.generators, 0);
    InlineState st = {0};
    if (inlined) {
        RET(comprehension_iter(c, outermost));
        RET(push_inlined_state(c, loc, entry, &st));
    } else {
        RET(cg_enter_scope(c, name, SCOPE_COMPREHENSION, e, e->lineno));
    }
    if (async_gen && k.type != COMP_GENEXP && scope_type != SCOPE_ASYNC_FUNCTION &&
        scope_type != SCOPE_COMPREHENSION && !top_level_await)
        return cg_error(c, loc, "asynchronous comprehension outside of an asynchronous function");
    if (k.type != COMP_GENEXP) {
        int op = k.type == COMP_LIST ? OP_BUILD_LIST : k.type == COMP_SET ? OP_BUILD_SET : OP_BUILD_MAP;
        RET(cg_opi(c, loc, op, 0));
        if (inlined) RET(cg_opi(c, loc, OP_SWAP, 2));
    }
    RET(comp_generator(c, loc, &k, 0, 0, inlined));
    if (inlined) return pop_inlined_state(c, loc, &st);
    if (k.type != COMP_GENEXP) RET(cg_op(c, LOC(e), OP_RETURN_VALUE));
    else RET(cg_wrap_in_stopiteration_handler(c));
    CodeUnitMeta *m;
    Value *co = cg_exit_scope(c, 1, &m);
    if (!co) return -1;
    if (top_level_await && async_gen) c->u->ste->coroutine = true;
    RET(cg_make_closure(c, loc, co, m, 0));
    RET(comprehension_iter(c, outermost));
    RET(cg_opi(c, loc, OP_CALL, 0));
    if (async_gen && k.type != COMP_GENEXP) {
        RET(cg_opi(c, loc, OP_GET_AWAITABLE, 0));
        RET(cg_load_none(c, loc));
        RET(cg_add_yield_from(c, loc, true));
    }
    return 0;
}

/* ------------------------------------------------------------------ dispatch */

/* The kinds of expr_compound that make more than one call, each apart: expr_compound itself
   then only jumps (no frame, no registers saved per expression). */
#define NOINLINE __attribute__((noinline))
static NOINLINE int expr_namedexpr(Compiler *c, const AstNode *e)
{
    RET(cg_expr(c, FN(e, NamedExpr, value)));
    RET(cg_opi(c, LOC(e), OP_COPY, 1));
    return cg_expr(c, FN(e, NamedExpr, target));
}

static NOINLINE int expr_binop(Compiler *c, const AstNode *e)
{
    RET(cg_expr(c, FN(e, BinOp, left)));
    RET(cg_expr(c, FN(e, BinOp, right)));
    return cg_binop(c, LOC(e), (int)FI(e, BinOp, op), false);
}

static NOINLINE int expr_unaryop(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    RET(cg_expr(c, FN(e, UnaryOp, operand)));
    switch (FI(e, UnaryOp, op)) {
    case AST_UAdd: return cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_UNARY_POSITIVE);
    case AST_Not:
        RET(cg_op(c, loc, OP_TO_BOOL));
        return cg_op(c, loc, OP_UNARY_NOT);
    case AST_Invert: return cg_op(c, loc, OP_UNARY_INVERT);
    default: return cg_op(c, loc, OP_UNARY_NEGATIVE);
    }
}

static NOINLINE int expr_yield(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    if (!cg_is_function_like(c->u->ste)) return cg_error(c, loc, "'yield' outside function");
    if (FN(e, Yield, value)) RET(cg_expr(c, FN(e, Yield, value)));
    else RET(cg_load_none(c, loc));
    return add_yield(c, loc);
}

static NOINLINE int expr_yield_from(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    if (!cg_is_function_like(c->u->ste)) return cg_error(c, loc, "'yield from' outside function");
    if (c->u->scope_type == SCOPE_ASYNC_FUNCTION) return cg_error(c, loc, "'yield from' inside async function");
    RET(cg_expr(c, FN(e, YieldFrom, value)));
    RET(cg_op(c, loc, OP_GET_YIELD_FROM_ITER));
    RET(cg_load_none(c, loc));
    return cg_add_yield_from(c, loc, false);
}

static NOINLINE int expr_await(Compiler *c, const AstNode *e)
{
    SrcLoc loc = LOC(e);
    if (!cg_top_level_await(c)) {
        if (!cg_is_function_like(c->u->ste)) return cg_error(c, loc, "'await' outside function");
        if (c->u->scope_type != SCOPE_ASYNC_FUNCTION && c->u->scope_type != SCOPE_COMPREHENSION)
            return cg_error(c, loc, "'await' outside async function");
    }
    RET(cg_expr(c, FN(e, Await, value)));
    RET(cg_opi(c, loc, OP_GET_AWAITABLE, 0));
    RET(cg_load_none(c, loc));
    return cg_add_yield_from(c, loc, true);
}

static NOINLINE int expr_starred(Compiler *c, const AstNode *e)
{
    if (FI(e, Starred, ctx) == AST_Store)
        return cg_error(c, LOC(e), "starred assignment target must be in a list or tuple");
    return cg_error(c, LOC(e), "can't use starred expression here");
}

static NOINLINE int expr_slice(Compiler *c, const AstNode *e)
{
    int n = cg_slice(c, e);
    RET(n);
    return cg_opi(c, LOC(e), OP_BUILD_SLICE, n);
}

static NOINLINE int expr_set(Compiler *c, const AstNode *e)
{
    return starunpack_helper(c, LOC(e), FS(e, Set, elts), 0, OP_BUILD_SET, OP_SET_ADD, OP_SET_UPDATE, false);
}

static NOINLINE int expr_unknown(Compiler *c, const AstNode *e)
{
    return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: expression kind %d", e->kind);
}
#undef NOINLINE

/* cg_expr of the other kinds, apart so that the frequent leaves need none of its frame. */
static __attribute__((noinline)) int expr_compound(Compiler *c, const AstNode *e)
{
    switch (e->kind) {
    case AST_NamedExpr: return expr_namedexpr(c, e);
    case AST_BoolOp: return cg_boolop(c, e);
    case AST_BinOp: return expr_binop(c, e);
    case AST_UnaryOp: return expr_unaryop(c, e);
    case AST_Lambda: return cg_lambda(c, e);
    case AST_IfExp: return cg_ifexp(c, e);
    case AST_Dict: return cg_dict(c, e);
    case AST_Set: return expr_set(c, e);
    case AST_GeneratorExp: case AST_ListComp: case AST_SetComp: case AST_DictComp:
        return cg_comprehension(c, e);
    case AST_Yield: return expr_yield(c, e);
    case AST_YieldFrom: return expr_yield_from(c, e);
    case AST_Await: return expr_await(c, e);
    case AST_Compare: return cg_compare(c, e);
    case AST_Call: return cg_call(c, e);
    case AST_Constant: return cg_load_const(c, LOC(e), FV(e, Constant, value));
    case AST_JoinedStr: return cg_joined_str(c, e);
    case AST_FormattedValue: return cg_formatted_value(c, e);
    case AST_Attribute: return cg_attribute(c, e);
    case AST_Subscript: return cg_subscript(c, e);
    case AST_Starred: return expr_starred(c, e);
    case AST_Slice: return expr_slice(c, e);
    case AST_Name: return cg_nameop(c, LOC(e), FID(e, Name, id), (int)FI(e, Name, ctx));
    case AST_List: return cg_list_or_tuple(c, e, false);
    case AST_Tuple: return cg_list_or_tuple(c, e, true);
    default: return expr_unknown(c, e);
    }
}

int cg_expr(Compiler *c, const AstNode *e)
{
    switch (e->kind) {
    case AST_Name: return cg_nameop(c, LOC(e), FID(e, Name, id), (int)FI(e, Name, ctx));
    case AST_Constant: return cg_load_const(c, LOC(e), FV(e, Constant, value));
    default: return expr_compound(c, e);
    }
}
