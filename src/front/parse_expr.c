/* parse_expr.c - expressions, targets, call arguments, parameters and type parameters. */
#include <string.h>

#include "parse_internal.h"

static bool bad_star(Parser *p);
static inline AstNode *assignment_expression(Parser *p);
static AstNode *lambdef(Parser *p);

/* Whether the current token can begin an expression. */
bool can_start_expr(Parser *p)
{
    switch (cur_type(p)) {
    case TOK_NAME: {
        int kw = cur_kw(p);
        return kw == 0 || kw >= KW__HARD_END || kw == KW_False || kw == KW_None || kw == KW_True ||
               kw == KW_not || kw == KW_lambda || kw == KW_await;
    }
    case TOK_NUMBER: case TOK_STRING: case TOK_FSTRING_START: case TOK_LPAR: case TOK_LSQB:
    case TOK_LBRACE: case TOK_MINUS: case TOK_PLUS: case TOK_TILDE: case TOK_STAR:
    case TOK_ELLIPSIS:
        return true;
    default:
        return false;
    }
}

static Value *const_value(Parser *p, ValueKind k)
{
    Value *v = value_new(p->a, k, 0);
    return v ? v : oom(p);
}

/* ------------------------------------------------------------------ descriptions */

const char *expr_description(const AstNode *e)
{
    switch (e->kind) {
    case AST_Attribute: return "attribute";
    case AST_Subscript: return "subscript";
    case AST_Starred: return "starred";
    case AST_Name: return "name";
    case AST_List: return "list";
    case AST_Tuple: return "tuple";
    case AST_Lambda: return "lambda";
    case AST_Call: return "function call";
    case AST_BoolOp: case AST_BinOp: case AST_UnaryOp: return "expression";
    case AST_GeneratorExp: return "generator expression";
    case AST_Yield: case AST_YieldFrom: return "yield expression";
    case AST_Await: return "await expression";
    case AST_ListComp: return "list comprehension";
    case AST_SetComp: return "set comprehension";
    case AST_DictComp: return "dict comprehension";
    case AST_Dict: return "dict literal";
    case AST_Set: return "set display";
    case AST_JoinedStr: case AST_FormattedValue: return "f-string expression";
    case AST_Constant: {
        const Value *v = e->f[F_Constant_value].v;
        switch (v->kind) {
        case V_NONE: return "None";
        case V_TRUE: return "True";
        case V_FALSE: return "False";
        case V_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    }
    case AST_Compare: return "comparison";
    case AST_IfExp: return "conditional expression";
    case AST_NamedExpr: return "named expression";
    default: return "expression";
    }
}

/* The first sub-expression that cannot be a target (NULL when e is a valid target). */
AstNode *invalid_target(AstNode *e, int ctx)
{
    switch (e->kind) {
    case AST_Compare:
        /* a for loop's "x in y" parses as a comparison: only its left side is the target */
        if (ctx != TARGETS_FOR) return e;
        return e->f[F_Compare_ops].s->items[0] == I(AST_In) ? invalid_target(e->f[F_Compare_left].n, ctx) : NULL;
    case AST_Name: case AST_Attribute: case AST_Subscript: return NULL;
    case AST_Starred: return ctx == AST_Del ? e : invalid_target(e->f[F_Starred_value].n, ctx);
    case AST_Tuple: case AST_List: {
        AstSeq *elts = e->f[e->kind == AST_Tuple ? F_Tuple_elts : F_List_elts].s;
        for (uint32_t i = 0; i < elts->n; i++) {
            AstNode *bad = invalid_target(elts->items[i], ctx);
            if (bad) return bad;
        }
        return NULL;
    }
    default: return e;
    }
}

/* Gives a target its context (Store or Del), or raises "cannot assign to ..." /
   "cannot delete ...". */
AstNode *set_context(Parser *p, AstNode *e, int ctx)
{
    if (!e) return NULL;
    switch (e->kind) {
    case AST_Name: e->f[F_Name_ctx].i = ctx; return e;
    case AST_Attribute: e->f[F_Attribute_ctx].i = ctx; return e;
    case AST_Subscript: e->f[F_Subscript_ctx].i = ctx; return e;
    case AST_Starred:
        if (ctx == AST_Del) break;
        e->f[F_Starred_ctx].i = ctx;
        return set_context(p, e->f[F_Starred_value].n, ctx) ? e : NULL;
    case AST_Tuple: case AST_List: {
        AstSeq *elts = e->f[e->kind == AST_Tuple ? F_Tuple_elts : F_List_elts].s;
        e->f[e->kind == AST_Tuple ? F_Tuple_ctx : F_List_ctx].i = ctx;
        for (uint32_t i = 0; i < elts->n; i++)
            if (!set_context(p, elts->items[i], ctx)) return NULL;
        return e;
    }
    default: break;
    }
    return error_node(p, e, "cannot %s %s", ctx == AST_Del ? "delete" : "assign to", expr_description(e));
}

/* ------------------------------------------------------------------ atoms */

static inline bool at_comprehension(Parser *p)
{
    return at_kw(p, KW_for) || (at_kw(p, KW_async) && peek_kw(p, 1) == KW_for);
}

/* A starred first element before 'for' ("[*x for x in y]"): no display and no
   comprehension (invalid_comprehension names it in the second pass). */
static bool starred_before_for(Parser *p, const AstNode *first)
{
    return first->kind == AST_Starred && at_comprehension(p);
}

static AstNode *starred_expression(Parser *p);
static AstSeq *comprehension_clauses(Parser *p, int lift);

/* Second pass, once the display or comprehension opened at `start` failed without an
   error: CPython's invalid_group ('(' starred_expression ')', "cannot use starred expression
   here") and invalid_comprehension: a starred_expression and for_if_clauses ("iterable
   unpacking ..."), then, after '[' and '{', star_named_expression ',' [star_named_expressions]
   for_if_clauses ("did you forget parentheses ..."). The starred_expression raises "Invalid
   star expression" when no expression follows the '*'. */
static void *invalid_comprehension(Parser *p, size_t start, bool group)
{
    bool paren = ptok(p, start)->type == TOK_LPAR;
    p->pos = start + 1;
    if (at(p, TOK_STAR)) {
        AstNode *a = starred_expression(p);
        if (!a) return NULL;
        if (group && paren && at(p, TOK_RPAR)) return error_node(p, a, "cannot use starred expression here");
        if (at_comprehension(p) && comprehension_clauses(p, D_COMP_DISPLAY)) return error_node(p, a, "iterable unpacking cannot be used in comprehension");
        if (p->failed || paren) return NULL;
        p->pos = start + 1;
    }
    if (paren) return NULL;
    AstNode *a = star_named_expression(p);
    if (!a || !accept(p, TOK_COMMA)) return NULL;
    size_t after_comma = p->pos;
    AstNode *last = star_named_expression(p);
    if (last) {   /* star_named_expressions: ','.star_named_expression+ [','] */
        for (size_t mark = p->pos; accept(p, TOK_COMMA); mark = p->pos) {
            AstNode *n = star_named_expression(p);
            if (!n) { p->pos = mark; break; }
            last = n;
        }
        accept(p, TOK_COMMA);
    }
    AstLoc l = {a->lineno, a->col_offset, 0, 0};
    if (last && at_comprehension(p) && comprehension_clauses(p, D_COMP_DISPLAY)) {
        l.end_lineno = last->end_lineno, l.end_col_offset = last->end_col_offset;
        return syntax_error(p, "SyntaxError", l, "did you forget parentheses around the comprehension target?");
    }
    if (p->failed) return NULL;
    p->pos = after_comma;
    if (at_comprehension(p) && comprehension_clauses(p, D_COMP_DISPLAY)) {
        AstLoc c = loc_tok(p, after_comma - 1);
        l.end_lineno = c.end_lineno, l.end_col_offset = c.end_col_offset;
        return syntax_error(p, "SyntaxError", l, "did you forget parentheses around the comprehension target?");
    }
    return NULL;
}

/* Second pass, after 'for' (invalid_for_target): the star_expressions there, and
   "cannot assign to ..." naming the first part that is no target. */
void for_target_error(Parser *p, size_t tstart)
{
    size_t save = p->pos;
    p->pos = tstart;
    AstNode *a = star_expressions(p);
    if (p->failed) return;
    AstNode *bad = a ? invalid_target(a, TARGETS_FOR) : NULL;
    if (bad) { error_node(p, bad, "cannot assign to %s", expr_description(bad)); return; }
    p->pos = save;
}

/* for_if_clause's alternative 'for' bitwise_or (',' bitwise_or)* [','] !'in', tried in both
   passes before invalid_for_target: "'in' expected after for-loop variables". */
static bool in_expected(Parser *p, size_t tstart)
{
    size_t save = p->pos;
    bool inv = invalid_checks(p);
    p->pos = tstart;
    p->invalid_pass = false;
    AstNode *b = bitwise_or(p);
    while (b && accept(p, TOK_COMMA)) {
        /* an item that does not parse leaves the loop after its comma ([',']) */
        size_t item = p->pos;
        if (!can_start_expr(p) || !bitwise_or(p)) { p->pos = item; break; }
    }
    p->invalid_pass = inv;
    if (p->failed) return true;
    /* RAISE_SYNTAX_ERROR: at the last token fetched */
    if (b && !at_kw(p, KW_in)) { error_last(p, "'in' expected after for-loop variables"); return true; }
    p->pos = save;
    return false;
}

/* `lift`: how far (in CPython's rule calls) the caller's depth is from the disjunction of a
   for_if_clause, less D_CHAIN */
static AstSeq *comprehension_clauses(Parser *p, int lift)
{
    Vec gens = {0};
    while (at_comprehension(p)) {
        bool is_async = accept_kw(p, KW_async);
        p->pos++;
        size_t tstart = p->pos;
        AstNode *target = star_targets(p);
        if (!target || !at_kw(p, KW_in)) {
            if (!p->failed && !in_expected(p, tstart) && invalid_checks(p)) for_target_error(p, tstart);
            return NULL;
        }
        p->pos++;
        if (!enter_n(p, D_CHAIN + lift)) return NULL;
        AstNode *iter = disjunction(p);
        leave_n(p, D_CHAIN + lift);
        if (!iter) return NULL;
        Vec ifs = {0};
        while (accept_kw(p, KW_if)) {
            if (!enter_n(p, D_CHAIN + lift + D_COMP_IF)) return NULL;
            AstNode *c = disjunction(p);
            leave_n(p, D_CHAIN + lift + D_COMP_IF);
            if (!c) return NULL;
            vec_push(p, &ifs, c);
        }
        AstNode *g = mk(p, AST_comprehension, (AstLoc){0, 0, 0, 0}, target, iter, vec_seq(p, &ifs), I(is_async));
        if (!g) return NULL;
        vec_push(p, &gens, g);
    }
    return p->failed ? NULL : vec_seq(p, &gens);
}

/* Elements after the first of a list, tuple or set display, up to (not past) `close`. */
static AstSeq *display_rest(Parser *p, AstNode *first, int close)
{
    Vec v; VEC_EMPTY(v);
    vec_push(p, &v, first);
    while (accept(p, TOK_COMMA)) {
        if (at(p, close)) break;
        AstNode *e = star_named_expression(p);
        if (!e) return NULL;
        vec_push(p, &v, e);
    }
    return vec_seq(p, &v);
}

static AstNode *paren_atom(Parser *p)
{
    size_t start = p->pos++;
    if (at(p, TOK_RPAR) && !peak(p, D_NO_EXPR)) return NULL;
    if (accept(p, TOK_RPAR)) return mk_elts(p, AST_Tuple, start, ast_seq(p->a, 0), AST_Load);
    if (at_kw(p, KW_yield)) {
        AstNode *y = yield_expr(p);
        if (!y || !accept(p, TOK_RPAR)) return NULL;
        return y;
    }
    if (invalid_checks(p) && at(p, TOK_DOUBLESTAR)) {   /* invalid_group: '(' '**' expression ')' */
        p->pos++;
        if (expression(p) && at(p, TOK_RPAR)) return error_tok(p, start + 1, "cannot use double starred expression here");
        return NULL;
    }
    AstNode *e = star_named_expression(p);
    if (!e || starred_before_for(p, e)) return NULL;
    if (at_comprehension(p)) {
        AstSeq *gens = comprehension_clauses(p, D_COMP_GROUP);
        if (!gens || !accept(p, TOK_RPAR)) return NULL;
        return mk_at(p, AST_GeneratorExp, start, e, gens);
    }
    if (accept(p, TOK_RPAR)) return e->kind == AST_Starred ? NULL : e;   /* (*a): invalid_group */
    if (!at(p, TOK_COMMA)) return NULL;
    AstSeq *elts = display_rest(p, e, TOK_RPAR);
    if (!elts || !accept(p, TOK_RPAR)) return NULL;
    return mk_elts(p, AST_Tuple, start, elts, AST_Load);
}

static AstNode *list_atom(Parser *p)
{
    size_t start = p->pos++;
    if (at(p, TOK_RSQB) && !peak(p, D_NO_EXPR)) return NULL;
    if (accept(p, TOK_RSQB)) return mk_elts(p, AST_List, start, ast_seq(p->a, 0), AST_Load);
    AstNode *e = star_named_expression(p);
    if (!e || starred_before_for(p, e)) return NULL;
    if (at_comprehension(p)) {
        AstSeq *gens = comprehension_clauses(p, D_COMP_DISPLAY);
        if (!gens || !accept(p, TOK_RSQB)) return NULL;
        return mk_at(p, AST_ListComp, start, e, gens);
    }
    AstSeq *elts = display_rest(p, e, TOK_RSQB);
    if (!elts || !accept(p, TOK_RSQB)) return NULL;
    return mk_elts(p, AST_List, start, elts, AST_Load);
}

static AstNode *brace_atom(Parser *p)
{
    size_t start = p->pos++;
    Vec keys = {0}, values = {0};
    if (at(p, TOK_RBRACE) && !peak(p, D_NO_EXPR)) return NULL;
    if (accept(p, TOK_RBRACE)) return mk_dict(p, start, vec_seq(p, &keys), vec_seq(p, &values));
    AstNode *first = NULL;
    if (!at(p, TOK_DOUBLESTAR)) {
        first = star_named_expression(p);
        if (!first || starred_before_for(p, first)) return NULL;
        if (!at(p, TOK_COLON)) {
            if (at_comprehension(p)) {
                AstSeq *gens = comprehension_clauses(p, D_COMP_DISPLAY);
                if (!gens || !accept(p, TOK_RBRACE)) return NULL;
                return mk_at(p, AST_SetComp, start, first, gens);
            }
            AstSeq *elts = display_rest(p, first, TOK_RBRACE);
            if (!elts || !accept(p, TOK_RBRACE)) return NULL;
            return mk_at(p, AST_Set, start, elts);
        }
        /* a key is an `expression`: neither starred nor a bare `x := 1` */
        if (first->kind == AST_Starred || (first->kind == AST_NamedExpr && ptok_type_raw(p, start + 1) == TOK_NAME))
            return NULL;
    }
    /* a dict display or comprehension */
    for (bool is_first = true;; is_first = false) {
        AstNode *k = NULL, *v;
        if (accept(p, TOK_DOUBLESTAR)) {
            size_t star = p->pos - 1;
            v = bitwise_or(p);
            if (!v) return NULL;
            if (is_first && at_comprehension(p))
                return error_tok(p, star, "dict unpacking cannot be used in dict comprehension");
        } else {
            /* dict's alternative '{' invalid_double_starred_kvpairs '}' does not begin with
               an invalid_* rule, so CPython tries it in the first pass too: the first pair
               that does not parse, after pairs that do, raises its error there, and the
               second pass never runs */
            k = is_first ? first : expression(p);
            if (!k) return NULL;
            if (!accept(p, TOK_COLON)) {
                AstLoc l = {k->lineno, k->end_col_offset - 1, k->end_lineno, -1};   /* an end of 0 */
                return syntax_error(p, "SyntaxError", l, "':' expected after dictionary key");
            }
            if (at(p, TOK_STAR)) {
                /* the rule reads `'*' bitwise_or`: a lone '*' is no starred value */
                size_t star = p->pos++;
                if (!bitwise_or(p) || p->failed) return NULL;
                return error_from(p, loc_tok(p, star), "cannot use a starred expression in a dictionary value");
            }
            if (at(p, TOK_RBRACE) || at(p, TOK_COMMA))
                return error_tok(p, p->pos - 1, "expression expected after dictionary key and ':'");
            v = expression(p);
            if (!v) return NULL;
            if (is_first && (at_comprehension(p))) {
                AstSeq *gens = comprehension_clauses(p, D_COMP_DISPLAY);
                if (!gens || !accept(p, TOK_RBRACE)) return NULL;
                return mk_at(p, AST_DictComp, start, k, v, gens);
            }
        }
        vec_push(p, &keys, k);
        vec_push(p, &values, v);
        if (!accept(p, TOK_COMMA) || at(p, TOK_RBRACE)) break;
    }
    if (!accept(p, TOK_RBRACE)) return NULL;
    return mk_dict(p, start, vec_seq(p, &keys), vec_seq(p, &values));
}

/* ( [ { atoms, apart from atom(): their rules' frame is not the frame of the frequent
   atoms (names, numbers, strings) */
static AstNode *__attribute__((noinline)) display_atom(Parser *p)
{
    size_t i = p->pos;
    /* after '*' in a starred_expression, CPython's second pass reaches a display already
       parsed without the invalid_* checks (starred_expression, quiet_displays) */
    bool inv = invalid_checks(p);
    if (quiet_displays(p)) p->invalid_pass = false;
    AstNode *e = cur_type(p) == TOK_LPAR ? paren_atom(p) : cur_type(p) == TOK_LSQB ? list_atom(p) : brace_atom(p);
    if (!e && invalid_checks(p) && !p->failed) e = invalid_comprehension(p, i, true);
    p->invalid_pass = inv;
    return e;
}

static AstNode *atom(Parser *p)
{
    size_t i = p->pos;
    switch (cur_type(p)) {
    case TOK_NAME: {
        int kw = cur_kw(p);
        if (kw == KW_None || kw == KW_True || kw == KW_False) {
            p->pos++;
            Value *v = const_value(p, kw == KW_None ? V_NONE : kw == KW_True ? V_TRUE : V_FALSE);
            return v ? mk_leaf(p, AST_Constant, loc_tok(p, i), (AstField){.v = v}, (AstField){.id = NULL}) : NULL;
        }
        if (kw && kw < KW__HARD_END) return NULL;
        p->pos++;
        return name_at(p, i, AST_Load);
    }
    case TOK_NUMBER: {
        if (!peak(p, D_NUMBER)) return NULL;
        p->pos++;
        Value *v = parse_number(p, i);
        return v ? mk_leaf(p, AST_Constant, loc_tok(p, i), (AstField){.v = v}, (AstField){.id = NULL}) : NULL;
    }
    case TOK_STRING: case TOK_FSTRING_START: return peak(p, D_STRING) ? strings(p) : NULL;
    case TOK_LPAR: case TOK_LSQB: case TOK_LBRACE: return display_atom(p);
    case TOK_ELLIPSIS: {
        p->pos++;
        Value *v = const_value(p, V_ELLIPSIS);
        return v ? mk_leaf(p, AST_Constant, loc_tok(p, i), (AstField){.v = v}, (AstField){.id = NULL}) : NULL;
    }
    default: return NULL;
    }
}

/* Whether CPython's star_expression parses anything at the current token: its chain of
   operators backtracks to the first operand, so it fails only when its prefixes ('*', or
   'not's, then '-', '+', '~', then 'await') reach no atom or a display that does not parse.
   Raises nothing new and leaves the position. */
bool star_expression_head_parses(Parser *p)
{
    size_t save = p->pos;
    if (at(p, TOK_STAR)) p->pos++;
    else
        while (at_kw(p, KW_not)) p->pos++;
    while (at(p, TOK_MINUS) || at(p, TOK_PLUS) || at(p, TOK_TILDE)) p->pos++;
    if (at_kw(p, KW_await)) p->pos++;
    bool ok = save == p->pos && at_kw(p, KW_lambda);
    if (!ok) {
        bool inv = invalid_checks(p);
        p->invalid_pass = false;
        ok = atom(p) != NULL;
        p->invalid_pass = inv;
    }
    p->pos = save;
    return ok;
}

/* ------------------------------------------------------------------ primaries */

static bool bad_star(Parser *p);
static AstNode *starred_expression(Parser *p);

static AstSeq *call_args_list(Parser *p, AstSeq **keywords, size_t open, const char **late);

/* The arguments of a call up to its ')'. A positional argument after keywords is parsed in
   the second pass only, as invalid_arguments' `args ',' args`: the error is raised once the
   arguments after it have parsed as far as they do, at the last token fetched. */
AstSeq *call_args(Parser *p, AstSeq **keywords, size_t open)
{
    const char *late = NULL;
    AstSeq *args = call_args_list(p, keywords, open, &late);
    if (late && !p->failed) return error_last(p, "%s", late);
    return args;
}

static AstSeq *call_args_list(Parser *p, AstSeq **keywords, size_t open, const char **late)
{
    Vec args, kws; VEC_EMPTY(args); VEC_EMPTY(kws);
    bool seen_kw = false, seen_dstar = false;
    if (at(p, TOK_RPAR) && !peak(p, D_NO_EXPR)) return NULL;
    for (;;) {
        size_t istart = p->pos;
        const PTok *t = ptok(p, istart);
        if (t->type == TOK_RPAR) break;
        /* a name's next token: '=' (a keyword) or ':=' (an assignment expression) */
        int next = t->type == TOK_NAME && (t->kw == 0 || t->kw >= KW__HARD_END) ? ptok(p, istart + 1)->type : -1;
        if (t->type == TOK_STAR) {
            AstNode *s = starred_expression(p);
            if (!s) return NULL;
            if (seen_dstar)
                return error_from(p, loc_tok(p, istart - 1), "iterable argument unpacking follows keyword argument unpacking");
            vec_push(p, &args, s);
        } else if (t->type == TOK_DOUBLESTAR) {
            p->pos++;
            AstNode *v = expression(p);
            if (!v) return NULL;
            if (invalid_checks(p) && at(p, TOK_EQUAL)) {   /* invalid_kwarg: '**' expression '=' expression */
                size_t eq = p->pos++;
                AstNode *b = expression(p);
                if (b)
                    return syntax_error(p, "SyntaxError", loc_range(loc_tok(p, istart), loc_node(b)),
                                        "cannot assign to keyword argument unpacking");
                if (p->failed) return NULL;
                p->pos = eq;
            }
            AstNode *k = mk_keyword(p, istart, NULL, v);
            if (!k) return NULL;
            vec_push(p, &kws, k);
            seen_dstar = true;
        } else if (next == TOK_EQUAL) {
            const char *id = p->names[t->aux];
            p->pos += 2;
            if (invalid_checks(p) && (at(p, TOK_COMMA) || at(p, TOK_RPAR))) {
                return syntax_error(p, "SyntaxError", loc_range(loc_tok(p, istart), loc_tok(p, istart + 1)),
                                    "expected argument value expression");
            }
            AstNode *v = expression(p);
            if (!v) return NULL;
            AstNode *k = mk_keyword(p, istart, id, v);
            if (!k) return NULL;
            vec_push(p, &kws, k);
            seen_kw = true;
        } else {
            if (invalid_checks(p) && (cur_kw(p) == KW_True || cur_kw(p) == KW_False || cur_kw(p) == KW_None) &&
                peek_type(p, 1) == TOK_EQUAL)
                /* invalid_kwarg: from the name to the '=' */
                return syntax_error(p, "SyntaxError", loc_range(loc_tok(p, p->pos), loc_tok(p, p->pos + 1)),
                                    "cannot assign to %.*s", (int)ptok(p, p->pos)->len, tok_text(p, ptok(p, p->pos)));
            /* a positional argument after keywords: only invalid_arguments (second pass)
               parses it, to name the error */
            if ((seen_kw || seen_dstar) && !invalid_checks(p)) return NULL;
            AstNode *e;
            if ((next == TOK_COMMA || next == TOK_RPAR) && !memo_of(p) && p->depth + D_EXPRESSION + D_CHAIN <= PARSE_MAX_DEPTH) {
                p->pos++;
                e = name_tok(p, t, AST_Load);   /* what expression() makes of a lone name */
            } else {
                e = next == TOK_COLONEQUAL ? assignment_expression(p) : expression(p);
            }
            if (!e) return NULL;
            if (invalid_checks(p) && at(p, TOK_EQUAL)) {
                AstLoc l = {e->lineno, e->col_offset, ptok(p, p->pos)->end_lineno, ptok(p, p->pos)->end_col_offset};
                return syntax_error(p, "SyntaxError", l, "expression cannot contain assignment, perhaps you meant \"==\"?");
            }
            /* (after other arguments the first pass tries no for_if_clauses: it looks at the
               token after the argument only, not past an 'async') */
            bool later = args.n || kws.n;
            if (later && !invalid_checks(p) ? at_kw(p, KW_for) : at_comprehension(p)) {
                if (open >= 2 && ptok(p, open - 1)->type == TOK_NAME && ptok(p, open - 2)->kw == KW_class) return NULL;
                AstSeq *gens = comprehension_clauses(p, D_COMP_CALL);
                if (!gens) return NULL;
                /* second pass (invalid_arguments): a bare generator after other arguments,
                   or first and followed by a comma; anything else is plain invalid syntax */
                if (args.n || kws.n || !at(p, TOK_RPAR)) {
                    if (!invalid_checks(p) || !(args.n || kws.n || at(p, TOK_COMMA))) return NULL;
                    AstLoc l = loc_span(p, istart);
                    if (!args.n && !kws.n) {
                        /* `expression for_if_clauses ',' [args | expression for_if_clauses]`:
                           the arguments after the comma are read first (and may raise) */
                        p->pos++;
                        AstSeq *more_kws = NULL;
                        p->invalid_pass = false;   /* (they name no error of their own) */
                        call_args(p, &more_kws, open);
                        p->invalid_pass = true;
                        if (p->failed) return NULL;
                    }
                    return syntax_error(p, "SyntaxError", l, "Generator expression must be parenthesized");
                }
                p->pos++;
                e = mk_at(p, AST_GeneratorExp, open, e, gens);
                p->pos--;
                if (!e) return NULL;
            } else if ((seen_kw || seen_dstar) && !*late) {
                *late = seen_dstar ? "positional argument follows keyword argument unpacking"
                                   : "positional argument follows keyword argument";
            }
            vec_push(p, &args, e);
        }
        /* (the token after an argument: looked at) */
        if (ptok_seen(p, p->pos)->type != TOK_COMMA) break;
        p->pos++;
    }
    if (ptok_seen(p, p->pos)->type != TOK_RPAR) return NULL;
    *keywords = vec_seq(p, &kws);
    return vec_seq(p, &args);
}

/* starred_expression: '*' expression, in call arguments and subscripts. The second pass
   checks invalid_starred_expression ('*' expression '=' expression) and a lone '*'. */
static AstNode *starred_expression(Parser *p)
{
    size_t start = p->pos++;
    if (bad_star(p)) return NULL;
    bool quiet = quiet_displays(p);
    p->quiet_displays = invalid_checks(p);
    AstNode *v = expression(p);
    p->quiet_displays = quiet;
    /* (not an invalid_ rule: the first pass raises it, once the pass counts its looks) */
    if (!v) return !FAST_COPY && !p->failed ? error_last(p, "Invalid star expression") : NULL;
    if (invalid_checks(p) && at(p, TOK_EQUAL)) {
        size_t mark = p->pos++;
        AstNode *b = expression(p);
        if (b) {
            AstLoc l = loc_tok(p, start);
            l.end_lineno = b->end_lineno;
            l.end_col_offset = b->end_col_offset;
            return syntax_error(p, "SyntaxError", l, "cannot assign to iterable argument unpacking");
        }
        if (p->failed) return NULL;
        p->pos = mark;
    }
    return mk_at(p, AST_Starred, start, v, I(AST_Load));
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression. The lower
   bound is an `expression`: an unparenthesized `x := 1` before ':' is no slice. */
static AstNode *slice_item(Parser *p, bool *starred)
{
    size_t start = p->pos;
    if (at(p, TOK_STAR)) {
        *starred = true;
        return starred_expression(p);
    }
    AstNode *lower = NULL, *upper = NULL, *step = NULL;
    if (!at(p, TOK_COLON)) {
        lower = named_expression(p);
        if (!lower || !at(p, TOK_COLON)) return lower;
        if (lower->kind == AST_NamedExpr && ptok_type_raw(p, start) == TOK_NAME) return lower;
    }
    p->pos++;
    if (!at(p, TOK_COLON) && !at(p, TOK_RSQB) && !at(p, TOK_COMMA)) {
        upper = expression(p);
        if (!upper) return NULL;
    }
    if (accept(p, TOK_COLON) && !at(p, TOK_RSQB) && !at(p, TOK_COMMA)) {
        step = expression(p);
        if (!step) return NULL;
    }
    return mk_slice(p, start, lower, upper, step);
}

static AstNode *slices(Parser *p)
{
    size_t start = p->pos;
    bool starred = false;
    AstNode *s = slice_item(p, &starred);
    if (!s) return NULL;
    if (!at(p, TOK_COMMA) && !starred) return s;
    Vec v = {0};
    vec_push(p, &v, s);
    while (accept(p, TOK_COMMA)) {
        if (at(p, TOK_RSQB)) break;
        s = slice_item(p, &starred);
        if (!s) return NULL;
        vec_push(p, &v, s);
    }
    return mk_elts(p, AST_Tuple, start, vec_seq(p, &v), AST_Load);
}

static inline AstNode *primary_at(Parser *p);

static inline __attribute__((always_inline)) AstNode *primary_inline(Parser *p)
{
    if (p->pos + 1 != p->lift_at) return primary_at(p);
    /* the expression path finds the atom's contents memoized, but reaches them (an atom is
       not memoized) at its own depth: up to the first item's expression call */
    int ty = cur_type(p);
    int reach = ty == TOK_NUMBER || ty == TOK_STRING || ty == TOK_FSTRING_START ? D_NUMBER :   /* strings: memo */
                ty == TOK_LPAR ? D_GROUP + 1 : ty == TOK_LSQB || ty == TOK_LBRACE ? D_DISPLAY + 1 : 0;
    if (!peak(p, reach)) return NULL;
    int lift = p->lift;
    p->depth -= lift;
    AstNode *e = primary_at(p);
    p->depth += lift;
    return e;
}

AstNode *primary(Parser *p) { return primary_inline(p); }

static inline AstNode *primary_at(Parser *p)
{
    size_t start = p->pos;
    const PTok *t = ptok(p, start);
    int ty = t->type;
    AstNode *e;
    if (ty == TOK_NAME && (t->kw == 0 || t->kw >= KW__HARD_END)) {   /* atom's NAME, inline */
        p->pos++;
        e = name_tok(p, t, AST_Load);
    } else {
        int hold = ty == TOK_LPAR ? D_GROUP : ty == TOK_LSQB || ty == TOK_LBRACE ? D_DISPLAY : 0;
        if (!enter_n(p, hold)) return NULL;
        e = atom(p);
        leave_n(p, hold);
    }
    /* A trailer that does not parse leaves the primary before it (the rule is left-recursive
       in CPython's grammar), unless an error was raised. */
    while (e) {
        size_t here = p->pos;
        AstNode *next;
        ty = cur_type(p);
        if ((ty == TOK_LPAR || ty == TOK_LSQB || ty == TOK_LBRACE) && invalid_checks(p) && !quiet_displays(p)) {
            /* `primary genexp` comes first, and genexp's invalid_comprehension takes any of
               the three brackets: "x[*a for a in b]", "f(x){a, b for a in c}" */
            invalid_comprehension(p, here, false);
            if (p->failed) return NULL;
            p->pos = here;
        }
        if (ty == TOK_DOT) {
            const PTok *n = ptok(p, ++p->pos);
            next = NULL;
            if (n->type == TOK_NAME && (n->kw == 0 || n->kw >= KW__HARD_END)) {
                p->pos++;
                next = mk_attribute(p, start, e, p->names[n->aux]);
            }
        } else if (ty == TOK_LPAR || ty == TOK_LSQB) {
            /* a call's or subscript's brackets are checked again (see quiet_displays) */
            bool quiet = quiet_displays(p), inv = invalid_checks(p);
            if (quiet) p->invalid_pass = true, p->quiet_displays = false;
            leave_n(p, D_TRAILER_BACK);
            if (ty == TOK_LPAR) {
                size_t open = p->pos++;
                AstSeq *kws = NULL, *args = call_args(p, &kws, open);
                /* (call_args returns at the ')', looked at) */
                next = args && seen_type(p) == TOK_RPAR ? (p->pos++, mk_call(p, start, e, args, kws)) : NULL;
            } else {
                p->pos++;
                AstNode *s = slices(p);
                next = s && accept(p, TOK_RSQB) ? mk_subscript(p, start, e, s) : NULL;
            }
            p->depth += D_TRAILER_BACK;
            if (quiet) p->quiet_displays = true, p->invalid_pass = inv;   /* (else as they were) */
        } else {
            break;
        }
        if (!next) {
            if (p->failed) e = NULL;
            else p->pos = here;
            break;
        }
        e = next;
    }
    return e;
}

/* ------------------------------------------------------------------ operators */

/* An operator whose right operand does not parse: the rule matches what came before it
   (CPython's `sum: sum '+' term | term` backtracks to the shorter parse), which the second
   pass's checks then see followed by the operator ("a if b is not return else c": expected
   'else'). Unless an error was raised: then NULL. */
static AstNode *operand_failed(Parser *p, size_t at_op, AstNode *left)
{
    if (p->failed) return NULL;
    p->pos = at_op;
    return left;
}

/* The operator levels below take the rule's first token `start` and, when not NULL, its
   first operand `pre`: a primary already parsed there (see expression()). */
static AstNode *factor(Parser *p, size_t start, AstNode *pre);
static AstNode *inversion(Parser *p, size_t start, AstNode *pre);

static AstNode *power(Parser *p, size_t start, AstNode *pre)
{
    AstNode *e = pre;
    if (pre) {
    } else if (at_kw(p, KW_await)) {
        p->pos++;
        AstNode *v = primary(p);
        if (!v) return NULL;
        e = mk_at(p, AST_Await, start, v);
    } else {
        e = primary(p);
    }
    if (!e || seen_type(p) != TOK_DOUBLESTAR) return e;   /* (the token after a primary: looked at) */
    size_t at_op = p->pos++;
    if (!enter_n(p, D_POWER)) return NULL;
    AstNode *r = factor(p, p->pos, NULL);
    leave_n(p, D_POWER);
    if (!r) return operand_failed(p, at_op, e);
    return mk_binop(p, start, e, AST_Pow, r);
}

static AstNode *factor(Parser *p, size_t start, AstNode *pre)
{
    int op;
    switch (pre ? 0 : cur_type(p)) {
    case TOK_PLUS: op = AST_UAdd; break;
    case TOK_MINUS: op = AST_USub; break;
    case TOK_TILDE: op = AST_Invert; break;
    default: return power(p, start, pre);
    }
    if (!enter_n(p, D_UNARY)) return NULL;
    p->pos++;
    AstNode *v = factor(p, p->pos, NULL);
    leave_n(p, D_UNARY);
    return v ? mk_unaryop(p, start, op, v) : NULL;
}

/* Binary operators: the operator kind of a token and its level, loosest first
   (| ^ & << >> + - * / // % @); -1 when the token is none. */
static inline int binop_of(int type, int *op)
{
    switch (type) {
    case TOK_VBAR: *op = AST_BitOr; return 0;
    case TOK_CIRCUMFLEX: *op = AST_BitXor; return 1;
    case TOK_AMPER: *op = AST_BitAnd; return 2;
    case TOK_LEFTSHIFT: *op = AST_LShift; return 3;
    case TOK_RIGHTSHIFT: *op = AST_RShift; return 3;
    case TOK_PLUS: *op = AST_Add; return 4;
    case TOK_MINUS: *op = AST_Sub; return 4;
    case TOK_STAR: *op = AST_Mult; return 5;
    case TOK_SLASH: *op = AST_Div; return 5;
    case TOK_DOUBLESLASH: *op = AST_FloorDiv; return 5;
    case TOK_PERCENT: *op = AST_Mod; return 5;
    case TOK_AT: *op = AST_MatMult; return 5;
    default: return -1;
    }
}

/* Precedence climbing over the left-associative binary operators of level >= min; each
   BinOp starts at the first token of its left operand's rule. */
/* Second pass: "'not' after an operator must be parenthesized", from the 'not' at p->pos + 1
   to the operand after it (a factor, else an inversion), when that parses. */
static void *not_after_operator(Parser *p, bool as_factor)
{
    size_t mark = p->pos, not_at = p->pos + 1;
    p->pos += 2;
    AstNode *b = as_factor ? factor(p, p->pos, NULL) : inversion(p, p->pos, NULL);
    if (b)
        return syntax_error(p, "SyntaxError", loc_range(loc_tok(p, not_at), loc_node(b)),
                            "'not' after an operator must be parenthesized");
    if (!p->failed) p->pos = mark;
    return NULL;
}

static bool unary_then_not(Parser *p)
{
    int ty = cur_type(p);
    return (ty == TOK_PLUS || ty == TOK_MINUS || ty == TOK_TILDE) && peek_kw(p, 1) == KW_not;
}

static AstNode *binary(Parser *p, int min, size_t start, AstNode *pre)
{
    /* a term starts here (min <= 5): invalid_factor, `('+'|'-'|'~') 'not' factor`, first */
    if (!pre && min <= 5 && invalid_checks(p) && unary_then_not(p)) {
        not_after_operator(p, true);
        if (p->failed) return NULL;
    }
    AstNode *left = factor(p, start, pre);
    /* an operator above the last one's level after its operand is one whose own operand
       failed in there: not tried again */
    int op = 0, level, last = 1 << 30;
    bool shifted = false;   /* an operator of the shift level or below was taken */
    while (left && (level = binop_of(seen_type(p), &op)) >= min && level <= last) {   /* (after an operand) */
        last = level;
        size_t at_op = p->pos++;
        AstNode *right = binary(p, level + 1, p->pos, NULL);   /* as deep as CPython's: no count */
        if (!right) {
            left = operand_failed(p, at_op, left);
            break;
        }
        left = mk_binop(p, start, left, op, right);
        shifted |= level <= 3;
    }
    /* a shift_expr starts here (min <= 3): invalid_arithmetic, a sum, then an arithmetic
       operator and 'not' inversion */
    if (left && min <= 3 && !shifted && invalid_checks(p) && binop_of(seen_type(p), &op) >= 4 &&
        peek_kw(p, 1) == KW_not)
        return not_after_operator(p, false) ? NULL : p->failed ? NULL : left;
    return left;
}

AstNode *bitwise_or(Parser *p) { return binary(p, 0, p->pos, NULL); }

/* (called after an operand: the token at p->pos has been looked at) */
static int compare_op(Parser *p, int *ntok)
{
    *ntok = 1;
    switch (seen_type(p)) {
    case TOK_EQEQUAL: return AST_Eq;
    case TOK_NOTEQUAL: return tok_text(p, ptok_seen(p, p->pos))[0] == '!' ? AST_NotEq : 0;  /* '<>' is Barry's */
    case TOK_LESS: return AST_Lt;
    case TOK_LESSEQUAL: return AST_LtE;
    case TOK_GREATER: return AST_Gt;
    case TOK_GREATEREQUAL: return AST_GtE;
    case TOK_NAME:
        switch (seen_kw(p)) {
        case KW_in: return AST_In;
        case KW_not: if (peek_kw(p, 1) == KW_in) { *ntok = 2; return AST_NotIn; } return 0;
        case KW_is: if (peek_kw(p, 1) == KW_not) { *ntok = 2; return AST_IsNot; } return AST_Is;
        default: return 0;
        }
    default: return 0;
    }
}

static AstNode *comparison(Parser *p, size_t start, AstNode *pre)
{
    AstNode *left = binary(p, 0, start, pre);
    if (!left) return NULL;
    Vec ops, comparators; VEC_EMPTY(ops); VEC_EMPTY(comparators);
    int n, op;
    while ((op = compare_op(p, &n))) {
        size_t at_op = p->pos;
        p->pos += (size_t)n;
        AstNode *r = bitwise_or(p);
        if (!r) {
            if (!operand_failed(p, at_op, left)) return NULL;
            break;
        }
        vec_push(p, &ops, I(op));
        vec_push(p, &comparators, r);
    }
    if (!ops.n) return left;
    AstSeq *os = vec_seq(p, &ops);
    if (!os) return NULL;
    /* ops are enum values: stored as sequence items holding the kind */
    return mk_compare(p, start, left, os, vec_seq(p, &comparators));
}

static AstNode *inversion(Parser *p, size_t start, AstNode *pre)
{
    if (pre || !at_kw(p, KW_not)) return comparison(p, start, pre);
    p->pos++;
    if (!enter_n(p, D_UNARY)) return NULL;
    AstNode *v = inversion(p, p->pos, NULL);
    leave_n(p, D_UNARY);
    return v ? mk_unaryop(p, start, AST_Not, v) : NULL;
}

static AstNode *boolop(Parser *p, int kw, size_t start, AstNode *pre)
{
    AstNode *e = kw == KW_or ? boolop(p, KW_and, start, pre) : inversion(p, start, pre);
    if (!e || seen_kw(p) != kw) return e;   /* (the tokens after operands: looked at) */
    Vec v; VEC_EMPTY(v);
    vec_push(p, &v, e);
    for (size_t at_op = p->pos; seen_kw(p) == kw; at_op = p->pos) {
        p->pos++;
        e = kw == KW_or ? boolop(p, KW_and, p->pos, NULL) : inversion(p, p->pos, NULL);
        if (!e) {
            if (!operand_failed(p, at_op, vec_items(&v)[0])) return NULL;
            if (v.n == 1) return vec_items(&v)[0];
            break;
        }
        vec_push(p, &v, e);
    }
    return mk_at(p, AST_BoolOp, start, I(kw == KW_or ? AST_Or : AST_And), vec_seq(p, &v));
}

AstNode *disjunction(Parser *p)
{
    if (!memo_of(p) || p->pos >= p->ntok) return boolop(p, KW_or, p->pos, NULL);
    DisjMemo *m = &p->memo[p->pos];
    if (m->state) {
        p->pos = m->end;
        return m->node;
    }
    size_t at_pos = p->pos;
    AstNode *e = boolop(p, KW_or, p->pos, NULL);
    if (!p->failed) {
        m = &p->memo[at_pos];
        m->state = e ? 1 : 2;
        m->node = e;
        m->end = p->pos;
    }
    return e;
}

static AstNode *lambdef(Parser *p)
{
    size_t start = p->pos++;
    AstNode *args = arguments_params(p, true);
    if (!args || !accept(p, TOK_COLON)) return NULL;
    if (invalid_checks(p) && at(p, TOK_FSTRING_MIDDLE)) {
        AstLoc l = loc_span(p, start);
        return syntax_error(p, "SyntaxError", l, "f-string: lambda expressions are not allowed without parentheses");
    }
    if (!enter_n(p, D_LAMBDA)) return NULL;
    AstNode *body = expression(p);
    leave_n(p, D_LAMBDA);
    return body ? mk_at(p, AST_Lambda, start, args, body) : NULL;
}

/* Second pass, at a NAME not followed by '(': CPython parses star_expressions after it
   (invalid_legacy_expression), which names the missing parentheses of "print x" and, for
   other names, still reads on (and may raise what it meets: "a b c if d"). Once per token. */
static void check_legacy(Parser *p, size_t start)
{
    const PTok *pt = ptok(p, start), *t = pt;
    if (t->type != TOK_NAME || (pt->kw && pt->kw < KW__HARD_END) || ptok(p, start + 1)->type == TOK_LPAR)
        return;
    if (p->memo[start].legacy_done) return;
    p->memo[start].legacy_done = true;
    size_t save = p->pos;
    p->pos = start + 1;
    AstNode *b = star_expressions(p);
    if (b && !p->failed &&
        ((t->len == 5 && memcmp(tok_text(p, t), "print", 5) == 0) || (t->len == 4 && memcmp(tok_text(p, t), "exec", 4) == 0))) {
        AstLoc l = loc_tok(p, start);
        l.end_lineno = b->end_lineno;
        l.end_col_offset = b->end_col_offset;
        syntax_error(p, "SyntaxError", l, "Missing parentheses in call to '%.*s'. Did you mean %.*s(...)?",
                     (int)t->len, tok_text(p, t), (int)t->len, tok_text(p, t));
        return;
    }
    p->pos = save;
}

static bool is_legacy_name(const AstNode *a)
{
    if (a->kind != AST_Name) return false;
    const char *id = a->f[F_Name_id].id;
    return strcmp(id, "print") == 0 || strcmp(id, "exec") == 0;
}

/* CPython's SOFT_KEYWORD token: it compares a NAME with each soft keyword over the NAME's
   length only, so any prefix of one ("c", "ma", "ty") matches too. */
static bool soft_keyword_token(Parser *p, const PTok *t)
{
    static const char *const soft[] = {"_", "case", "match", "type"};
    if (t->type != TOK_NAME || (t->kw && t->kw < KW__HARD_END)) return false;
    for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
        if (strncmp(soft[i], tok_text(p, t), t->len) == 0) return true;
    return false;
}

/* Second pass: an expression directly followed by another inside brackets
   ("Perhaps you forgot a comma?", invalid_expression). */
static void check_forgot_comma(Parser *p, size_t start, AstNode *a)
{
    if (!can_start_expr(p) || at(p, TOK_STAR)) return;
    const PTok *first = ptok(p, start);
    /* !(NAME STRING | SOFT_KEYWORD): an f-string is no STRING token */
    if (first->type == TOK_NAME && (soft_keyword_token(p, first) ||
                                    (!(first->kw && first->kw < KW__HARD_END) && ptok(p, start + 1)->type == TOK_STRING)))
        return;
    size_t mark = p->pos;
    p->invalid_pass = false;
    AstNode *b = expression(p);
    p->invalid_pass = true;
    if (p->failed) return;
    if (b && !is_legacy_name(a) && p->toks[p->pos - 1].level > 0) {
        AstLoc l = {a->lineno, a->col_offset, b->end_lineno, b->end_col_offset};
        syntax_error(p, "SyntaxError", l, "invalid syntax. Perhaps you forgot a comma?");
        return;
    }
    p->pos = mark;
}

/* Whether token t begins a primary (an atom). */
static bool starts_primary(const PTok *t)
{
    switch (t->type) {
    case TOK_NAME:
        return t->kw == 0 || t->kw >= KW__HARD_END || t->kw == KW_None || t->kw == KW_True || t->kw == KW_False;
    case TOK_NUMBER: case TOK_STRING: case TOK_FSTRING_START: case TOK_LPAR: case TOK_LSQB: case TOK_LBRACE:
    case TOK_ELLIPSIS:
        return true;
    default:
        return false;
    }
}

/* Whether a name followed by a token of type `next` is a whole expression: the token ends
   one (the trailer, operator and 'if' checks would look at just that token and stop). */
static bool ends_lone_name(int next)
{
    switch (next) {
    case TOK_COMMA: case TOK_RPAR: case TOK_RSQB: case TOK_RBRACE: case TOK_NEWLINE: case TOK_EQUAL:
    case TOK_COLON: case TOK_SEMI:
        return true;
    default:
        return false;
    }
}

/* Whether an operator level above primary would act on token t (any token the operator
   rules test, so that skipping them looks at no fewer tokens). */
static bool continues_expression(const PTok *t)
{
    int op;
    switch (t->type) {
    case TOK_NAME:
        return t->kw == KW_and || t->kw == KW_or || t->kw == KW_not || t->kw == KW_in || t->kw == KW_is;
    case TOK_DOUBLESTAR: case TOK_EQEQUAL: case TOK_NOTEQUAL: case TOK_LESS: case TOK_LESSEQUAL: case TOK_GREATER:
    case TOK_GREATEREQUAL:
        return true;
    default:
        return binop_of(t->type, &op) >= 0;
    }
}

/* invalid_expression's `a=disjunction 'if' b=disjunction !('else'|':')`: from a's node to
   b's (a parenthesized one starts inside its parentheses). */
static void *else_expected(Parser *p, const AstNode *a, const AstNode *b)
{
    AstLoc l = {a->lineno, a->col_offset, b->end_lineno, b->end_col_offset};
    return syntax_error(p, "SyntaxError", l, "expected 'else' after 'if' expression");
}

/* Second pass, after the disjunction e at `start`: CPython's order is invalid_expression (a
   missing comma, 'if' without 'else'), then invalid_legacy_expression, then the expression
   itself. */
static void expression_checks(Parser *p, size_t start, AstNode *e)
{
    if (e) check_forgot_comma(p, start, e);
    size_t after = p->pos;
    AstNode *test;
    if (e && !p->failed && accept_kw(p, KW_if) && (test = disjunction(p)) && !at_kw(p, KW_else) && !at(p, TOK_COLON))
        else_expected(p, e, test);
    p->pos = after;
    if (!p->failed) check_legacy(p, start);
    p->pos = after;
}

/* At 'if' after the disjunction e at `start`: disjunction 'if' disjunction 'else'
   expression, else the disjunction alone. */
static AstNode *if_else(Parser *p, size_t start, AstNode *e)
{
    size_t at_if = p->pos++;
    AstNode *test = disjunction(p), *orelse = NULL;
    if (test && !accept_kw(p, KW_else)) {
        if (invalid_checks(p) && !at(p, TOK_COLON))
            e = else_expected(p, e, test);
    } else if (test) {
        p->depth -= D_CHAIN;   /* CPython's expression rule calls itself for this one */
        orelse = expression(p);
        p->depth += D_CHAIN;
    }
    if (orelse) return mk_at(p, AST_IfExp, start, test, e, orelse);
    if (p->failed) return NULL;
    p->pos = at_if;
    return e;
}

/* expression() past a lone name */
static AstNode *expression_rest(Parser *p)
{
    size_t start = p->pos;
    const PTok *t = ptok(p, start);
    AstNode *e;
    if (t->type == TOK_NAME && t->kw == KW_lambda) {
        if (!enter_n(p, D_EXPRESSION)) return NULL;
        e = lambdef(p);
        leave_n(p, D_EXPRESSION);
        return e;
    }
    if (!enter_n(p, D_EXPRESSION + D_CHAIN)) return NULL;
    if (!memo_of(p) && starts_primary(t)) {
        /* most expressions are one primary: the operator levels only see an operator
           (first pass only: the second keeps CPython's memo of disjunction) */
        e = primary_inline(p);
        if (e) {
            t = ptok_seen(p, p->pos);
            if (continues_expression(t) && (e = boolop(p, KW_or, start, e))) t = ptok_seen(p, p->pos);
        }
    } else {
        e = disjunction(p);
        if (invalid_checks(p) && memo_of(p)) {
            expression_checks(p, start, e);
            if (p->failed) { leave_n(p, D_EXPRESSION + D_CHAIN); return NULL; }
        }
        if (e) t = ptok_seen(p, p->pos);
    }
    if (e && t->type == TOK_NAME && t->kw == KW_if) e = if_else(p, start, e);
    leave_n(p, D_EXPRESSION + D_CHAIN);
    return e;
}

AstNode *expression(Parser *p)
{
    /* a lone name, the most frequent expression, without the rest's frame: as the rest
       would make it (first pass only), once the depth it holds there is known to fit */
    const PTok *t = ptok(p, p->pos);
    if (!memo_of(p) && t->type == TOK_NAME && (t->kw == 0 || t->kw >= KW__HARD_END) &&
        p->depth + D_EXPRESSION + D_CHAIN <= PARSE_MAX_DEPTH && ends_lone_name(ptok(p, p->pos + 1)->type)) {
        p->pos++;
        return name_tok(p, t, AST_Load);
    }
    return expression_rest(p);
}

/* assignment_expression | expression (no check of a following '=') */
static inline AstNode *assignment_expression(Parser *p)
{
    if (at_name(p) && peek_type(p, 1) == TOK_COLONEQUAL) {
        size_t start = p->pos;
        AstNode *target = name_at(p, p->pos, AST_Store);
        p->pos += 2;
        AstNode *v = expression(p);
        return v && target ? mk_at(p, AST_NamedExpr, start, target, v) : NULL;
    }
    return expression(p);
}

/* The look ahead !(list|tuple|genexp|'True'|'None'|'False') of invalid_named_expression
   failing at token `start`: the atom there is one of those (parsed again to know). */
static bool starts_display_or_singleton(Parser *p, size_t start)
{
    const PTok *t = ptok(p, start);
    if (t->type == TOK_NAME) return t->kw == KW_True || t->kw == KW_None || t->kw == KW_False;
    if (t->type != TOK_LSQB && t->type != TOK_LPAR) return false;
    size_t mark = p->pos;
    bool inv = invalid_checks(p);
    p->pos = start;
    p->invalid_pass = false;
    AstNode *a = atom(p);
    p->invalid_pass = inv;
    p->pos = mark;
    if (!a) return false;
    return t->type == TOK_LSQB ? a->kind == AST_List
                               : a->kind == AST_GeneratorExp || (a->kind == AST_Tuple && ptok(p, start)->type == TOK_LPAR &&
                                                                 a->col_offset == t->col_offset && a->lineno == t->lineno);
}

AstNode *named_expression(Parser *p)
{
    size_t start = p->pos;
    AstNode *e = assignment_expression(p);
    if (e && invalid_checks(p) && at(p, TOK_COLONEQUAL) && e->kind != AST_NamedExpr) {
        /* invalid_named_expression: `a := b` where `a` is no name, once `b` parses */
        size_t mark = p->pos++;
        AstNode *b = expression(p);
        if (p->failed) return NULL;
        if (b) return error_node(p, e, "cannot use assignment expressions with %s", expr_description(e));
        p->pos = mark;
        return e;
    }
    if (e && invalid_checks(p) && at(p, TOK_EQUAL) && e->kind != AST_NamedExpr) {
        /* invalid_named_expression: `a = b` where an expression was expected; `NAME = b`, or
           `a = b` unless a list, tuple, generator or True/None/False starts a (then b is
           not even parsed) */
        bool name = e->kind == AST_Name && ptok(p, start)->type == TOK_NAME;
        if (!name && starts_display_or_singleton(p, start)) return e;
        size_t mark = p->pos++;
        AstNode *b = bitwise_or(p);
        if (p->failed) return NULL;
        if (b && !at(p, TOK_EQUAL) && !at(p, TOK_COLONEQUAL)) {
            if (name) {
                AstLoc l = {e->lineno, e->col_offset, b->end_lineno, b->end_col_offset};
                return syntax_error(p, "SyntaxError", l, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            }
            return error_node(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?", expr_description(e));
        }
        p->pos = mark;
    }
    return e;
}

/* Second pass: a '*' that no expression follows. */
static bool bad_star(Parser *p)
{
    if (FAST_COPY || can_start_expr(p)) return false;
    error_tok(p, p->pos, "Invalid star expression");
    return true;
}

AstNode *star_bitwise_or(Parser *p)
{
    size_t start = p->pos++;
    AstNode *v = bitwise_or(p);
    return v ? mk_at(p, AST_Starred, start, v, I(AST_Load)) : NULL;
}


AstNode *star_expressions(Parser *p)
{
    size_t start = p->pos;
    AstNode *e = star_expression(p);
    if (!e || ptok_seen(p, p->pos)->type != TOK_COMMA) return e;
    Vec v; VEC_EMPTY(v);
    vec_push(p, &v, e);
    while (accept(p, TOK_COMMA)) {
        if (!can_start_expr(p)) break;
        e = star_expression(p);
        if (!e) return NULL;
        vec_push(p, &v, e);
    }
    return mk_elts(p, AST_Tuple, start, vec_seq(p, &v), AST_Load);
}

AstNode *yield_expr(Parser *p)
{
    size_t start = p->pos++;
    if (accept_kw(p, KW_from)) {
        AstNode *v = expression(p);
        return v ? mk_at(p, AST_YieldFrom, start, v) : NULL;
    }
    AstNode *v = NULL;
    if (can_start_expr(p)) {
        v = star_expressions(p);
        if (!v) return NULL;
    }
    return mk_at(p, AST_Yield, start, v);
}


/* ------------------------------------------------------------------ targets */

/* star_target never raises (CPython's invalid_* rules name a bad target): what is no target
   just fails. */
AstNode *star_target(Parser *p)
{
    if (at(p, TOK_STAR)) {
        size_t start = p->pos++;
        if (at(p, TOK_STAR)) return NULL;
        AstNode *v = star_target(p);
        return v ? mk_at(p, AST_Starred, start, v, I(AST_Store)) : NULL;
    }
    AstNode *e = primary(p);
    return e && !invalid_target(e, AST_Store) ? set_context(p, e, AST_Store) : NULL;
}

/* Targets of for loops and comprehensions: star_target (',' star_target)* [','] */
AstNode *star_targets(Parser *p)
{
    size_t start = p->pos;
    AstNode *e = star_target(p);
    if (!e || !at(p, TOK_COMMA)) return e;
    Vec v; VEC_EMPTY(v);
    vec_push(p, &v, e);
    while (accept(p, TOK_COMMA)) {
        if (!at(p, TOK_STAR) && !can_start_expr(p)) break;
        if (at_kw(p, KW_in)) break;
        e = star_target(p);
        if (!e) return NULL;
        vec_push(p, &v, e);
    }
    return mk_elts(p, AST_Tuple, start, vec_seq(p, &v), AST_Store);
}

/* ------------------------------------------------------------------ parameters */

static AstNode *param(Parser *p, bool lambda, bool star_annotation)
{
    size_t start = p->pos;
    if (!at_name(p)) return NULL;
    const char *id = tok_ident(p, p->pos++);
    AstNode *ann = NULL;
    if (!lambda && accept(p, TOK_COLON)) {
        ann = star_annotation && at(p, TOK_STAR) ? star_expression(p) : expression(p);
        if (!ann) return NULL;
    }
    return id ? mk_arg(p, start, id, ann) : NULL;
}

AstNode *arguments_params(Parser *p, bool lambda)
{
    int close = lambda ? TOK_COLON : TOK_RPAR;
    if (at(p, close)) return mk_arguments_empty(p);   /* no parameters (what the loop below makes of them) */
    Vec posonly, args, defaults, kwonly, kwdefaults;
    VEC_EMPTY(posonly), VEC_EMPTY(args), VEC_EMPTY(defaults), VEC_EMPTY(kwonly), VEC_EMPTY(kwdefaults);
    AstNode *vararg = NULL, *kwarg = NULL;
    int state = 0;  /* 0: positional, 1: after '*', 2: after '**' */
    bool seen_default = false, slash = false;
    size_t bare_star = 0;   /* token index + 1 of a bare '*' */
    while (!at(p, close)) {
        size_t istart = p->pos;
        if (at(p, TOK_SLASH)) {
            if (state == 2) return error_tok(p, istart, "arguments cannot follow var-keyword argument");
            if (slash) return error_tok(p, istart, "/ may appear only once");
            if (state) return error_tok(p, istart, "/ must be ahead of *");
            if (!args.n) return error_tok(p, istart, "at least one argument must precede /");
            p->pos++;
            posonly = args;
            args = (Vec){0};
            slash = true;
            if (invalid_checks(p) && at(p, TOK_STAR)) return error_tok(p, p->pos, "expected comma between / and *");
        } else if (at(p, TOK_STAR)) {
            if (state == 2) return error_tok(p, istart, "arguments cannot follow var-keyword argument");
            if (state) return error_tok(p, istart, "* argument may appear only once");
            p->pos++;
            state = 1;
            if (at(p, TOK_COMMA) || at(p, close)) {
                bare_star = istart + 1;
                if (at(p, close) || peek_type(p, 1) == close || peek_type(p, 1) == TOK_DOUBLESTAR)
                    return error_tok(p, lambda ? p->pos + (at(p, close) ? 0 : 1) : istart, "named arguments must follow bare *");
            } else if (!(vararg = param(p, lambda, true))) {
                return NULL;
            } else if (at(p, TOK_EQUAL)) {
                return error_tok(p, p->pos, "var-positional argument cannot have default value");
            }
        } else if (at(p, TOK_DOUBLESTAR)) {
            if (state == 2) return error_tok(p, istart, "arguments cannot follow var-keyword argument");
            p->pos++;
            if (!(kwarg = param(p, lambda, false))) return NULL;
            if (at(p, TOK_EQUAL)) return error_tok(p, p->pos, "var-keyword argument cannot have default value");
            state = 2;
        } else {
            /* after '**' param ',' only a parameter (or '*', '**', '/' above) is reported as following it;
               anything else is plain invalid syntax */
            if (state == 2) {   /* at the parameter, its annotation included */
                AstNode *a = at_name(p) ? param(p, lambda, false) : NULL;
                return a ? error_node(p, a, "arguments cannot follow var-keyword argument") : NULL;
            }
            if (at(p, TOK_LPAR) && invalid_checks(p) && peek_type(p, 1) == TOK_NAME && !state && !slash && !seen_default) {
                /* param_no_default* '(' param_no_default+ ','? ')': parameters (annotated too) in parentheses */
                p->pos++;
                int n = 0;
                while (at_name(p) && param(p, lambda, false)) {
                    n++;
                    if (!accept(p, TOK_COMMA)) break;
                }
                if (p->failed) return NULL;
                if (n && at(p, TOK_RPAR)) {
                    AstLoc l = loc_tok(p, istart), r = loc_tok(p, p->pos);
                    l.end_lineno = r.end_lineno;
                    l.end_col_offset = r.end_col_offset;
                    return syntax_error(p, "SyntaxError", l, lambda ? "Lambda expression parameters cannot be parenthesized"
                                                                  : "Function parameters cannot be parenthesized");
                }
                p->pos = istart;
            }
            AstNode *a = param(p, lambda, false);
            if (!a) return NULL;
            AstNode *d = NULL;
            if (accept(p, TOK_EQUAL)) {
                /* invalid_default: '=' with nothing before the next ',' or ')' */
                if (invalid_checks(p) && (at(p, TOK_COMMA) || at(p, TOK_RPAR)))
                    return error_tok(p, p->pos - 1, "expected default value expression");
                if (!(d = expression(p))) return NULL;
            }
            if (state == 0) {
                if (d) { vec_push(p, &defaults, d); seen_default = true; }
                else if (seen_default && (at(p, TOK_COMMA) || at(p, close)))   /* a param_no_default */
                    return error_node(p, a, "parameter without a default follows parameter with a default");
                else if (seen_default) return NULL;
                vec_push(p, &args, a);
            } else {
                vec_push(p, &kwonly, a);
                vec_push(p, &kwdefaults, d);
            }
        }
        if (!accept(p, TOK_COMMA)) break;
    }
    if (bare_star && !kwonly.n) return error_tok(p, bare_star - 1, "named arguments must follow bare *");
    return mk_arguments(p, vec_seq(p, &posonly), vec_seq(p, &args), vararg, vec_seq(p, &kwonly), vec_seq(p, &kwdefaults),
                        kwarg, vec_seq(p, &defaults));
}

/* ------------------------------------------------------------------ type parameters */

AstSeq *type_params_opt(Parser *p)
{
    if (!has(p, GRAM_TYPE_PARAMS) || !accept(p, TOK_LSQB)) return p->empty;
    Vec v; VEC_EMPTY(v);
    if (at(p, TOK_RSQB)) return error_from(p, loc_tok(p, p->pos), "Type parameter list cannot be empty");
    while (!at(p, TOK_RSQB)) {
        size_t start = p->pos;
        AstKind kind = accept(p, TOK_STAR) ? AST_TypeVarTuple : accept(p, TOK_DOUBLESTAR) ? AST_ParamSpec : AST_TypeVar;
        if (!at_name(p)) return NULL;
        const char *id = tok_ident(p, p->pos++);
        AstNode *bound = NULL, *dflt = NULL, *tp;
        if (kind != AST_TypeVar && at(p, TOK_COLON)) {
            /* invalid_type_param: `':' expression`, from the colon to where the tokenizer stands */
            size_t colon = p->pos++;
            AstNode *e = expression(p);
            if (!e) return NULL;
            return error_from(p, loc_tok(p, colon), "cannot use %s with %s", e->kind == AST_Tuple ? "constraints" : "bound",
                              kind == AST_TypeVarTuple ? "TypeVarTuple" : "ParamSpec");
        }
        if (kind == AST_TypeVar && accept(p, TOK_COLON) && !(bound = expression(p))) return NULL;
        if (has(p, GRAM_TYPE_DEFAULTS) && accept(p, TOK_EQUAL)) {
            dflt = kind == AST_TypeVarTuple ? star_expression(p) : expression(p);
            if (!dflt) return NULL;
        }
        if (kind == AST_TypeVar) tp = mk_at(p, kind, start, id, bound, dflt);
        else tp = mk_at(p, kind, start, id, dflt);
        if (!tp) return NULL;
        vec_push(p, &v, tp);
        if (!accept(p, TOK_COMMA)) break;
    }
    if (!accept(p, TOK_RSQB)) return NULL;
    if (!v.n) return NULL;
    return vec_seq(p, &v);
}
