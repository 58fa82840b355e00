/* parse_stmt.c - statements and blocks. */
#include <string.h>

#include "parse_internal.h"

/* parse() with `n` more of CPython's rule calls held (n may be negative) */
static AstNode *held(Parser *p, int n, AstNode *(*parse)(Parser *))
{
    if (!enter_n(p, n)) return NULL;
    AstNode *e = parse(p);
    leave_n(p, n);
    return e;
}

static AstNode *statement_into(Parser *p, Vec *out);
static bool simple_stmts(Parser *p, Vec *out);

/* ':' before a block; "expected ':'" when the line ends instead. */
static bool expect_colon(Parser *p)
{
    if (accept(p, TOK_COLON)) return true;
    if (at(p, TOK_NEWLINE)) error_tok(p, p->pos, "expected ':'");
    return false;
}

/* A forced ':' (&&':' after 'try', 'finally' and 'else'): "expected ':'" at whatever token
   stands there, in either pass. */
static bool expect_forced_colon(Parser *p)
{
    if (accept(p, TOK_COLON)) return true;
    error_tok(p, p->pos, "expected ':'");
    return false;
}

/* block: NEWLINE INDENT statements DEDENT | simple_stmts. `what` names the statement in
   "expected an indented block after ..." ; `line` is its line. */
AstSeq *block_after(Parser *p, const char *what, int line)
{
    if (!accept(p, TOK_NEWLINE)) {
        Vec v; VEC_EMPTY(v);
        if (!enter_n(p, D_BLOCK_INLINE)) return NULL;
        bool ok = simple_stmts(p, &v);
        leave_n(p, D_BLOCK_INLINE);
        return ok ? vec_seq(p, &v) : NULL;
    }
    if (!accept(p, TOK_INDENT)) {
        AstLoc l = error_loc(p, p->pos);
        return syntax_error(p, "IndentationError", l, "expected an indented block after %s on line %d", what, line);
    }
    if (!enter_n(p, D_BLOCK)) return NULL;
    AstSeq *body = statements_until(p, TOK_DEDENT);
    leave_n(p, D_BLOCK);
    if (!body || !accept(p, TOK_DEDENT)) return NULL;
    return body;
}

AstSeq *block(Parser *p) { return block_after(p, "statement", 0); }

static int tok_line(Parser *p, size_t i) { return ptok(p, i)->lineno; }

/* type_params_opt's test for the common case, no '[' after a def's or class's name, inline:
   the same looks at the same tokens as type_params_opt's. */
static inline AstSeq *def_type_params(Parser *p)
{
    return has(p, GRAM_TYPE_PARAMS) && at(p, TOK_LSQB) ? type_params_opt(p) : p->empty;
}

/* ------------------------------------------------------------------ simple statements */

static const char *dotted_name(Parser *p)
{
    if (!at_name(p)) return NULL;
    size_t first = p->pos++;
    if (!at(p, TOK_DOT)) return tok_ident(p, first);
    char buf[1024];
    size_t n = 0;
    const PTok *t = ptok(p, first);
    bool too_long = false;
    for (;;) {
        if (n + t->len + 1 >= sizeof buf) too_long = true;
        else { memcpy(buf + n, tok_text(p, t), t->len); n += t->len; }
        if (!at(p, TOK_DOT) || !(peek_type(p, 1) == TOK_NAME)) break;
        p->pos++;
        if (!at_name(p)) return NULL;
        if (!too_long) buf[n++] = '.';
        t = ptok(p, p->pos++);
    }
    if (too_long) {
        /* rare: build it in the arena */
        size_t len = 0;
        for (size_t i = first; i < p->pos; i++) len += p->toks[i].len;
        char *s = arena_alloc(p->a, len + 1);
        if (!s) return oom(p);
        n = 0;
        for (size_t i = first; i < p->pos; i++) {
            memcpy(s + n, tok_text(p, &p->toks[i]), p->toks[i].len);
            n += p->toks[i].len;
        }
        return intern(&p->in, s, n);
    }
    const char *s = intern(&p->in, buf, n);
    return s ? s : oom(p);
}

/* NAME ['as' NAME] (dotted for `import`) as an alias node, appended to names. */
static bool alias(Parser *p, bool dotted, Vec *names)
{
    size_t astart = p->pos;
    const char *name = NULL;
    if (dotted) name = dotted_name(p);
    else if (at_name(p)) name = tok_ident(p, p->pos++);
    if (!name) return false;
    const char *as = NULL;
    if (accept_kw(p, KW_as)) {
        if (!at_name(p)) return false;
        as = tok_ident(p, p->pos++);
    }
    AstNode *a = mk_alias(p, astart, name, as);
    if (!a) return false;
    vec_push(p, names, a);
    return true;
}

static AstNode *import_name(Parser *p, size_t start)
{
    Vec names = {0};
    if (at(p, TOK_NEWLINE)) return error_from(p, loc_tok(p, p->pos), "Expected one or more names after 'import'");
    do {
        if (!alias(p, true, &names)) return NULL;
    } while (accept(p, TOK_COMMA));
    return mk_import(p, start, vec_seq(p, &names));
}

static AstNode *import_from(Parser *p, size_t start)
{
    int level = 0;
    for (;;) {
        if (accept(p, TOK_DOT)) level++;
        else if (accept(p, TOK_ELLIPSIS)) level += 3;
        else break;
    }
    const char *module = NULL;
    if (!at_kw(p, KW_import)) {
        module = dotted_name(p);
        if (!module) return NULL;
    } else if (!level) {
        return NULL;
    }
    if (!accept_kw(p, KW_import)) return NULL;
    Vec names = {0};
    if (at(p, TOK_NEWLINE)) return error_from(p, loc_tok(p, p->pos), "Expected one or more names after 'import'");
    if (at(p, TOK_STAR)) {
        const char *star = intern(&p->in, "*", 1);
        AstNode *a = mk(p, AST_alias, loc_tok(p, p->pos), star, NULL);
        p->pos++;
        if (!a) return NULL;
        vec_push(p, &names, a);
    } else {
        bool paren = accept(p, TOK_LPAR);
        for (;;) {
            if (!alias(p, false, &names)) return NULL;
            if (!accept(p, TOK_COMMA)) break;
            if (paren && at(p, TOK_RPAR)) break;
            if (!paren && (at(p, TOK_NEWLINE) || at(p, TOK_SEMI)))
                return error_tok(p, p->pos, "trailing comma not allowed without surrounding parentheses");
        }
        if (paren && !accept(p, TOK_RPAR)) return NULL;
    }
    return mk_import_from(p, start, module, vec_seq(p, &names), level);
}

static AstSeq *name_list(Parser *p)
{
    Vec v = {0};
    do {
        if (!at_name(p)) return NULL;
        vec_push(p, &v, (void *)tok_ident(p, p->pos++));
    } while (accept(p, TOK_COMMA));
    return vec_seq(p, &v);
}

static int augassign_op(int type)
{
    switch (type) {
    case TOK_PLUSEQUAL: return AST_Add;
    case TOK_MINEQUAL: return AST_Sub;
    case TOK_STAREQUAL: return AST_Mult;
    case TOK_ATEQUAL: return AST_MatMult;
    case TOK_SLASHEQUAL: return AST_Div;
    case TOK_PERCENTEQUAL: return AST_Mod;
    case TOK_AMPEREQUAL: return AST_BitAnd;
    case TOK_VBAREQUAL: return AST_BitOr;
    case TOK_CIRCUMFLEXEQUAL: return AST_BitXor;
    case TOK_LEFTSHIFTEQUAL: return AST_LShift;
    case TOK_RIGHTSHIFTEQUAL: return AST_RShift;
    case TOK_DOUBLESTAREQUAL: return AST_Pow;
    case TOK_DOUBLESLASHEQUAL: return AST_FloorDiv;
    default: return 0;
    }
}

/* The error of an assignment with an invalid target `bad` (in `target`), as CPython names
   it: its invalid_named_expression rule looks first at the first target followed by '=' and
   a bitwise_or that is not followed by '=' (it reads `a = b` where an expression was
   expected), then invalid_assignment names the target. */
static AstNode *assignment_error(Parser *p, AstNode *first, size_t first_eq, AstNode *bad, bool bare_yield)
{
    AstNode *last = first;
    AstSeq *elts = first->kind == AST_Tuple ? first->f[F_Tuple_elts].s : NULL;
    if (elts && elts->n && ((AstNode *)elts->items[0])->col_offset == first->col_offset &&
        ((AstNode *)elts->items[0])->lineno == first->lineno)
        last = elts->items[elts->n - 1];
    /* a parenthesized expression is an atom */
    const PTok *lt = ptok(p, first_eq - 1);
    bool paren = lt->type == TOK_RPAR && (lt->end_lineno != last->end_lineno || lt->end_col_offset != last->end_col_offset);
    bool bitwise = paren || (last->kind != AST_Starred && last->kind != AST_Compare && last->kind != AST_BoolOp &&
                   last->kind != AST_Lambda && last->kind != AST_IfExp && last->kind != AST_Yield &&
                   last->kind != AST_YieldFrom && !(last->kind == AST_UnaryOp && last->f[F_UnaryOp_op].i == AST_Not));
    if (bitwise) {
        size_t save = p->pos;
        p->pos = first_eq + 1;
        AstNode *b = bitwise_or(p);
        bool fires = b && !at(p, TOK_EQUAL) && !at(p, TOK_COLONEQUAL);
        p->pos = save;
        if (p->failed) return NULL;
        if (fires && last->kind == AST_Name) {
            AstLoc l = {last->lineno, last->col_offset, b->end_lineno, b->end_col_offset};
            return syntax_error(p, "SyntaxError", l, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        }
        bool excluded = last->kind == AST_List || last->kind == AST_Tuple || last->kind == AST_GeneratorExp ||
                        (last->kind == AST_Constant && last->f[F_Constant_value].v->kind <= V_TRUE);
        if (fires && !excluded && invalid_target(last, AST_Store))
            return error_node(p, last, "cannot assign to %s here. Maybe you meant '==' instead of '='?", expr_description(last));
    }
    if (bare_yield) return error_node(p, bad, "assignment to yield expression not possible");
    return error_node(p, bad, "cannot assign to %s", expr_description(bad));
}

/* Second pass, after a statement failed as every other kind: invalid_assignment's
   `star_named_expression ',' star_named_expressions* ':' expression`, for the errors raised
   on the way (an assignment expression's value, the items after a comma) and the tokens
   it reads, and its own error. Never builds anything. */
/* Whether tokens [start, end) are one bracketed group: an opening bracket and its match. */
static bool one_bracketed_group(const Parser *p, size_t start, size_t end)
{
    int ty = p->toks[start].type;
    if (end < start + 2 || (ty != TOK_LPAR && ty != TOK_LSQB)) return false;
    uint16_t inside = p->toks[start].level;
    size_t k = start + 1;
    while (k < end && p->toks[k].level >= inside) k++;
    return k == end - 1;
}

static void invalid_assignment_walk(Parser *p, size_t start)
{
    size_t mark = p->pos;
    p->pos = start;
    AstNode *a = star_named_expression(p);
    if (a && accept(p, TOK_COMMA)) {
        /* star_named_expressions*: lists one after another, so no comma is needed between */
        while (can_start_expr(p) && star_named_expression(p)) accept(p, TOK_COMMA);
        if (!p->failed && accept(p, TOK_COLON) && expression(p))
            error_node(p, a, "only single target (not tuple) can be annotated");
    }
    p->pos = mark;
}

static AstNode *expr_or_assignment(Parser *p, size_t start)
{
    AstNode *e = annotated_rhs(p);
    if (!e && invalid_checks(p) && !p->failed) invalid_assignment_walk(p, start);
    if (!e) return NULL;
    int ty = ptok_seen(p, p->pos)->type;
    if (ty == TOK_COLON) {
        int simple = 0;
        const char *bad = NULL;
        switch (e->kind) {
        case AST_Name: simple = ptok(p, start)->type == TOK_NAME; break;
        case AST_Attribute: case AST_Subscript: break;
        case AST_Tuple: bad = "only single target (not tuple) can be annotated"; break;
        case AST_List: bad = "only single target (not list) can be annotated"; break;
        default: bad = "illegal target for annotation"; break;
        }
        if (bad) {
            /* invalid_assignment: second pass only, once the annotation has parsed */
            if (!invalid_checks(p)) return NULL;
            /* a tuple in one pair of brackets is named whole, else by its first item (the
               rule's `star_named_expression ','` alternative) */
            const AstNode *at_node = e;
            if (e->kind == AST_Tuple && !one_bracketed_group(p, start, p->pos))
                at_node = e->f[F_Tuple_elts].s->items[0];
            p->pos++;
            return expression(p) ? error_node(p, at_node, "%s", bad) : NULL;
        }
        set_context(p, e, AST_Store);
        p->pos++;
        p->depth += D_ANNOTATION;   /* negative: no check */
        AstNode *ann = expression(p);
        p->depth -= D_ANNOTATION;
        if (!ann) return NULL;
        AstNode *value = NULL;
        if (accept(p, TOK_EQUAL)) {
            if (!enter_n(p, D_ANN_VALUE)) return NULL;
            value = annotated_rhs(p);
            leave_n(p, D_ANN_VALUE);
            if (!value) return NULL;
        }
        return mk_at(p, AST_AnnAssign, start, e, ann, value, I(simple));
    }
    if (ty == TOK_EQUAL) {
        Vec targets; VEC_EMPTY(targets);
        size_t first_eq = p->pos;
        AstNode *first = e;
        size_t tstart = start;
        while (ptok_seen(p, p->pos)->type == TOK_EQUAL) {   /* (after the first, the token after a value) */
            p->pos++;
            if (e->kind == AST_Name) {   /* the most frequent target (set_context's work) */
                e->f[F_Name_ctx].i = AST_Store;
            } else {
                bool bare_yield = ptok(p, tstart)->kw == KW_yield && ptok(p, tstart)->type == TOK_NAME;
                AstNode *bad = bare_yield ? e : invalid_target(e, AST_Store);
                if (bad) return assignment_error(p, first, first_eq, bad, bare_yield);
                set_context(p, e, AST_Store);
            }
            vec_push(p, &targets, e);
            tstart = p->pos;
            p->lift_at = tstart + 1, p->lift = D_TARGET_LIFT_RHS;
            if (!enter_n(p, D_ASSIGN_VALUE)) return NULL;
            e = annotated_rhs(p);
            leave_n(p, D_ASSIGN_VALUE);
            if (!e) {
                /* a value that CPython's grammar cannot even begin (after `yield` it takes
                   the keyword alone): invalid_assignment reads the statement again from its
                   start (`a = b, c = [,]` is `a = b` where a name was meant) */
                if (invalid_checks(p) && !p->failed && ptok(p, tstart)->kw != KW_yield) {
                    size_t here = p->pos;
                    p->pos = tstart;
                    bool begins = star_expression_head_parses(p);
                    p->pos = here;
                    if (!begins && !p->failed) invalid_assignment_walk(p, start);
                }
                return NULL;
            }
        }
        return mk_assign(p, start, vec_seq(p, &targets), e);
    }
    int op = augassign_op(ty);
    if (op) {
        if (e->kind != AST_Name && e->kind != AST_Attribute && e->kind != AST_Subscript)
            return error_node(p, e, "'%s' is an illegal expression for augmented assignment", expr_description(e));
        set_context(p, e, AST_Store);
        p->pos++;
        if (!enter_n(p, D_ASSIGN_VALUE)) return NULL;
        AstNode *value = annotated_rhs(p);
        leave_n(p, D_ASSIGN_VALUE);
        return value ? mk_at(p, AST_AugAssign, start, e, I(op), value) : NULL;
    }
    if (invalid_checks(p)) {
        invalid_assignment_walk(p, start);
        if (p->failed) return NULL;
    }
    return mk_expr_stmt(p, start, e);
}

static AstNode *simple_stmt_body(Parser *p)
{
    size_t start = p->pos;
    switch (cur_kw(p)) {
    /* nodes without fields: depth 1, no flags (what mk_fields gives them) */
    case KW_pass: p->pos++; return mk_folded(p, AST_Pass, 0, start, 0, 0);
    case KW_break: p->pos++; return mk_folded(p, AST_Break, 0, start, 0, 0);
    case KW_continue: p->pos++; return mk_folded(p, AST_Continue, 0, start, 0, 0);
    case KW_return: {
        p->pos++;
        AstNode *v = NULL;
        if (!at(p, TOK_NEWLINE) && !at(p, TOK_SEMI)) {
            if (!enter_n(p, D_RETURN)) return NULL;
            v = star_expressions(p);
            leave_n(p, D_RETURN);
            if (!v) return NULL;
        }
        return mk_return(p, start, v);
    }
    case KW_raise: {
        p->pos++;
        AstNode *exc = NULL, *cause = NULL;
        if (!at(p, TOK_NEWLINE) && !at(p, TOK_SEMI)) {
            if (!(exc = held(p, D_KW_EXPR, expression))) return NULL;
            if (accept_kw(p, KW_from) && !(cause = expression(p))) return NULL;   /* in a group: D_KW_EXPR + 1 */
        }
        return mk_raise(p, start, exc, cause);
    }
    case KW_global: case KW_nonlocal: {
        AstKind k = cur_kw(p) == KW_global ? AST_Global : AST_Nonlocal;
        p->pos++;
        AstSeq *names = name_list(p);
        return names ? mk_at(p, k, start, names) : NULL;
    }
    case KW_del: {
        p->pos++;
        Vec v = {0};
        do {
            if (at(p, TOK_NEWLINE) || at(p, TOK_SEMI)) break;
            AstNode *t = set_context(p, star_expression(p), AST_Del);
            if (!t) return NULL;
            vec_push(p, &v, t);
        } while (accept(p, TOK_COMMA));
        if (!v.n) return NULL;
        return mk_at(p, AST_Delete, start, vec_seq(p, &v));
    }
    case KW_assert: {
        p->pos++;
        AstNode *test = held(p, D_KW_EXPR, expression), *msg = NULL;
        if (!test) return NULL;
        if (accept(p, TOK_COMMA) && !(msg = expression(p))) return NULL;   /* in a group: D_KW_EXPR + 1 */
        return mk_at(p, AST_Assert, start, test, msg);
    }
    case KW_import: p->pos++; return import_name(p, start);
    case KW_from: p->pos++; return import_from(p, start);
    case SKW_type:
        /* "type" NAME: a keyword after it is no NAME (and the token after that is not looked at) */
        if (has(p, GRAM_TYPE_PARAMS) && peek_type(p, 1) == TOK_NAME &&
            (ptok(p, p->pos + 1)->kw == 0 || ptok(p, p->pos + 1)->kw >= KW__HARD_END) &&
            (peek_type(p, 2) == TOK_EQUAL || peek_type(p, 2) == TOK_LSQB)) {
            p->pos++;
            AstNode *name = name_at(p, p->pos++, AST_Store);
            AstSeq *tps = type_params_opt(p);
            if (!name || !tps || !accept(p, TOK_EQUAL)) return NULL;
            AstNode *v = expression(p);
            return v ? mk_at(p, AST_TypeAlias, start, name, tps, v) : NULL;
        }
        break;
    default: break;
    }
    return expr_or_assignment(p, start);
}

/* A simple statement, holding what CPython's rules do on the way and looking as deep */
static AstNode *simple_stmt(Parser *p)
{
    if (!enter_n(p, D_SIMPLE)) return NULL;
    p->lift_at = p->pos + 1, p->lift = D_TARGET_LIFT;
    AstNode *s = peak(p, D_SIMPLE_PROBE) ? simple_stmt_body(p) : NULL;
    leave_n(p, D_SIMPLE);
    return s;
}

static bool simple_stmts(Parser *p, Vec *out)
{
    for (;;) {
        AstNode *s = simple_stmt(p);
        if (!s) return false;
        vec_push_long(p, out, s);
        int ty = cur_type(p);
        if (ty == TOK_NEWLINE) break;
        if (ty != TOK_SEMI) return false;
        p->pos++;
        if (at(p, TOK_NEWLINE)) break;
    }
    p->pos++;
    return true;
}

/* ------------------------------------------------------------------ compound statements */

static AstNode *function_def(Parser *p, AstSeq *decorators)
{
    size_t start = p->pos;
    bool is_async = accept_kw(p, KW_async);
    if (!accept_kw(p, KW_def) || !at_name(p)) return NULL;
    const char *name = tok_ident(p, p->pos++);
    size_t mark = p->pos;
    AstSeq *tps = def_type_params(p);
    if (!tps && invalid_checks(p) && !p->failed) {   /* [type_params] &&'(' */
        p->pos = mark;
        return error_tok(p, p->pos, "expected '('");
    }
    if (!tps) return NULL;
    if (!accept(p, TOK_LPAR)) return invalid_checks(p) ? error_tok(p, p->pos, "expected '('") : NULL;
    AstNode *args = arguments_params(p, false);
    if (!args || !accept(p, TOK_RPAR)) return NULL;
    AstNode *returns = NULL;
    mark = p->pos;
    if (accept(p, TOK_RARROW) && !(returns = expression(p))) {
        if (!invalid_checks(p) || p->failed) return NULL;
        p->pos = mark;   /* ['->' expression] &&':' */
        return error_tok(p, p->pos, "expected ':'");
    }
    if (invalid_checks(p) && !at(p, TOK_COLON)) return error_tok(p, p->pos, "expected ':'");
    if (!expect_colon(p)) return NULL;
    if (!enter_n(p, D_DEF)) return NULL;
    AstSeq *body = block_after(p, "function definition", tok_line(p, start));
    leave_n(p, D_DEF);
    if (!body) return NULL;
    return mk_funcdef(p, is_async ? AST_AsyncFunctionDef : AST_FunctionDef, start, name, args, body, decorators,
                      returns, tps);
}

static AstNode *class_def(Parser *p, AstSeq *decorators)
{
    size_t start = p->pos++;
    if (!at_name(p)) return NULL;
    const char *name = tok_ident(p, p->pos++);
    AstSeq *tps = def_type_params(p);
    if (!tps) return NULL;
    AstSeq *bases = p->empty, *keywords = bases;
    if (at(p, TOK_LPAR)) {
        size_t open = p->pos++;
        bases = call_args(p, &keywords, open);
        if (!bases || !accept(p, TOK_RPAR)) return NULL;
    }
    if (!expect_colon(p)) return NULL;
    if (!enter_n(p, D_DEF)) return NULL;
    AstSeq *body = block_after(p, "class definition", tok_line(p, start));
    leave_n(p, D_DEF);
    if (!body) return NULL;
    return mk_classdef(p, start, name, bases, keywords, body, decorators, tps);
}

static AstNode *decorated(Parser *p)
{
    Vec decs = {0};
    while (accept(p, TOK_AT)) {
        AstNode *d = named_expression(p);
        if (!d || !accept(p, TOK_NEWLINE)) return NULL;
        vec_push(p, &decs, d);
    }
    AstSeq *ds = vec_seq(p, &decs);
    if (!ds) return NULL;
    if (at_kw(p, KW_class)) return class_def(p, ds);
    return function_def(p, ds);
}

static AstSeq *else_block(Parser *p, const char *what)
{
    size_t kw = p->pos;
    if (!accept_kw(p, KW_else)) return p->empty;
    if (!expect_forced_colon(p)) return NULL;
    return block_after(p, what, tok_line(p, kw));
}

/* nelif: the elifs before this one in the chain */
static AstNode *if_chain(Parser *p, int nelif)
{
    size_t start = p->pos;
    bool is_elif = at_kw(p, KW_elif);
    p->pos++;
    AstNode *test = named_expression(p);
    if (!test || !expect_colon(p)) return NULL;
    AstSeq *body = block_after(p, is_elif ? "'elif' statement" : "'if' statement", tok_line(p, start));
    if (!body) return NULL;
    AstSeq *orelse;
    if (at_kw(p, KW_elif)) {
        /* CPython's elif_stmt rule recurses: a long chain overflows its parser's stack */
        if (!enter_n(p, D_ELIF)) return NULL;
        AstNode *e = if_chain(p, nelif + 1);
        leave_n(p, D_ELIF);
        orelse = e ? seq1(p, e) : NULL;
    } else {
        orelse = else_block(p, "'else' statement");
    }
    return orelse ? mk_if(p, start, test, body, orelse) : NULL;
}

static AstNode *if_stmt(Parser *p) { return if_chain(p, 0); }

static AstNode *while_stmt(Parser *p)
{
    size_t start = p->pos++;
    AstNode *test = named_expression(p);
    if (!test || !expect_colon(p)) return NULL;
    AstSeq *body = block_after(p, "'while' statement", tok_line(p, start));
    AstSeq *orelse = body ? else_block(p, "'else' statement") : NULL;
    return orelse ? mk_at(p, AST_While, start, test, body, orelse) : NULL;
}

static AstNode *for_stmt(Parser *p)
{
    size_t start = p->pos;
    bool is_async = accept_kw(p, KW_async);
    p->pos++;
    size_t tstart = p->pos;
    AstNode *target = star_targets(p);
    if (!target || !accept_kw(p, KW_in)) {
        if (!p->failed && invalid_checks(p)) for_target_error(p, tstart);
        return NULL;
    }
    AstNode *iter = held(p, D_FOR_ITER, star_expressions);
    if (!iter || !expect_colon(p)) return NULL;
    AstSeq *body = block_after(p, "'for' statement", tok_line(p, start));
    AstSeq *orelse = body ? else_block(p, "'else' statement") : NULL;
    return orelse ? mk_for(p, is_async ? AST_AsyncFor : AST_For, start, target, iter, body, orelse) : NULL;
}

static AstNode *with_item(Parser *p, bool later)
{
    AstNode *e = held(p, D_WITH_ITEM + later, expression), *vars = NULL;   /* later: in the gather's loop */
    if (!e) return NULL;
    if (accept_kw(p, KW_as)) {
        size_t tstart = p->pos;
        vars = star_target(p);
        if (!vars || !(at(p, TOK_COMMA) || at(p, TOK_RPAR) || at(p, TOK_COLON) || at(p, TOK_NEWLINE))) {
            if (p->failed || !invalid_checks(p)) return NULL;
            p->pos = tstart;   /* invalid_with_item */
            AstNode *a = expression(p);
            if (p->failed) return NULL;
            AstNode *bad = a && (at(p, TOK_COMMA) || at(p, TOK_RPAR) || at(p, TOK_COLON)) ? invalid_target(a, AST_Store) : NULL;
            if (bad) return error_node(p, bad, "cannot assign to %s", expr_description(bad));
            return NULL;
        }
    }
    return mk(p, AST_withitem, (AstLoc){0, 0, 0, 0}, e, vars);
}

static AstNode *with_stmt(Parser *p)
{
    size_t start = p->pos;
    bool is_async = accept_kw(p, KW_async);
    p->pos++;
    Vec items = {0};
    bool done = false;
    if (at(p, TOK_LPAR) && has(p, GRAM_PAREN_WITH)) {
        size_t mark = p->pos++;
        for (;;) {
            AstNode *it = with_item(p, items.n > 0);
            if (!it) break;
            vec_push(p, &items, it);
            if (!accept(p, TOK_COMMA)) break;
            if (at(p, TOK_RPAR)) break;
        }
        if (p->failed) return NULL;
        if (items.n && accept(p, TOK_RPAR) && at(p, TOK_COLON)) done = true;
        else if (items.n && invalid_checks(p) && ptok(p, p->pos - 1)->type == TOK_RPAR && at(p, TOK_NEWLINE)) {
            /* invalid_with_stmt: '(' items ','? ')' NEWLINE, once the unparenthesized form failed */
            size_t nl = p->pos;
            p->pos = mark;
            expression(p);
            return p->failed ? NULL : error_tok(p, nl, "expected ':'");
        } else { p->pos = mark; items = (Vec){0}; }
    }
    if (!done) {
        do {
            AstNode *it = with_item(p, items.n > 0);
            if (!it) return NULL;
            vec_push(p, &items, it);
        } while (accept(p, TOK_COMMA));
    }
    if (!expect_colon(p)) return NULL;
    AstSeq *body = block_after(p, "'with' statement", tok_line(p, start));
    return body ? mk_with(p, is_async ? AST_AsyncWith : AST_With, start, vec_seq(p, &items), body) : NULL;
}

static AstNode *try_stmt(Parser *p)
{
    size_t start = p->pos++;
    if (!expect_forced_colon(p)) return NULL;
    AstSeq *body = block_after(p, "'try' statement", tok_line(p, start));
    if (!body) return NULL;
    Vec handlers = {0};
    int star = -1;
    while (at_kw(p, KW_except)) {
        size_t hstart = p->pos++;
        int is_star = has(p, GRAM_EXCEPT_STAR) && accept(p, TOK_STAR);
        if (star >= 0 && star != is_star)
            return error_tok(p, hstart, "cannot have both 'except' and 'except*' on the same 'try'");
        star = is_star;
        AstNode *type = NULL;
        const char *name = NULL;
        if (is_star && (at(p, TOK_COLON) || at(p, TOK_NEWLINE)))
            return error_tok(p, p->pos, "expected one or more exception types");
        if (at(p, TOK_NEWLINE)) return invalid_checks(p) ? error_last(p, "expected ':'") : NULL;   /* invalid_except_stmt */
        if (!at(p, TOK_COLON)) {
            if (!(type = expression(p))) return NULL;
            if (accept_kw(p, KW_as)) {
                if (!at_name(p)) return NULL;
                name = tok_ident(p, p->pos++);
            } else if (at(p, TOK_COMMA) && invalid_checks(p)) {
                /* invalid_except_stmt: `expression ',' expressions ['as' NAME] ':'`, raised
                   from the first type to where the tokenizer then stands */
                p->pos++;
                if (!expression(p)) return NULL;
                while (accept(p, TOK_COMMA) && can_start_expr(p))
                    if (!expression(p)) return NULL;
                if (accept_kw(p, KW_as) && !(at_name(p) && ++p->pos)) return NULL;
                if (!at(p, TOK_COLON)) return NULL;
                return error_from(p, loc_node(type), "multiple exception types must be parenthesized");
            }
        }
        if (!expect_colon(p)) return NULL;
        AstSeq *hbody = block_after(p, is_star ? "'except*' statement" : "'except' statement", tok_line(p, hstart));
        if (!hbody) return NULL;
        AstNode *h = mk_at(p, AST_ExceptHandler, hstart, type, name, hbody);
        if (!h) return NULL;
        vec_push(p, &handlers, h);
    }
    AstSeq *orelse = handlers.n ? else_block(p, "'else' statement") : p->empty;
    if (!orelse) return NULL;
    AstSeq *finalbody = p->empty;
    size_t fin = p->pos;
    if (accept_kw(p, KW_finally)) {
        if (!expect_forced_colon(p)) return NULL;
        finalbody = block_after(p, "'finally' statement", tok_line(p, fin));
        if (!finalbody) return NULL;
    } else if (!handlers.n) {
        return error_tok(p, p->pos, "expected 'except' or 'finally' block");
    }
    return mk_at(p, star == 1 ? AST_TryStar : AST_Try, start, body, vec_seq(p, &handlers), orelse, finalbody);
}

/* Parses one statement line (or compound statement) and appends its statements. */
/* A compound statement; *simple when there is none here. */
static AstNode *compound_stmt(Parser *p, bool *simple)
{
    AstNode *s = NULL;
    const PTok *t = ptok(p, p->pos);
    switch (t->kw) {
    case KW_def: s = function_def(p, p->empty); break;
    case KW_class: s = class_def(p, p->empty); break;
    case KW_if: s = if_stmt(p); break;
    case KW_while: s = while_stmt(p); break;
    case KW_for: s = for_stmt(p); break;
    case KW_with: s = with_stmt(p); break;
    case KW_try: s = try_stmt(p); break;
    case KW_async:
        switch (peek_kw(p, 1)) {
        case KW_def: s = function_def(p, p->empty); break;
        case KW_for: s = for_stmt(p); break;
        case KW_with: s = with_stmt(p); break;
        default: return NULL;
        }
        break;
    case SKW_match: {
        if (!has(p, GRAM_MATCH)) goto simple;
        size_t mark = p->pos;
        s = match_stmt(p);
        if (s || p->failed) break;
        p->pos = mark;
        goto simple;
    }
    default:
        if (t->type == TOK_AT) { s = decorated(p); break; }
    simple:
        *simple = true;
    }
    return s;
}

static AstNode *statement_into(Parser *p, Vec *out)
{
    bool simple = false;
    if (!enter_n(p, D_COMPOUND)) return NULL;
    AstNode *s = compound_stmt(p, &simple);
    leave_n(p, D_COMPOUND);
    if (simple) return simple_stmts(p, out) ? vec_items(out)[out->n - 1] : NULL;
    if (s) vec_push_long(p, out, s);
    return s;
}

AstSeq *statements_until(Parser *p, int end_type)
{
    Vec v; VEC_EMPTY(v);
    if (!enter_n(p, D_STATEMENTS)) return NULL;
    for (int ty; (ty = cur_type(p)) != end_type && ty != TOK_ENDMARKER;) {
        if (!statement_into(p, &v) || p->failed) {
            leave_n(p, D_STATEMENTS);
            return NULL;
        }
    }
    leave_n(p, D_STATEMENTS);
    return vec_seq(p, &v);
}
