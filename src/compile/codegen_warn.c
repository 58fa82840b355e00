/* codegen_warn.c - the SyntaxWarnings the compiler issues (CPython 3.13's compile.c checks
   calls, subscripts, identity comparisons and asserts of literals as it compiles them, after
   the AST optimizer has folded what it folds): each goes to opt->warnings, at the line of the
   node it names, every time the node is compiled (a finally body twice). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "codegen_internal.h"

static void warn(Compiler *c, const AstNode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(Compiler *c, const AstNode *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warnings_add(c->opt->warnings, "SyntaxWarning", at->lineno, msg, strlen(msg));
}

/* The type name of a constant, as type(v).__name__. */
static const char *value_type_name(const Value *v)
{
    switch (v->kind) {
    case V_NONE: return "NoneType";
    case V_FALSE: case V_TRUE: return "bool";
    case V_ELLIPSIS: return "ellipsis";
    case V_INT: return "int";
    case V_FLOAT: return "float";
    case V_COMPLEX: return "complex";
    case V_STR: return "str";
    case V_BYTES: return "bytes";
    case V_TUPLE: return "tuple";
    case V_FROZENSET: return "frozenset";
    case V_CODE: return "code";
    default: return "object";
    }
}

/* The type an expression's value is known to have from its form alone (CPython's
   infer_type), or NULL. */
static const char *infer_type(const AstNode *e)
{
    switch (e->kind) {
    case AST_Tuple: return "tuple";
    case AST_List: case AST_ListComp: return "list";
    case AST_Dict: case AST_DictComp: return "dict";
    case AST_Set: case AST_SetComp: return "set";
    case AST_GeneratorExp: return "generator";
    case AST_Lambda: return "function";
    case AST_JoinedStr: case AST_FormattedValue: return "str";
    case AST_Constant: return value_type_name(FV(e, Constant, value));
    default: return NULL;
    }
}

void cg_check_caller(Compiler *c, const AstNode *func)
{
    if (!c->opt->warnings) return;
    switch (func->kind) {
    case AST_Constant: case AST_Tuple: case AST_List: case AST_ListComp: case AST_Dict:
    case AST_DictComp: case AST_Set: case AST_SetComp: case AST_GeneratorExp: case AST_JoinedStr:
    case AST_FormattedValue:
        warn(c, func, "'%.200s' object is not callable; perhaps you missed a comma?", infer_type(func));
        break;
    default:
        break;
    }
}

void cg_check_subscript(Compiler *c, const AstNode *e)
{
    if (!c->opt->warnings) return;
    const AstNode *v = FN(e, Subscript, value), *sl = FN(e, Subscript, slice);
    /* the value: of a type that has no __getitem__ and no __class_getitem__ */
    bool not_subscriptable = false;
    switch (v->kind) {
    case AST_Constant: {
        int k = FV(v, Constant, value)->kind;
        not_subscriptable = k == V_NONE || k == V_ELLIPSIS || k == V_INT || k == V_FALSE || k == V_TRUE ||
                            k == V_FLOAT || k == V_COMPLEX || k == V_FROZENSET;
        break;
    }
    case AST_Set: case AST_SetComp: case AST_GeneratorExp: case AST_Lambda:
        not_subscriptable = true;
        break;
    default:
        break;
    }
    if (not_subscriptable) {
        warn(c, v, "'%.200s' object is not subscriptable; perhaps you missed a comma?", infer_type(v));
        return;
    }
    /* the index: a sequence indexed by a literal that is neither an int (nor a bool) nor a slice */
    const char *index_type = infer_type(sl);
    if (!index_type || sl->kind == AST_Slice || !strcmp(index_type, "int") || !strcmp(index_type, "bool")) return;
    switch (v->kind) {
    case AST_Constant: {
        int k = FV(v, Constant, value)->kind;
        if (k != V_STR && k != V_BYTES && k != V_TUPLE) return;
        break;
    }
    case AST_Tuple: case AST_List: case AST_ListComp: case AST_JoinedStr: case AST_FormattedValue:
        break;
    default:
        return;
    }
    warn(c, v, "%.200s indices must be integers or slices, not %.200s; perhaps you missed a comma?",
         infer_type(v), index_type);
}

/* An operand of "is" that is a literal other than None, True, False and Ellipsis. */
static bool literal_operand(const AstNode *e)
{
    if (e->kind != AST_Constant) return false;
    int k = FV(e, Constant, value)->kind;
    return k != V_NONE && k != V_FALSE && k != V_TRUE && k != V_ELLIPSIS;
}

void cg_check_compare(Compiler *c, const AstNode *e)
{
    if (!c->opt->warnings) return;
    const AstNode *left = FN(e, Compare, left);
    const AstSeq *ops = FS(e, Compare, ops), *comps = FS(e, Compare, comparators);
    for (uint32_t i = 0; i < ops->n; i++) {
        int op = (int)(intptr_t)ops->items[i];
        const AstNode *right = seq_at(comps, i);
        if ((op == AST_Is || op == AST_IsNot) && (literal_operand(left) || literal_operand(right))) {
            const char *type = infer_type(literal_operand(left) ? left : right);
            if (op == AST_Is) warn(c, e, "\"is\" with '%.200s' literal. Did you mean \"==\"?", type);
            else warn(c, e, "\"is not\" with '%.200s' literal. Did you mean \"!=\"?", type);
            return;   /* one warning per comparison chain */
        }
        left = right;
    }
}

void cg_check_assert(Compiler *c, const AstNode *s)
{
    if (!c->opt->warnings) return;
    const AstNode *test = FN(s, Assert, test);
    bool tuple = (test->kind == AST_Tuple && seq_len(FS(test, Tuple, elts)) > 0) ||
                 (test->kind == AST_Constant && FV(test, Constant, value)->kind == V_TUPLE &&
                  FV(test, Constant, value)->u.seq.n > 0);
    if (tuple) warn(c, s, "assertion is always true, perhaps remove parentheses?");
}
