/* parse_pattern.c - the match statement and its patterns. */
#include <string.h>

#include "parse_internal.h"

static AstNode *pattern(Parser *p);

static Value *singleton(Parser *p, int kw)
{
    Value *v = value_new(p->a, kw == KW_None ? V_NONE : kw == KW_True ? V_TRUE : V_FALSE, 0);
    return v ? v : oom(p);
}

/* signed_number, complex_number and strings: the expression of a literal pattern or key. */
static AstNode *literal_expr(Parser *p)
{
    size_t start = p->pos;
    if (at(p, TOK_STRING) || at(p, TOK_FSTRING_START)) return strings(p);
    int kw = cur_kw(p);
    if (kw == KW_None || kw == KW_True || kw == KW_False) {
        Value *v = singleton(p, kw);
        p->pos++;
        return v ? mk_at(p, AST_Constant, start, v, NULL) : NULL;
    }
    bool neg = accept(p, TOK_MINUS);
    if (!at(p, TOK_NUMBER)) return NULL;
    size_t num = p->pos++;
    Value *v = parse_number(p, num);
    AstNode *e = v ? mk_leaf(p, AST_Constant, loc_tok(p, num), (AstField){.v = v}, (AstField){.id = NULL}) : NULL;
    if (e && neg) e = mk_at(p, AST_UnaryOp, start, I(AST_USub), e);
    if (e && (at(p, TOK_PLUS) || at(p, TOK_MINUS)) && peek_type(p, 1) == TOK_NUMBER) {
        int op = at(p, TOK_PLUS) ? AST_Add : AST_Sub;
        p->pos++;
        size_t im = p->pos++;
        Value *iv = parse_number(p, im);
        AstNode *r = iv ? mk_leaf(p, AST_Constant, loc_tok(p, im), (AstField){.v = iv}, (AstField){.id = NULL}) : NULL;
        if (r && v->kind == V_COMPLEX) return error_node(p, e, "real number required in complex literal");
        if (r && iv->kind != V_COMPLEX) return error_node(p, r, "imaginary number required in complex literal");
        e = r ? mk_at(p, AST_BinOp, start, e, I(op), r) : NULL;
    }
    return e;
}

/* NAME ('.' NAME)* as Name or Attribute (Load). */
static AstNode *name_or_attr(Parser *p)
{
    size_t start = p->pos;
    AstNode *e = name_at(p, p->pos++, AST_Load);
    while (e && at(p, TOK_DOT)) {
        p->pos++;
        if (!at_name(p)) return NULL;
        const char *attr = tok_ident(p, p->pos++);
        e = mk_at(p, AST_Attribute, start, e, attr, I(AST_Load));
    }
    return e;
}

static AstNode *star_or_pattern(Parser *p)
{
    if (!at(p, TOK_STAR)) return pattern(p);
    size_t start = p->pos++;
    if (!at_name(p)) return NULL;
    const char *name = cur_kw(p) == SKW__ ? NULL : tok_ident(p, p->pos);
    p->pos++;
    return mk_at(p, AST_MatchStar, start, name);
}

/* Patterns separated by commas up to `close`, the first already parsed (or NULL). */
static AstSeq *pattern_list(Parser *p, AstNode *first, int close)
{
    Vec v = {0};
    if (first) vec_push(p, &v, first);
    else if (!at(p, close)) {
        AstNode *q = star_or_pattern(p);
        if (!q) return NULL;
        vec_push(p, &v, q);
    } else {
        return vec_seq(p, &v);
    }
    while (accept(p, TOK_COMMA)) {
        if (at(p, close)) break;
        AstNode *q = star_or_pattern(p);
        if (!q) return NULL;
        vec_push(p, &v, q);
    }
    return vec_seq(p, &v);
}

static AstNode *class_pattern(Parser *p, size_t start, AstNode *cls)
{
    p->pos++;
    Vec pats = {0}, kattrs = {0}, kpats = {0};
    while (!at(p, TOK_RPAR)) {
        if (at_name(p) && peek_type(p, 1) == TOK_EQUAL) {
            vec_push(p, &kattrs, (void *)tok_ident(p, p->pos));
            p->pos += 2;
            AstNode *q = pattern(p);
            if (!q) return NULL;
            vec_push(p, &kpats, q);
        } else {
            AstNode *q = pattern(p);
            if (!q) return NULL;
            if (kattrs.n) return error_node(p, q, "positional patterns follow keyword patterns");
            vec_push(p, &pats, q);
        }
        if (!accept(p, TOK_COMMA)) break;
    }
    if (!accept(p, TOK_RPAR)) return NULL;
    return mk_at(p, AST_MatchClass, start, cls, vec_seq(p, &pats), vec_seq(p, &kattrs), vec_seq(p, &kpats));
}

static AstNode *mapping_pattern(Parser *p, size_t start)
{
    p->pos++;
    Vec keys = {0}, pats = {0};
    const char *rest = NULL;
    while (!at(p, TOK_RBRACE)) {
        if (accept(p, TOK_DOUBLESTAR)) {
            if (!at_name(p)) return NULL;
            rest = tok_ident(p, p->pos++);
            accept(p, TOK_COMMA);
            break;
        }
        AstNode *k;
        if (at_name(p)) {
            k = name_or_attr(p);
            if (k && k->kind == AST_Name) return NULL;
        } else {
            k = literal_expr(p);
        }
        if (!k || !accept(p, TOK_COLON)) return NULL;
        AstNode *q = pattern(p);
        if (!q) return NULL;
        vec_push(p, &keys, k);
        vec_push(p, &pats, q);
        if (!accept(p, TOK_COMMA)) break;
    }
    if (!accept(p, TOK_RBRACE)) return NULL;
    return mk_at(p, AST_MatchMapping, start, vec_seq(p, &keys), vec_seq(p, &pats), rest);
}

static AstNode *closed_pattern(Parser *p)
{
    size_t start = p->pos;
    switch (cur_type(p)) {
    case TOK_LPAR: {
        p->pos++;
        if (accept(p, TOK_RPAR)) return mk_at(p, AST_MatchSequence, start, ast_seq(p->a, 0));
        /* group_pattern holds a pattern, never a star; a sequence needs its comma */
        AstNode *q = star_or_pattern(p);
        if (!q) return NULL;
        if (!at(p, TOK_COMMA)) return q->kind != AST_MatchStar && accept(p, TOK_RPAR) ? q : NULL;
        AstSeq *pats = pattern_list(p, q, TOK_RPAR);
        if (!pats || !accept(p, TOK_RPAR)) return NULL;
        return mk_at(p, AST_MatchSequence, start, pats);
    }
    case TOK_LSQB: {
        p->pos++;
        AstSeq *pats = pattern_list(p, NULL, TOK_RSQB);
        if (!pats || !accept(p, TOK_RSQB)) return NULL;
        return mk_at(p, AST_MatchSequence, start, pats);
    }
    case TOK_LBRACE: return mapping_pattern(p, start);
    case TOK_NAME: {
        int kw = cur_kw(p);
        if (kw == KW_None || kw == KW_True || kw == KW_False) {
            Value *v = singleton(p, kw);
            p->pos++;
            return v ? mk_at(p, AST_MatchSingleton, start, v) : NULL;
        }
        if (!at_name(p)) return NULL;
        int next = peek_type(p, 1);
        if (kw == SKW__ && next != TOK_DOT && next != TOK_LPAR) {
            p->pos++;
            return mk_at(p, AST_MatchAs, start, NULL, NULL);
        }
        if (next != TOK_DOT && next != TOK_LPAR) {
            const char *name = tok_ident(p, p->pos++);
            return mk_at(p, AST_MatchAs, start, NULL, name);
        }
        AstNode *cls = name_or_attr(p);
        if (!cls) return NULL;
        if (at(p, TOK_LPAR)) return class_pattern(p, start, cls);
        return mk_at(p, AST_MatchValue, start, cls);
    }
    default: {
        AstNode *e = literal_expr(p);
        return e ? mk_at(p, AST_MatchValue, start, e) : NULL;
    }
    }
}

static AstNode *or_pattern(Parser *p)
{
    size_t start = p->pos;
    AstNode *q = closed_pattern(p);
    if (!q || !at(p, TOK_VBAR)) return q;
    Vec v = {0};
    vec_push(p, &v, q);
    while (accept(p, TOK_VBAR)) {
        q = closed_pattern(p);
        if (!q) return NULL;
        vec_push(p, &v, q);
    }
    return mk_at(p, AST_MatchOr, start, vec_seq(p, &v));
}

static AstNode *pattern(Parser *p)
{
    if (!enter(p)) return NULL;
    size_t start = p->pos;
    AstNode *q = or_pattern(p);
    if (q && accept_kw(p, KW_as)) {
        if (!at_name(p)) {
            if (invalid_checks(p) && !p->failed) q = error_tok(p, p->pos, "invalid pattern target");
            else q = NULL;
        } else if (cur_kw(p) == SKW__) q = error_tok(p, p->pos, "cannot use '_' as a target");
        else {
            const char *name = tok_ident(p, p->pos++);
            q = mk_at(p, AST_MatchAs, start, q, name);
        }
    }
    leave(p);
    return q;
}

/* patterns: an open sequence (a, b) or one pattern */
static AstNode *patterns(Parser *p)
{
    size_t start = p->pos;
    AstNode *q = star_or_pattern(p);
    if (!q) return NULL;
    if (!at(p, TOK_COMMA)) return q->kind == AST_MatchStar ? NULL : q;
    AstSeq *pats = pattern_list(p, q, TOK_COLON);
    return pats ? mk_at(p, AST_MatchSequence, start, pats) : NULL;
}

AstNode *match_stmt(Parser *p)
{
    size_t start = p->pos++;
    size_t sstart = p->pos;
    AstNode *subject = star_named_expression(p);
    if (subject && at(p, TOK_COMMA)) {
        Vec v = {0};
        vec_push(p, &v, subject);
        while (accept(p, TOK_COMMA)) {
            if (at(p, TOK_COLON)) break;
            AstNode *e = star_named_expression(p);
            if (!e) { subject = NULL; break; }
            vec_push(p, &v, e);
        }
        if (subject) subject = mk_at(p, AST_Tuple, sstart, vec_seq(p, &v), I(AST_Load));
    }
    if (p->failed) return NULL;
    /* subject_expr: a starred subject only in a tuple (with its comma) */
    if (subject && subject->kind == AST_Starred) subject = NULL;
    if (subject && invalid_checks(p) && at(p, TOK_NEWLINE))
        return error_last(p, "expected ':'");
    if (!subject || !at(p, TOK_COLON) || peek_type(p, 1) != TOK_NEWLINE) return NULL;
    p->pos += 2;
    if (!accept(p, TOK_INDENT))
        return syntax_error(p, "IndentationError", error_loc(p, p->pos),
                            "expected an indented block after 'match' statement on line %d", ptok(p, start)->lineno);
    Vec cases = {0};
    while (at_kw(p, SKW_case)) {
        size_t cstart = p->pos++;
        AstNode *pat = patterns(p), *guard = NULL;
        if (!pat) return NULL;
        if (accept_kw(p, KW_if) && !(guard = named_expression(p))) return NULL;
        if (!accept(p, TOK_COLON)) {
            if (at(p, TOK_NEWLINE)) return error_tok(p, p->pos, "expected ':'");
            return NULL;
        }
        AstSeq *body = block_after(p, "'case' statement", ptok(p, cstart)->lineno);
        if (!body) return NULL;
        AstNode *c = mk(p, AST_match_case, (AstLoc){0, 0, 0, 0}, pat, guard, body);
        if (!c) return NULL;
        vec_push(p, &cases, c);
    }
    if (!cases.n || !accept(p, TOK_DEDENT)) return NULL;
    return mk_at(p, AST_Match, start, subject, vec_seq(p, &cases));
}
