/* unparse.c - an expression back to source text, as CPython 3.13's compiler writes
   annotations under `from __future__ import annotations` (its own C unparser, whose
   spacing and parentheses differ from ast.unparse in places). */
#include <string.h>

#include "compile.h"

/* Binding strength, weakest first: an operand is parenthesized when the context asks for a
   stronger level than its operator has. */
enum {
    LV_TUPLE, LV_TEST, LV_OR, LV_AND, LV_NOT, LV_CMP, LV_BOR, LV_BXOR, LV_BAND, LV_SHIFT,
    LV_ARITH, LV_TERM, LV_FACTOR, LV_POWER, LV_AWAIT, LV_ATOM
};

typedef struct { const char *text; int level; } OpText;

static OpText binop_text(int op)
{
    switch (op) {
    case AST_Add: return (OpText){" + ", LV_ARITH};
    case AST_Sub: return (OpText){" - ", LV_ARITH};
    case AST_Mult: return (OpText){" * ", LV_TERM};
    case AST_MatMult: return (OpText){" @ ", LV_TERM};
    case AST_Div: return (OpText){" / ", LV_TERM};
    case AST_Mod: return (OpText){" % ", LV_TERM};
    case AST_FloorDiv: return (OpText){" // ", LV_TERM};
    case AST_LShift: return (OpText){" << ", LV_SHIFT};
    case AST_RShift: return (OpText){" >> ", LV_SHIFT};
    case AST_BitOr: return (OpText){" | ", LV_BOR};
    case AST_BitXor: return (OpText){" ^ ", LV_BXOR};
    case AST_BitAnd: return (OpText){" & ", LV_BAND};
    default: return (OpText){" ** ", LV_POWER};
    }
}

static const char *cmpop_text(int op)
{
    switch (op) {
    case AST_Eq: return " == ";
    case AST_NotEq: return " != ";
    case AST_Lt: return " < ";
    case AST_LtE: return " <= ";
    case AST_Gt: return " > ";
    case AST_GtE: return " >= ";
    case AST_Is: return " is ";
    case AST_IsNot: return " is not ";
    case AST_In: return " in ";
    default: return " not in ";
    }
}

static void put(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }
static void open_if(Buf *b, bool c) { if (c) buf_byte(b, '('); }
static void close_if(Buf *b, bool c) { if (c) buf_byte(b, ')'); }

static void expr(Buf *b, const AstNode *e, int level);

static AstNode *item(const AstSeq *s, uint32_t i) { return s->items[i]; }
static uint32_t len(const AstSeq *s) { return s ? s->n : 0; }

/* Items with a separator, each at `level`. */
static void items(Buf *b, const AstSeq *s, int level)
{
    for (uint32_t i = 0; i < len(s); i++) {
        if (i) put(b, ", ");
        expr(b, item(s, i), level);
    }
}

/* repr() of a constant; infinities (alone or in a complex) written so they read back. */
static void constant_repr(Buf *b, const Value *v)
{
    if (v->kind == V_TUPLE) {
        buf_byte(b, '(');
        for (size_t i = 0; i < v->u.seq.n; i++) {
            if (i) put(b, ", ");
            constant_repr(b, v->u.seq.items[i]);
        }
        if (v->u.seq.n == 1) buf_byte(b, ',');
        buf_byte(b, ')');
        return;
    }
    if (v->kind != V_FLOAT && v->kind != V_COMPLEX) {
        repr_value(b, v);
        return;
    }
    Buf r = {0};
    repr_value(&r, v);
    for (size_t i = 0; i < r.len; i++) {
        if (i + 3 <= r.len && memcmp(r.data + i, "inf", 3) == 0) {
            put(b, "1e309");
            i += 2;
        } else {
            buf_byte(b, r.data[i]);
        }
    }
    buf_free(&r);
}

static void arg(Buf *b, const AstNode *a)
{
    put(b, a->f[F_arg_arg].id);
    if (a->f[F_arg_annotation].n) {
        put(b, ": ");
        expr(b, a->f[F_arg_annotation].n, LV_TEST);
    }
}

static void arguments(Buf *b, const AstNode *args)
{
    const AstSeq *posonly = args->f[F_arguments_posonlyargs].s, *pos = args->f[F_arguments_args].s;
    const AstSeq *defaults = args->f[F_arguments_defaults].s, *kwonly = args->f[F_arguments_kwonlyargs].s;
    const AstSeq *kwdefaults = args->f[F_arguments_kw_defaults].s;
    bool first = true;
    long npos = (long)len(posonly) + (long)len(pos), ndef = (long)len(defaults);
    for (long i = 0; i < npos; i++) {
        if (!first) put(b, ", ");
        first = false;
        arg(b, i < (long)len(posonly) ? item(posonly, (uint32_t)i) : item(pos, (uint32_t)(i - (long)len(posonly))));
        long d = i - npos + ndef;
        if (d >= 0) {
            buf_byte(b, '=');
            expr(b, item(defaults, (uint32_t)d), LV_TEST);
        }
        if (len(posonly) && i + 1 == (long)len(posonly)) put(b, ", /");
    }
    if (args->f[F_arguments_vararg].n || len(kwonly)) {
        if (!first) put(b, ", ");
        first = false;
        buf_byte(b, '*');
        if (args->f[F_arguments_vararg].n) arg(b, args->f[F_arguments_vararg].n);
    }
    long nkw = (long)len(kwonly), nkwdef = (long)len(kwdefaults);
    for (long i = 0; i < nkw; i++) {
        if (!first) put(b, ", ");
        first = false;
        arg(b, item(kwonly, (uint32_t)i));
        long d = i - nkw + nkwdef;
        if (d >= 0 && item(kwdefaults, (uint32_t)d)) {
            buf_byte(b, '=');
            expr(b, item(kwdefaults, (uint32_t)d), LV_TEST);
        }
    }
    if (args->f[F_arguments_kwarg].n) {
        if (!first) put(b, ", ");
        put(b, "**");
        arg(b, args->f[F_arguments_kwarg].n);
    }
}

static void comprehensions(Buf *b, const AstSeq *gens)
{
    for (uint32_t i = 0; i < len(gens); i++) {
        const AstNode *g = item(gens, i);
        put(b, g->f[F_comprehension_is_async].i ? " async for " : " for ");
        expr(b, g->f[F_comprehension_target].n, LV_TUPLE);
        put(b, " in ");
        expr(b, g->f[F_comprehension_iter].n, LV_TEST + 1);
        const AstSeq *ifs = g->f[F_comprehension_ifs].s;
        for (uint32_t k = 0; k < len(ifs); k++) {
            put(b, " if ");
            expr(b, item(ifs, k), LV_TEST + 1);
        }
    }
}

static void fstring_element(Buf *b, const AstNode *e, bool in_spec);

/* The pieces of an f-string (or of a format spec) without quotes. */
static void fstring_body(Buf *b, const AstSeq *values, bool in_spec)
{
    for (uint32_t i = 0; i < len(values); i++) fstring_element(b, item(values, i), in_spec);
}

static void joinedstr(Buf *b, const AstNode *e, bool in_spec)
{
    if (in_spec) {
        fstring_body(b, e->f[F_JoinedStr_values].s, true);
        return;
    }
    Buf body = {0};
    fstring_body(&body, e->f[F_JoinedStr_values].s, false);
    buf_byte(b, 'f');
    repr_str_utf8(b, body.data ? body.data : (const uint8_t *)"", body.len);
    buf_free(&body);
}

static void formatted_value(Buf *b, const AstNode *e)
{
    Buf inner = {0};
    expr(&inner, e->f[F_FormattedValue_value].n, LV_TEST + 1);   /* a lambda's ':' needs parentheses */
    put(b, inner.len && inner.data[0] == '{' ? "{ " : "{");
    buf_put(b, inner.data, inner.len);
    buf_free(&inner);
    intptr_t conv = e->f[F_FormattedValue_conversion].i;
    if (conv == 'a' || conv == 'r' || conv == 's') {
        buf_byte(b, '!');
        buf_byte(b, (uint8_t)conv);
    }
    if (e->f[F_FormattedValue_format_spec].n) {
        buf_byte(b, ':');
        fstring_element(b, e->f[F_FormattedValue_format_spec].n, true);
    }
    buf_byte(b, '}');
}

static void fstring_element(Buf *b, const AstNode *e, bool in_spec)
{
    if (e->kind == AST_Constant) {   /* literal text, braces doubled */
        const Value *v = e->f[F_Constant_value].v;
        for (size_t i = 0; i < v->u.s.len; i++) {
            uint8_t c = v->u.s.data[i];
            buf_byte(b, c);
            if (c == '{' || c == '}') buf_byte(b, c);
        }
    } else if (e->kind == AST_JoinedStr) {
        joinedstr(b, e, in_spec);
    } else {
        formatted_value(b, e);
    }
}

static void expr(Buf *b, const AstNode *e, int level)
{
    switch (e->kind) {
    case AST_BoolOp: {
        bool is_and = e->f[F_BoolOp_op].i == AST_And;
        int lv = is_and ? LV_AND : LV_OR;
        const AstSeq *vals = e->f[F_BoolOp_values].s;
        open_if(b, level > lv);
        for (uint32_t i = 0; i < len(vals); i++) {
            if (i) put(b, is_and ? " and " : " or ");
            expr(b, item(vals, i), lv + 1);
        }
        close_if(b, level > lv);
        return;
    }
    case AST_BinOp: {
        OpText op = binop_text((int)e->f[F_BinOp_op].i);
        bool right_assoc = op.level == LV_POWER;
        open_if(b, level > op.level);
        expr(b, e->f[F_BinOp_left].n, op.level + right_assoc);
        put(b, op.text);
        expr(b, e->f[F_BinOp_right].n, op.level + !right_assoc);
        close_if(b, level > op.level);
        return;
    }
    case AST_UnaryOp: {
        intptr_t op = e->f[F_UnaryOp_op].i;
        int lv = op == AST_Not ? LV_NOT : LV_FACTOR;
        open_if(b, level > lv);
        put(b, op == AST_Not ? "not " : op == AST_Invert ? "~" : op == AST_UAdd ? "+" : "-");
        expr(b, e->f[F_UnaryOp_operand].n, lv);
        close_if(b, level > lv);
        return;
    }
    case AST_Lambda: {
        const AstNode *args = e->f[F_Lambda_args].n;
        open_if(b, level > LV_TEST);
        put(b, len(args->f[F_arguments_args].s) + len(args->f[F_arguments_posonlyargs].s) ? "lambda " : "lambda");
        arguments(b, args);
        put(b, ": ");
        expr(b, e->f[F_Lambda_body].n, LV_TEST);
        close_if(b, level > LV_TEST);
        return;
    }
    case AST_IfExp:
        open_if(b, level > LV_TEST);
        expr(b, e->f[F_IfExp_body].n, LV_TEST + 1);
        put(b, " if ");
        expr(b, e->f[F_IfExp_test].n, LV_TEST + 1);
        put(b, " else ");
        expr(b, e->f[F_IfExp_orelse].n, LV_TEST);
        close_if(b, level > LV_TEST);
        return;
    case AST_Dict: {
        const AstSeq *keys = e->f[F_Dict_keys].s, *vals = e->f[F_Dict_values].s;
        buf_byte(b, '{');
        for (uint32_t i = 0; i < len(vals); i++) {
            if (i) put(b, ", ");
            if (i < len(keys) && item(keys, i)) {
                expr(b, item(keys, i), LV_TEST);
                put(b, ": ");
                expr(b, item(vals, i), LV_TEST);
            } else {
                put(b, "**");
                expr(b, item(vals, i), LV_BOR);
            }
        }
        buf_byte(b, '}');
        return;
    }
    case AST_Set:
        buf_byte(b, '{');
        items(b, e->f[F_Set_elts].s, LV_TEST);
        buf_byte(b, '}');
        return;
    case AST_GeneratorExp:
        buf_byte(b, '(');
        expr(b, e->f[F_GeneratorExp_elt].n, LV_TEST);
        comprehensions(b, e->f[F_GeneratorExp_generators].s);
        buf_byte(b, ')');
        return;
    case AST_ListComp:
        buf_byte(b, '[');
        expr(b, e->f[F_ListComp_elt].n, LV_TEST);
        comprehensions(b, e->f[F_ListComp_generators].s);
        buf_byte(b, ']');
        return;
    case AST_SetComp:
        buf_byte(b, '{');
        expr(b, e->f[F_SetComp_elt].n, LV_TEST);
        comprehensions(b, e->f[F_SetComp_generators].s);
        buf_byte(b, '}');
        return;
    case AST_DictComp:
        buf_byte(b, '{');
        expr(b, e->f[F_DictComp_key].n, LV_TEST);
        put(b, ": ");
        expr(b, e->f[F_DictComp_value].n, LV_TEST);
        comprehensions(b, e->f[F_DictComp_generators].s);
        buf_byte(b, '}');
        return;
    case AST_Yield:
        if (!e->f[F_Yield_value].n) {
            put(b, "(yield)");
            return;
        }
        put(b, "(yield ");
        expr(b, e->f[F_Yield_value].n, LV_TEST);
        buf_byte(b, ')');
        return;
    case AST_YieldFrom:
        put(b, "(yield from ");
        expr(b, e->f[F_YieldFrom_value].n, LV_TEST);
        buf_byte(b, ')');
        return;
    case AST_Await:
        open_if(b, level > LV_AWAIT);
        put(b, "await ");
        expr(b, e->f[F_Await_value].n, LV_ATOM);
        close_if(b, level > LV_AWAIT);
        return;
    case AST_Compare: {
        const AstSeq *ops = e->f[F_Compare_ops].s, *cmps = e->f[F_Compare_comparators].s;
        open_if(b, level > LV_CMP);
        expr(b, e->f[F_Compare_left].n, LV_CMP + 1);
        for (uint32_t i = 0; i < len(cmps); i++) {
            put(b, cmpop_text((int)(intptr_t)ops->items[i]));
            expr(b, item(cmps, i), LV_CMP + 1);
        }
        close_if(b, level > LV_CMP);
        return;
    }
    case AST_Call: {
        const AstSeq *args = e->f[F_Call_args].s, *kws = e->f[F_Call_keywords].s;
        expr(b, e->f[F_Call_func].n, LV_ATOM);
        if (len(args) == 1 && !len(kws) && item(args, 0)->kind == AST_GeneratorExp) {
            expr(b, item(args, 0), LV_TEST);   /* f(x for x in y): the genexp's own parentheses */
            return;
        }
        buf_byte(b, '(');
        items(b, args, LV_TEST);
        for (uint32_t i = 0; i < len(kws); i++) {
            const AstNode *kw = item(kws, i);
            if (i || len(args)) put(b, ", ");
            if (kw->f[F_keyword_arg].id) {
                put(b, kw->f[F_keyword_arg].id);
                buf_byte(b, '=');
            } else {
                put(b, "**");
            }
            expr(b, kw->f[F_keyword_value].n, LV_TEST);
        }
        buf_byte(b, ')');
        return;
    }
    case AST_Constant: {
        const Value *v = e->f[F_Constant_value].v;
        if (v->kind == V_ELLIPSIS) {
            put(b, "...");
            return;
        }
        if (e->f[F_Constant_kind].id) put(b, e->f[F_Constant_kind].id);
        constant_repr(b, v);
        return;
    }
    case AST_JoinedStr:
        joinedstr(b, e, false);
        return;
    case AST_FormattedValue:
        formatted_value(b, e);
        return;
    case AST_Attribute: {
        const AstNode *v = e->f[F_Attribute_value].n;
        expr(b, v, LV_ATOM);
        /* `1 .real`: an int needs a space before the dot */
        put(b, v->kind == AST_Constant && v->f[F_Constant_value].v->kind == V_INT ? " ." : ".");
        put(b, e->f[F_Attribute_attr].id);
        return;
    }
    case AST_Subscript:
        expr(b, e->f[F_Subscript_value].n, LV_ATOM);
        buf_byte(b, '[');
        expr(b, e->f[F_Subscript_slice].n, LV_TUPLE);
        buf_byte(b, ']');
        return;
    case AST_Starred:
        buf_byte(b, '*');
        expr(b, e->f[F_Starred_value].n, LV_BOR);
        return;
    case AST_Slice:
        if (e->f[F_Slice_lower].n) expr(b, e->f[F_Slice_lower].n, LV_TEST);
        buf_byte(b, ':');
        if (e->f[F_Slice_upper].n) expr(b, e->f[F_Slice_upper].n, LV_TEST);
        if (e->f[F_Slice_step].n) {
            buf_byte(b, ':');
            expr(b, e->f[F_Slice_step].n, LV_TEST);
        }
        return;
    case AST_Name:
        put(b, e->f[F_Name_id].id);
        return;
    case AST_List:
        buf_byte(b, '[');
        items(b, e->f[F_List_elts].s, LV_TEST);
        buf_byte(b, ']');
        return;
    case AST_Tuple: {
        const AstSeq *elts = e->f[F_Tuple_elts].s;
        if (!len(elts)) {
            put(b, "()");
            return;
        }
        open_if(b, level > LV_TUPLE);
        items(b, elts, LV_TEST);
        if (len(elts) == 1) buf_byte(b, ',');
        close_if(b, level > LV_TUPLE);
        return;
    }
    case AST_NamedExpr:
        open_if(b, level > LV_TUPLE);
        expr(b, e->f[F_NamedExpr_target].n, LV_ATOM);
        put(b, " := ");
        expr(b, e->f[F_NamedExpr_value].n, LV_ATOM);
        close_if(b, level > LV_TUPLE);
        return;
    default:
        return;
    }
}

void unparse_expr(Buf *b, const AstNode *e) { expr(b, e, LV_TEST); }

Value *unparse_annotation(Arena *a, const AstNode *e)
{
    Buf b = {0};
    unparse_expr(&b, e);
    Value *v = b.failed ? NULL : value_new(a, V_STR, 0);
    if (v) {
        v->u.s.data = arena_memdup(a, b.data ? b.data : (const uint8_t *)"", b.len + !b.len);
        v->u.s.len = b.len;
        if (!v->u.s.data) v = NULL;
    }
    buf_free(&b);
    return v;
}
