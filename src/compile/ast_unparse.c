/* ast_unparse.c - expressions back to source text as CPython's Python/ast_unparse.c writes
   them: the string annotations of `from __future__ import annotations`. */
#include <string.h>

#include "codegen_internal.h"

/* Precedence levels, loosest first. */
enum {
    PR_TUPLE, PR_TEST, PR_OR, PR_AND, PR_NOT, PR_CMP, PR_EXPR, PR_BOR = PR_EXPR, PR_BXOR,
    PR_BAND, PR_SHIFT, PR_ARITH, PR_TERM, PR_FACTOR, PR_POWER, PR_AWAIT, PR_ATOM,
};

static void expr(Buf *b, const AstNode *e, int level);

static void put(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }
static void put_if(Buf *b, bool cond, const char *s) { if (cond) put(b, s); }

/* repr(), with infinities spelled 1e309 so that the text evaluates back to them. */
static void put_repr(Buf *b, const Value *v)
{
    Buf r = {0};
    repr_value(&r, v);
    if (v->kind == V_FLOAT || v->kind == V_COMPLEX) {
        for (size_t i = 0; i < r.len;) {
            if (i + 3 <= r.len && memcmp(r.data + i, "inf", 3) == 0) {
                put(b, "1e309");
                i += 3;
            } else {
                buf_byte(b, r.data[i++]);
            }
        }
    } else {
        buf_put(b, r.data, r.len);
    }
    buf_free(&r);
}

static void constant(Buf *b, const Value *v)
{
    if (v->kind == V_TUPLE) {
        put(b, "(");
        for (size_t i = 0; i < v->u.seq.n; i++) {
            put_if(b, i > 0, ", ");
            constant(b, v->u.seq.items[i]);
        }
        put_if(b, v->u.seq.n == 1, ",");
        put(b, ")");
        return;
    }
    put_repr(b, v);
}

static void arg(Buf *b, const AstNode *a)
{
    put(b, FID(a, arg, arg));
    if (FN(a, arg, annotation)) {
        put(b, ": ");
        expr(b, FN(a, arg, annotation), PR_TEST);
    }
}

static void args(Buf *b, const AstNode *args)
{
    bool first = true;
    const AstSeq *po = FS(args, arguments, posonlyargs), *pa = FS(args, arguments, args);
    const AstSeq *defaults = FS(args, arguments, defaults);
    long npo = seq_len(po), na = seq_len(pa), nd = seq_len(defaults);
    for (long i = 0; i < npo + na; i++) {
        put_if(b, !first, ", ");
        first = false;
        arg(b, i < npo ? seq_at(po, (uint32_t)i) : seq_at(pa, (uint32_t)(i - npo)));
        long di = i - npo - na + nd;
        if (di >= 0) {
            put(b, "=");
            expr(b, seq_at(defaults, (uint32_t)di), PR_TEST);
        }
        if (npo && i + 1 == npo) put(b, ", /");
    }
    const AstSeq *kw = FS(args, arguments, kwonlyargs), *kwd = FS(args, arguments, kw_defaults);
    const AstNode *va = FN(args, arguments, vararg), *kwa = FN(args, arguments, kwarg);
    if (va || seq_len(kw)) {
        put_if(b, !first, ", ");
        first = false;
        put(b, "*");
        if (va) arg(b, va);
    }
    long nk = seq_len(kw), nkd = seq_len(kwd);
    for (long i = 0; i < nk; i++) {
        put_if(b, !first, ", ");
        first = false;
        arg(b, seq_at(kw, (uint32_t)i));
        long di = i - nk + nkd;
        if (di >= 0 && kwd->items[di]) {
            put(b, "=");
            expr(b, seq_at(kwd, (uint32_t)di), PR_TEST);
        }
    }
    if (kwa) {
        put_if(b, !first, ", ");
        put(b, "**");
        arg(b, kwa);
    }
}

static void comprehensions(Buf *b, const AstSeq *gens)
{
    for (uint32_t i = 0; i < seq_len(gens); i++) {
        const AstNode *g = seq_at(gens, i);
        put(b, FI(g, comprehension, is_async) ? " async for " : " for ");
        expr(b, FN(g, comprehension, target), PR_TUPLE);
        put(b, " in ");
        expr(b, FN(g, comprehension, iter), PR_TEST + 1);
        const AstSeq *ifs = FS(g, comprehension, ifs);
        for (uint32_t k = 0; k < seq_len(ifs); k++) {
            put(b, " if ");
            expr(b, seq_at(ifs, k), PR_TEST + 1);
        }
    }
}

static void seq_items(Buf *b, const AstSeq *s, int level)
{
    for (uint32_t i = 0; i < seq_len(s); i++) {
        put_if(b, i > 0, ", ");
        expr(b, seq_at(s, i), level);
    }
}

/* f-string text: braces doubled. */
static void fstring_text(Buf *b, const Value *v)
{
    for (size_t i = 0; i < v->u.s.len; i++) {
        uint8_t ch = v->u.s.data[i];
        if (ch == '{' || ch == '}') buf_byte(b, ch);
        buf_byte(b, ch);
    }
}

static void joinedstr(Buf *b, const AstNode *e, bool is_format_spec);
static void formattedvalue(Buf *b, const AstNode *e);

static void fstring_element(Buf *b, const AstNode *e, bool is_format_spec)
{
    switch (e->kind) {
    case AST_Constant: fstring_text(b, FV(e, Constant, value)); break;
    case AST_JoinedStr: joinedstr(b, e, is_format_spec); break;
    default: formattedvalue(b, e); break;
    }
}

static void joinedstr(Buf *b, const AstNode *e, bool is_format_spec)
{
    Buf body = {0};
    const AstSeq *values = FS(e, JoinedStr, values);
    for (uint32_t i = 0; i < seq_len(values); i++) fstring_element(&body, seq_at(values, i), is_format_spec);
    if (!is_format_spec) {
        put(b, "f");
        repr_str_utf8(b, body.data ? body.data : (const uint8_t *)"", body.len);
    } else {
        buf_put(b, body.data, body.len);
    }
    buf_free(&body);
}

static void formattedvalue(Buf *b, const AstNode *e)
{
    Buf v = {0};
    expr(&v, FN(e, FormattedValue, value), PR_TEST + 1);
    /* an expression starting with a brace is kept apart from the outer one */
    put(b, v.len && v.data[0] == '{' ? "{ " : "{");
    buf_put(b, v.data, v.len);
    buf_free(&v);
    int conv = (int)FI(e, FormattedValue, conversion);
    if (conv == 'a') put(b, "!a");
    else if (conv == 'r') put(b, "!r");
    else if (conv == 's') put(b, "!s");
    if (FN(e, FormattedValue, format_spec)) {
        put(b, ":");
        fstring_element(b, FN(e, FormattedValue, format_spec), true);
    }
    put(b, "}");
}

static const char *binop_text(int op, int *pr)
{
    switch (op) {
    case AST_Add: *pr = PR_ARITH; return " + ";
    case AST_Sub: *pr = PR_ARITH; return " - ";
    case AST_Mult: *pr = PR_TERM; return " * ";
    case AST_MatMult: *pr = PR_TERM; return " @ ";
    case AST_Div: *pr = PR_TERM; return " / ";
    case AST_Mod: *pr = PR_TERM; return " % ";
    case AST_LShift: *pr = PR_SHIFT; return " << ";
    case AST_RShift: *pr = PR_SHIFT; return " >> ";
    case AST_BitOr: *pr = PR_BOR; return " | ";
    case AST_BitXor: *pr = PR_BXOR; return " ^ ";
    case AST_BitAnd: *pr = PR_BAND; return " & ";
    case AST_FloorDiv: *pr = PR_TERM; return " // ";
    default: *pr = PR_POWER; return " ** ";
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

static void genexp(Buf *b, const AstNode *e)
{
    put(b, "(");
    expr(b, FN(e, GeneratorExp, elt), PR_TEST);
    comprehensions(b, FS(e, GeneratorExp, generators));
    put(b, ")");
}

static void expr(Buf *b, const AstNode *e, int level)
{
    switch (e->kind) {
    case AST_BoolOp: {
        bool is_and = FI(e, BoolOp, op) == AST_And;
        int pr = is_and ? PR_AND : PR_OR;
        put_if(b, level > pr, "(");
        const AstSeq *vs = FS(e, BoolOp, values);
        for (uint32_t i = 0; i < seq_len(vs); i++) {
            put_if(b, i > 0, is_and ? " and " : " or ");
            expr(b, seq_at(vs, i), pr + 1);
        }
        put_if(b, level > pr, ")");
        break;
    }
    case AST_BinOp: {
        int pr;
        const char *op = binop_text((int)FI(e, BinOp, op), &pr);
        bool rassoc = FI(e, BinOp, op) == AST_Pow;
        put_if(b, level > pr, "(");
        expr(b, FN(e, BinOp, left), pr + rassoc);
        put(b, op);
        expr(b, FN(e, BinOp, right), pr + !rassoc);
        put_if(b, level > pr, ")");
        break;
    }
    case AST_UnaryOp: {
        int op = (int)FI(e, UnaryOp, op), pr = op == AST_Not ? PR_NOT : PR_FACTOR;
        put_if(b, level > pr, "(");
        put(b, op == AST_Invert ? "~" : op == AST_Not ? "not " : op == AST_UAdd ? "+" : "-");
        expr(b, FN(e, UnaryOp, operand), pr);
        put_if(b, level > pr, ")");
        break;
    }
    case AST_Lambda: {
        const AstNode *a = FN(e, Lambda, args);
        put_if(b, level > PR_TEST, "(");
        put(b, seq_len(FS(a, arguments, args)) + seq_len(FS(a, arguments, posonlyargs)) ? "lambda " : "lambda");
        args(b, a);
        put(b, ": ");
        expr(b, FN(e, Lambda, body), PR_TEST);
        put_if(b, level > PR_TEST, ")");
        break;
    }
    case AST_IfExp:
        put_if(b, level > PR_TEST, "(");
        expr(b, FN(e, IfExp, body), PR_TEST + 1);
        put(b, " if ");
        expr(b, FN(e, IfExp, test), PR_TEST + 1);
        put(b, " else ");
        expr(b, FN(e, IfExp, orelse), PR_TEST);
        put_if(b, level > PR_TEST, ")");
        break;
    case AST_Dict: {
        const AstSeq *ks = FS(e, Dict, keys), *vs = FS(e, Dict, values);
        put(b, "{");
        for (uint32_t i = 0; i < seq_len(vs); i++) {
            put_if(b, i > 0, ", ");
            if (ks->items[i]) {
                expr(b, seq_at(ks, i), PR_TEST);
                put(b, ": ");
                expr(b, seq_at(vs, i), PR_TEST);
            } else {
                put(b, "**");
                expr(b, seq_at(vs, i), PR_EXPR);
            }
        }
        put(b, "}");
        break;
    }
    case AST_Set:
        put(b, "{");
        seq_items(b, FS(e, Set, elts), PR_TEST);
        put(b, "}");
        break;
    case AST_GeneratorExp: genexp(b, e); break;
    case AST_ListComp:
        put(b, "[");
        expr(b, FN(e, ListComp, elt), PR_TEST);
        comprehensions(b, FS(e, ListComp, generators));
        put(b, "]");
        break;
    case AST_SetComp:
        put(b, "{");
        expr(b, FN(e, SetComp, elt), PR_TEST);
        comprehensions(b, FS(e, SetComp, generators));
        put(b, "}");
        break;
    case AST_DictComp:
        put(b, "{");
        expr(b, FN(e, DictComp, key), PR_TEST);
        put(b, ": ");
        expr(b, FN(e, DictComp, value), PR_TEST);
        comprehensions(b, FS(e, DictComp, generators));
        put(b, "}");
        break;
    case AST_Yield:
        if (!FN(e, Yield, value)) {
            put(b, "(yield)");
            break;
        }
        put(b, "(yield ");
        expr(b, FN(e, Yield, value), PR_TEST);
        put(b, ")");
        break;
    case AST_YieldFrom:
        put(b, "(yield from ");
        expr(b, FN(e, YieldFrom, value), PR_TEST);
        put(b, ")");
        break;
    case AST_Await:
        put_if(b, level > PR_AWAIT, "(");
        put(b, "await ");
        expr(b, FN(e, Await, value), PR_ATOM);
        put_if(b, level > PR_AWAIT, ")");
        break;
    case AST_Compare: {
        const AstSeq *comps = FS(e, Compare, comparators), *ops = FS(e, Compare, ops);
        put_if(b, level > PR_CMP, "(");
        expr(b, FN(e, Compare, left), PR_CMP + 1);
        for (uint32_t i = 0; i < seq_len(comps); i++) {
            put(b, cmpop_text((int)(intptr_t)ops->items[i]));
            expr(b, seq_at(comps, i), PR_CMP + 1);
        }
        put_if(b, level > PR_CMP, ")");
        break;
    }
    case AST_Call: {
        const AstSeq *as = FS(e, Call, args), *kws = FS(e, Call, keywords);
        expr(b, FN(e, Call, func), PR_ATOM);
        if (seq_len(as) == 1 && !seq_len(kws) && seq_at(as, 0)->kind == AST_GeneratorExp) {
            genexp(b, seq_at(as, 0));   /* f(x for x in y) */
            break;
        }
        put(b, "(");
        bool first = true;
        for (uint32_t i = 0; i < seq_len(as); i++) {
            put_if(b, !first, ", ");
            first = false;
            expr(b, seq_at(as, i), PR_TEST);
        }
        for (uint32_t i = 0; i < seq_len(kws); i++) {
            const AstNode *kw = seq_at(kws, i);
            put_if(b, !first, ", ");
            first = false;
            if (!FID(kw, keyword, arg)) {
                put(b, "**");
            } else {
                put(b, FID(kw, keyword, arg));
                put(b, "=");
            }
            expr(b, FN(kw, keyword, value), PR_TEST);
        }
        put(b, ")");
        break;
    }
    case AST_Constant: {
        const Value *v = FV(e, Constant, value);
        if (v->kind == V_ELLIPSIS) {
            put(b, "...");
            break;
        }
        if (FID(e, Constant, kind)) put(b, FID(e, Constant, kind));
        constant(b, v);
        break;
    }
    case AST_JoinedStr: joinedstr(b, e, false); break;
    case AST_FormattedValue: formattedvalue(b, e); break;
    case AST_Attribute: {
        const AstNode *v = FN(e, Attribute, value);
        expr(b, v, PR_ATOM);
        /* 1 .real: an int needs the space */
        put(b, v->kind == AST_Constant && FV(v, Constant, value)->kind == V_INT ? " ." : ".");
        put(b, FID(e, Attribute, attr));
        break;
    }
    case AST_Subscript:
        expr(b, FN(e, Subscript, value), PR_ATOM);
        put(b, "[");
        expr(b, FN(e, Subscript, slice), PR_TUPLE);
        put(b, "]");
        break;
    case AST_Starred:
        put(b, "*");
        expr(b, FN(e, Starred, value), PR_EXPR);
        break;
    case AST_Slice:
        if (FN(e, Slice, lower)) expr(b, FN(e, Slice, lower), PR_TEST);
        put(b, ":");
        if (FN(e, Slice, upper)) expr(b, FN(e, Slice, upper), PR_TEST);
        if (FN(e, Slice, step)) {
            put(b, ":");
            expr(b, FN(e, Slice, step), PR_TEST);
        }
        break;
    case AST_Name: put(b, FID(e, Name, id)); break;
    case AST_List:
        put(b, "[");
        seq_items(b, FS(e, List, elts), PR_TEST);
        put(b, "]");
        break;
    case AST_Tuple: {
        const AstSeq *elts = FS(e, Tuple, elts);
        if (!seq_len(elts)) {
            put(b, "()");
            break;
        }
        put_if(b, level > PR_TUPLE, "(");
        seq_items(b, elts, PR_TEST);
        put_if(b, elts->n == 1, ",");
        put_if(b, level > PR_TUPLE, ")");
        break;
    }
    case AST_NamedExpr:
        put_if(b, level > PR_TUPLE, "(");
        expr(b, FN(e, NamedExpr, target), PR_ATOM);
        put(b, " := ");
        expr(b, FN(e, NamedExpr, value), PR_ATOM);
        put_if(b, level > PR_TUPLE, ")");
        break;
    default:
        break;
    }
}

Value *ast_unparse_annotation(Arena *a, const AstNode *e, cpyc_error *err)
{
    Buf b = {0};
    expr(&b, e, PR_TEST);
    Value *v = b.failed ? NULL : const_str(a, b.data ? (const char *)b.data : "", b.len);
    buf_free(&b);
    if (!v) error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    return v;
}
