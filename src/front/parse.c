/* parse.c - the parser's core: the token buffer, node construction, positions and errors,
   and the entry points. The grammar is in parse_expr.c, parse_stmt.c, parse_str.c and
   parse_pattern.c (hand-written recursive descent after CPython 3.13's Grammar/python.gram). */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"


/* The interner starts with the keywords and soft keywords, tagged with their code: looking
   a NAME up gives its identifier and its keyword at once. Their hashes are written out
   (ast.c's hash_bytes of the text) so that seeding is a store per keyword: a wrong one
   would leave that keyword a plain name, which no test would miss. */
static const InternEntry keyword_seeds[] = {
    {"False", 5, KW_False, 0x6dc8d1c0u},
    {"None", 4, KW_None, 0x731a3942u},
    {"True", 4, KW_True, 0xef121999u},
    {"and", 3, KW_and, 0xba293858u},
    {"as", 2, KW_as, 0x4b2cf35au},
    {"assert", 6, KW_assert, 0x5172e1dfu},
    {"async", 5, KW_async, 0x8ad832b5u},
    {"await", 5, KW_await, 0x7e3d6e5au},
    {"break", 5, KW_break, 0x4a4e990du},
    {"class", 5, KW_class, 0x5372c510u},
    {"continue", 8, KW_continue, 0x26cf895bu},
    {"def", 3, KW_def, 0x1d46418cu},
    {"del", 3, KW_del, 0x67f96733u},
    {"elif", 4, KW_elif, 0x56229e52u},
    {"else", 4, KW_else, 0x88fdac6eu},
    {"except", 6, KW_except, 0x5ad2d960u},
    {"finally", 7, KW_finally, 0xb7efe533u},
    {"for", 3, KW_for, 0xe9facd3eu},
    {"from", 4, KW_from, 0xe56c4fc7u},
    {"global", 6, KW_global, 0xbd625c2du},
    {"if", 2, KW_if, 0x2e3083b5u},
    {"import", 6, KW_import, 0x190647f4u},
    {"in", 2, KW_in, 0x80a6e9eeu},
    {"is", 2, KW_is, 0x18f8edaeu},
    {"lambda", 6, KW_lambda, 0xc9bec6b8u},
    {"nonlocal", 8, KW_nonlocal, 0x233a501eu},
    {"not", 3, KW_not, 0xdfbfdf77u},
    {"or", 2, KW_or, 0x4fd4bbe0u},
    {"pass", 4, KW_pass, 0xf6a08b6bu},
    {"raise", 5, KW_raise, 0xe93a22e0u},
    {"return", 6, KW_return, 0x841d5454u},
    {"try", 3, KW_try, 0x61554ba7u},
    {"while", 5, KW_while, 0x1af76957u},
    {"with", 4, KW_with, 0x667698b1u},
    {"yield", 5, KW_yield, 0x1c12a7f5u},
    {"match", 5, SKW_match, 0xb99bd3f7u},
    {"case", 4, SKW_case, 0xf85a37cdu},
    {"type", 4, SKW_type, 0x839749c5u},
    {"_", 1, SKW__, 0x240788ddu},
};

/* Source bytes per distinct name, about: small modules have fewer, large ones more (of
   the sizes tried, 32 to 256, the one that cost the least on the stdlib). */
enum { NAME_BYTES = 128 };

static int seed_keywords(Parser *p)
{
    /* room for the names a source of this size is likely to hold: growing the table
       rehashes it, and one too large costs its zeroing */
    if (!interner_reserve(&p->in, CPYC_COUNTOF(keyword_seeds) + p->srclen / NAME_BYTES)) return oom(p), -1;
    return interner_seed(&p->in, keyword_seeds, CPYC_COUNTOF(keyword_seeds)) ? 0 : (oom(p), -1);
}

/* Adds an identifier to p->names (entry 0 stays empty); returns its index, or 0 when out of
   memory or past the 2**24 a tag holds. */
static inline __attribute__((always_inline)) uint32_t add_name(Parser *p, const char *id)
{
    if (p->nnames == p->names_cap) {
        uint32_t cap = p->names_cap ? p->names_cap * 2 : 64;
        const char **bigger = cap <= (1u << 24) ? arena_alloc_raw(p->a, cap * sizeof *bigger) : NULL;
        if (!bigger) return 0;
        if (p->nnames) memcpy(bigger, p->names, p->nnames * sizeof *bigger);
        else bigger[p->nnames++] = NULL;
        p->names = bigger;
        p->names_cap = cap;
    }
    p->names[p->nnames] = id;
    return p->nnames++;
}

/* The masks of a name's first len bytes (len <= 16) in its two words. The shift count is
   masked to 0..7, what it is in the branch that takes it: clang rejects a negative or too
   wide count even in a branch not taken. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PREFIX_MASK(n) ((n) <= 0 ? 0 : (n) >= 8 ? ~(uint64_t)0 : ~(~(uint64_t)0 >> (8 * ((n) & 7))))
#else
#define PREFIX_MASK(n) ((n) <= 0 ? 0 : (n) >= 8 ? ~(uint64_t)0 : ~(~(uint64_t)0 << (8 * ((n) & 7))))
#endif
#define NAME_MASKS(n) {PREFIX_MASK(n), PREFIX_MASK((n) - 8)}
static const uint64_t name_masks[17][2] = {
    NAME_MASKS(0), NAME_MASKS(1), NAME_MASKS(2), NAME_MASKS(3), NAME_MASKS(4), NAME_MASKS(5),
    NAME_MASKS(6), NAME_MASKS(7), NAME_MASKS(8), NAME_MASKS(9), NAME_MASKS(10), NAME_MASKS(11),
    NAME_MASKS(12), NAME_MASKS(13), NAME_MASKS(14), NAME_MASKS(15), NAME_MASKS(16),
};
#undef NAME_MASKS
#undef PREFIX_MASK

/* The interner's tag of a name (text[0, len), as normalized), its index in p->names added
   when it has none yet; 0 when out of memory (raised). */
static inline uint32_t name_tag(Parser *p, const char *text, size_t len)
{
    InternEntry *e = intern_entry(&p->in, text, len, NULL);
    if (!e) return oom(p), 0;
    if (!(e->tag >> 8)) {     /* keywords too: soft ones are names, and NFKC can spell any */
        uint32_t i = add_name(p, e->s);
        if (!i) return oom(p), 0;
        e->tag |= i << 8;
    }
    return e->tag;
}

/* A NAME with characters from U+0080 up: NFKC-normalized (PEP 3131), never a keyword (they
   are matched on the text as written). Out of line, as rare: the common path keeps its
   values in registers. */
static int __attribute__((noinline)) name_token_nonascii(Parser *p, PTok *t)
{
    const char *text;
    size_t len;
    if (identifier_normalize(p->a, tok_text(p, t), t->len, &text, &len)) return oom(p), -1;
    uint32_t tag = name_tag(p, text, len);
    if (!tag) return -1;
    t->kw = 0;
    t->aux = tag >> 8;
    return 0;
}

/* Fills in the identifier and keyword of a NAME token. The interner's tag of a name is its
   keyword, or its index in p->names shifted left by 8; ASCII names of up to 16 bytes find it
   in p->name_words first. */
static inline int name_token(Parser *p, PTok *t)
{
    if (t->aux) return name_token_nonascii(p, t);
    const char *text = tok_text(p, t);
    size_t len = t->len;
    uint64_t w0 = 0, w1 = 0;
    size_t slot = 0;
    bool cached = len <= 16 && t->start + 16 <= p->srclen;
    if (cached) {
        /* the name's bytes in two words, the rest zero (no name holds a NUL) */
        memcpy(&w0, text, 8);
        memcpy(&w1, text + 8, 8);
        w0 &= name_masks[len][0];
        w1 &= name_masks[len][1];
        slot = (size_t)(((w0 ^ (w1 * 0xff51afd7ed558ccdu)) * 0x9e3779b97f4a7c15u) >> 40) & (NAME_CACHE - 1);
        uint32_t tag = p->name_tags[slot];
        if (tag && p->name_words[slot][0] == w0 && p->name_words[slot][1] == w1) {
            t->kw = (uint8_t)(tag & 0xff);
            t->aux = tag >> 8;
            return 0;
        }
    }
    uint32_t tag = name_tag(p, text, len);
    if (!tag) return -1;
    t->kw = (uint8_t)(tag & 0xff);
    t->aux = tag >> 8;
    if (cached) {
        p->name_words[slot][0] = w0;
        p->name_words[slot][1] = w1;
        p->name_tags[slot] = tag;
    }
    return 0;
}

/* ------------------------------------------------------------------ positions */

void *oom(Parser *p)
{
    if (!p->failed) {
        error_at(p->err, CPYC_ERR_MEMORY, -1, "out of memory");
        snprintf(p->err->exc_type, sizeof p->err->exc_type, "MemoryError");
        p->failed = true;
    }
    return NULL;
}

static inline AstNode *node_at(Parser *p, AstKind kind, AstLoc loc)
{
    AstNode *n = ast_node_raw(p->a, kind, loc);
    if (!n) return oom(p);
    return n;
}

/* Sets a new node's fields, given in ASDL order (ints and kinds cast to pointers), and its
   depth from the fields the kind's masks name as nodes and lists of nodes. */
static AstNode *set_fields(AstNode *n, const AstKindDesc *d, const void *const *fields)
{
    unsigned max = 0, opt = 0, nodes = d->node_fields, seqs = d->seq_fields;
    for (int i = 0; i < d->nfields; i++) {
        /* ints and kinds come cast to pointers (I(x)): the bits of the union's intptr_t */
        const void *f = fields[i];
        n->f[i].n = (AstNode *)f;
        if (!f) continue;
        if (nodes >> i & 1) {
            const AstNode *c = f;
            if (c->depth > max) max = c->depth;
            opt |= c->opt;
        } else if (seqs >> i & 1) {
            const AstSeq *s = f;
            for (uint32_t k = 0; k < s->n; k++) {
                const AstNode *c = s->items[k];
                if (!c) continue;
                if (c->depth > max) max = c->depth;
                opt |= c->opt;
            }
        }
    }
    n->depth = ast_depth_above(max);
    n->opt = ast_opt_flags(n, opt);
    return n;
}

AstNode *mk(Parser *p, AstKind kind, AstLoc loc, ...)
{
    const AstKindDesc *d = &ast_kinds[kind];
    const void *fields[AST_MAX_FIELDS];
    va_list ap;
    va_start(ap, loc);
    for (int i = 0; i < d->nfields; i++) fields[i] = va_arg(ap, void *);
    va_end(ap);
    AstNode *n = node_at(p, kind, loc);
    return n ? set_fields(n, d, fields) : NULL;
}

AstNode *mk_fields(Parser *p, AstKind kind, size_t start, const void *const *fields)
{
    AstNode *n = node_at(p, kind, loc_span(p, start));
    return n ? set_fields(n, &ast_kinds[kind], fields) : NULL;
}

void vec_push_more(Parser *p, Vec *v, void *item)
{
    if (v->n == VEC_SMALL || v->n == v->cap) {
        size_t cap = v->n * 2;
        void **items = arena_alloc_raw(p->a, cap * sizeof *items);
        if (!items) { oom(p); return; }
        memcpy(items, vec_items(v), v->n * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = item;
}

AstSeq *vec_seq_more(Parser *p, Vec *v)
{
    AstSeq *s = arena_alloc_raw(p->a, sizeof(AstSeq) + v->n * sizeof(void *));   /* ast_seq, inline */
    if (!s) return oom(p);
    s->n = (uint32_t)v->n;
    memcpy(s->items, v->items, v->n * sizeof(void *));
    return s;
}

AstSeq *seq1(Parser *p, void *item)
{
    AstSeq *s = ast_seq(p->a, 1);
    if (!s) return oom(p);
    s->items[0] = item;
    return s;
}


bool too_deep(Parser *p, int n)
{
    p->depth -= n;
    if (!p->failed) {
        /* CPython's parser gives up the same way on sources nested too deeply */
        error_at(p->err, CPYC_ERR_MEMORY, -1, "Parser stack overflowed - Python source too complex to parse");
        snprintf(p->err->exc_type, sizeof p->err->exc_type, "MemoryError");
        p->failed = true;
    }
    return false;
}

/* ---------------------------------------------------------------------- errors */

/* msg = the message of the variadic helper's (fmt, ...) */
#define FORMAT_MSG(msg, fmt) do { \
        va_list ap_; \
        va_start(ap_, fmt); \
        vsnprintf(msg, sizeof msg, fmt, ap_); \
        va_end(ap_); \
    } while (0)

void *syntax_error(Parser *p, const char *type, AstLoc loc, const char *fmt, ...)
{
    if (p->failed) return NULL;
    p->failed = true;
    p->err_maxpos = p->maxpos;
    char msg[512];
    FORMAT_MSG(msg, fmt);
    /* CPython converts the columns with the text of line `lineno`: the tokenizer's buffer
       (newline included) when that is the line it is on, else the line from the source
       without its newline, which bounds the columns one lower */
    size_t last = p->fill_first > p->maxpos ? p->fill_first : p->maxpos;
    if (last >= p->ntok) last = p->ntok - 1;
    if (loc.lineno > 0 && loc.lineno < p->toks[last].end_lineno) {
        size_t ls = 0;
        int line = 1;
        for (size_t k = 0; k < p->srclen && line < loc.lineno; k++)
            if (p->src[k] == '\n') { line++; ls = k + 1; }
        const char *nl = memchr(p->src + ls, '\n', p->srclen - ls);
        long len = nl ? (long)(nl - (p->src + ls)) : (long)(p->srclen - ls);
        if (nl && nl > p->src + ls && nl[-1] == '\r') len--;
        if (loc.col_offset > len) loc.col_offset = (int32_t)len;
        if (loc.end_col_offset > len) loc.end_col_offset = (int32_t)len;
    }
    syntax_error_known_location(p->source, p->err, type, loc.lineno, loc.col_offset, loc.end_lineno,
                                loc.end_col_offset, "%s", msg);
    return NULL;
}

/* Where CPython reports an error at a token. INDENT, DEDENT and ENDMARKER have no column
   there: the tokenizer's position after the token is used, without the usual +1. */
AstLoc error_loc(Parser *p, size_t i)
{
    AstLoc l = loc_tok(p, i);
    const PTok *t = ptok(p, i);
    if (l.col_offset >= 0) return l;
    size_t ls = 0;
    int line = 1;
    for (size_t k = 0; k < p->srclen && line < t->lineno; k++)
        if (p->src[k] == '\n') { line++; ls = k + 1; }
    size_t cur = (size_t)t->start + t->len;
    l.col_offset = cur >= ls ? (int32_t)(cur - ls) - 1 : -1;
    l.end_col_offset = -2;
    return l;
}

void *error_tok(Parser *p, size_t i, const char *fmt, ...)
{
    char msg[512];
    FORMAT_MSG(msg, fmt);
    return syntax_error(p, "SyntaxError", error_loc(p, i), "%s", msg);
}

void *error_last(Parser *p, const char *fmt, ...)
{
    char msg[512];
    FORMAT_MSG(msg, fmt);
    size_t last = p->fill_first > p->maxpos ? p->fill_first : p->maxpos;
    return syntax_error(p, "SyntaxError", error_loc(p, last), "%s", msg);
}

/* From `from` to where CPython's tokenizer stands (its CURRENT_POS): after the furthest token
   fetched, its end taken as it is, without the +1 a known end gets (so one column short).
   INDENT, DEDENT and ENDMARKER leave the tokenizer where they were made. */
void *error_from(Parser *p, AstLoc from, const char *fmt, ...)
{
    char msg[512];
    FORMAT_MSG(msg, fmt);
    size_t last = p->fill_first > p->maxpos ? p->fill_first : p->maxpos;
    if (last >= p->ntok) last = p->ntok - 1;
    const PTok *t = &p->toks[last];
    AstLoc e = error_loc(p, last);
    from.end_lineno = t->end_lineno;
    from.end_col_offset = e.end_col_offset >= -1 ? t->end_col_offset - 1 : e.col_offset;
    return syntax_error(p, "SyntaxError", from, "%s", msg);
}

void *error_node(Parser *p, const AstNode *n, const char *fmt, ...)
{
    char msg[512];
    FORMAT_MSG(msg, fmt);
    return syntax_error(p, "SyntaxError", loc_node(n), "%s", msg);
}

/* The generic error, at the furthest token the first pass looked at (as CPython). */
static void *invalid_syntax_at(Parser *p, size_t i)
{
    if (p->failed) return NULL;
    if (i >= p->ntok) i = p->ntok - 1;
    const PTok *t = &p->toks[i];
    if (t->type == TOK_INDENT)
        return syntax_error(p, "IndentationError", error_loc(p, i), "unexpected indent");
    if (t->type == TOK_DEDENT)
        return syntax_error(p, "IndentationError", error_loc(p, i), "unexpected unindent");
    /* at a known location: a token without a column gives offset 0, and end offset 0 */
    return syntax_error(p, "SyntaxError", loc_tok(p, i), "invalid syntax");
}

void *invalid_syntax(Parser *p) { return invalid_syntax_at(p, p->maxpos); }

/* ------------------------------------------------------------------ entry points */

/* Tokens are read in batches that stay in the L1 cache for the names' pass over them. */
enum { FILL_BATCH = 128 };

static int fill_tokens(Parser *p, const DecodedSource *src)
{
    Tokenizer *tz = p->tz = tokenizer_new(src, p->target, p->a, p->err);
    if (!tz || seed_keywords(p)) return -1;
    /* the stdlib has one token per 6 bytes, and short lines have one per 2 (`def f(): pass`):
       growing copies every token, while room never written to costs no more than its address
       space */
    size_t cap = src->len / 2 + 1024;
    p->toks = malloc(cap * sizeof *p->toks);
    if (!p->toks) return oom(p), -1;
    for (;;) {
        if (cap - p->ntok < FILL_BATCH + 1 + TOK_PAD) {   /* a batch, the error sentinel, copies of the last */
            PTok *bigger = realloc(p->toks, cap * 2 * sizeof *bigger);
            if (!bigger) return oom(p), -1;
            p->toks = bigger;
            cap *= 2;
        }
        bool failed;
        PTok *marks[FILL_BATCH];
        size_t nmarks;
        size_t n = tokenizer_fill(tz, &p->toks[p->ntok], FILL_BATCH, marks, &nmarks, &failed);
        for (size_t k = 0; k < nmarks; k++) {
            PTok *t = marks[k];
            if (t->type == TOK_NAME) {
                if (name_token(p, t)) return -1;
            } else if (t->type == TOK_FSTRING_MIDDLE && t->col_offset < 0) {
                /* starts on an earlier line: the AST gives the constant its real start */
                int nl = 0;
                for (uint32_t k = 0; k < t->len; k++) nl += tok_text(p, t)[k] == '\n';
                size_t ls = t->start;
                while (ls > 0 && src->utf8[ls - 1] != '\n') ls--;
                t->lineno = t->end_lineno - nl;
                t->col_offset = (int32_t)(t->start - ls);
            }
        }
        p->ntok += n;
        if (failed) {
            PTok *t = &p->toks[p->ntok];
            p->tok_failed = true;
            p->tok_err = *p->err;
            tokenizer_error_kind(tz, &p->tok_raised, &p->tok_in_fstring);
            p->tok_bracket = tokenizer_open_bracket(tz, &p->tok_bracket_line, &p->tok_bracket_col);
            error_clear(p->err);
            p->err->file = p->tok_err.file;
            memset(t, 0, sizeof *t);
            t->type = TOK_ERRORTOKEN;
            t->level = p->ntok ? t[-1].level : 0;
            t->lineno = t->end_lineno = p->tok_err.line;
            p->ntok++;
            for (int k = 1; k <= TOK_PAD; k++) t[k] = *t;
            return 0;
        }
        if (n && p->toks[p->ntok - 1].type == TOK_ENDMARKER) {
            for (int k = 0; k < TOK_PAD; k++) p->toks[p->ntok + k] = p->toks[p->ntok - 1];
            return 0;
        }
    }
}

static AstNode *module_node(Parser *p, AstSeq *body)
{
    AstSeq *ignores = ast_seq(p->a, 0);
    AstNode *m = ast_node(p->a, AST_Module, (AstLoc){0, 0, 0, 0});
    if (!m || !ignores) return oom(p);
    m->f[F_Module_body].s = body;
    m->f[F_Module_type_ignores].s = ignores;
    ast_set_depth(m);
    return m;
}

static AstNode *parse_tokens(Parser *p);

void parse_warn(Parser *p, uint32_t time, int lineno, const void *key, const char *fmt, ...)
{
    if (!p->warnings || p->second_pass) return;
    /* a literal decoded again by the same pass (the pass backed up over it): among the last
       few issued (a bound, against an f-string of a million pieces that share their time) */
    for (uint32_t k = p->npwarns, seen = 0; k-- > 0 && p->pwarns[k].pos >= time && seen++ < 64;)
        if (p->pwarns[k].key == key) return;
    va_list ap;
    va_start(ap, fmt);
    source_warning_push(p->a, &p->pwarns, &p->npwarns, &p->pwarns_cap, time, lineno, key, fmt, ap);
    va_end(ap);
}

/* Hands the warnings to p->warnings in CPython's order: the parser's as the first pass
   issued them, each after the tokenizer's issued before the tokenizer got to its `time`. */
static void flush_warnings(Parser *p)
{
    size_t nt = 0, k = 0;
    const SourceWarning *tw = p->tz ? tokenizer_warnings(p->tz, &nt) : NULL;
    if (p->tok_warn_limit)
        while (nt && tw[nt - 1].pos >= p->tok_warn_limit) nt--;
    for (uint32_t j = 0; j < p->npwarns; j++) {
        const SourceWarning *w = &p->pwarns[j];
        for (; k < nt && tw[k].pos < w->pos; k++)
            warnings_add(p->warnings, "SyntaxWarning", tw[k].lineno, tw[k].msg, strlen(tw[k].msg));
        warnings_add(p->warnings, "SyntaxWarning", w->lineno, w->msg, strlen(w->msg));
    }
    for (; k < nt; k++) warnings_add(p->warnings, "SyntaxWarning", tw[k].lineno, tw[k].msg, strlen(tw[k].msg));
}

AstNode *parse_module(const DecodedSource *src, const cpyc_target *t, Arena *a, cpyc_error *err,
                      Warnings *warnings)
{
    Parser p;
    memset(&p, 0, offsetof(Parser, name_words));
    p.a = a;
    p.target = t;
    p.source = src;
    p.src = src->utf8;
    p.srclen = src->len;
    p.err = err;
    interner_init(&p.in, a);
    if (!(p.empty = ast_seq(a, 0))) return oom(&p);
    p.warnings = warnings;
    AstNode *m = fill_tokens(&p, src) ? NULL : parse_tokens(&p);
    if (warnings) flush_warnings(&p);
    free(p.toks);
    return m;
}

/* One run of the first pass from the start (the parser's state as a new one has it), maxpos
   starting at `maxpos` (counting looks from there), or with `fast` parse_fast.c's copy of
   the rules, which counts none (maxpos stays at the last token); the module's statements,
   or NULL when it fails. */
static AstSeq *first_pass(Parser *p, size_t maxpos, bool fast)
{
    p->failed = false;
    p->npwarns = 0;   /* a pass run again issues its warnings again */
    p->pos = 0, p->maxpos = maxpos;
    p->depth = D_FILE;
    p->lift_at = 0, p->lift = 0;
    p->invalid_pass = p->quiet_displays = false;
    AstSeq *body = fast ? fast_statements_until(p, TOK_ENDMARKER) : statements_until(p, TOK_ENDMARKER);
    return body && !p->failed && at(p, TOK_ENDMARKER) ? body : NULL;
}

static AstNode *parse_tokens(Parser *p)
{
    cpyc_error *err = p->err;
    /* The first pass runs without counting looks (parse_fast.c's copy of the rules, maxpos
       left at the last token): maxpos matters only once the pass fails, which is rare. Then
       the pass runs again from the same state, counting, for the errors and positions it
       names. */
    cpyc_error before = *err;
    AstSeq *body = first_pass(p, p->ntok - 1, true);
    if (!body) {
        *err = before;
        body = first_pass(p, 0, false);
    }
    if (body) return module_node(p, body);
    /* `fill` is the furthest token either pass asked for before an error was raised (the
       tokens CPython's parser has fetched). Fetching the tokenizer's error raises it at once. */
    size_t last = p->maxpos;
    size_t fill = p->failed ? p->err_maxpos : last;
    if (p->tok_failed && fill >= p->ntok - 1) {
        *err = p->tok_err;
        return NULL;
    }
    if (!p->failed) {
        /* second pass, as CPython's: the same parse with the checks that name errors */
        p->pos = p->maxpos = 0;
        p->fill_first = last;
        p->depth = D_FILE;
        p->invalid_pass = p->second_pass = true;
        p->memo = arena_alloc(p->a, p->ntok * sizeof *p->memo);   /* zeroed */
        if (!p->memo) return oom(p);
        statements_until(p, TOK_ENDMARKER);
        size_t fill2 = p->failed ? p->err_maxpos : p->maxpos;
        if (fill2 > fill) fill = fill2;
        if (p->tok_failed && fill2 >= p->ntok - 1) {
            *err = p->tok_err;
            return NULL;
        }
        if (!p->failed) {
            /* an unexpected indent or unindent is final: no look at the rest */
            int ty = p->toks[last < p->ntok ? last : p->ntok - 1].type;
            invalid_syntax_at(p, last);
            if (ty == TOK_INDENT || ty == TOK_DEDENT) {
                /* CPython's tokenizer stops at the last token either pass fetched */
                size_t f = fill < p->ntok ? fill : p->ntok - 1;
                p->tok_warn_limit = (size_t)p->toks[f].start + 1;
                return NULL;
            }
        }
    }
    /* CPython then tokenizes the rest of the source: an error the tokenizer raises wins;
       when it stops in a state (end of input, a stray character after a backslash) inside
       brackets, "'(' was never closed" wins if the innermost open bracket is on a line before
       the last token fetched; other states leave the parser's error, and so does any error
       met inside an f-string. */
    if (!p->tok_failed || err->status != CPYC_ERR_SYNTAX || p->tok_in_fstring) return NULL;
    if (p->tok_raised) *err = p->tok_err;
    else if (p->tok_bracket && p->toks[fill < p->ntok ? fill : p->ntok - 1].lineno > p->tok_bracket_line)
        syntax_error_known_location(p->source, err, "SyntaxError", p->tok_bracket_line, p->tok_bracket_col,
                                    p->tok_bracket_line, -1, "'%c' was never closed", p->tok_bracket);
    return NULL;
}

AstNode *parse_file_bytes(const uint8_t *data, size_t len, const cpyc_target *t, Arena *a,
                          cpyc_error *err, Warnings *warnings)
{
    DecodedSource src;
    if (source_decode(data, len, a, &src, err)) return NULL;
    return parse_module(&src, t, a, err, warnings);
}
