/* parse_str.c - literals: numbers, strings, bytes, implicit concatenation and f-strings. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse_internal.h"

/* ------------------------------------------------------------------ numbers */

static Value *int_from_digits(Parser *p, const char *s, size_t n, int base)
{
    /* magnitude in base 2**15, little-endian, grown as digits are multiplied in */
    size_t cap = n * 4 / 15 + 2;
    uint16_t *d = arena_alloc_raw(p->a, cap * sizeof *d);
    if (!d) return oom(p);
    size_t nd = 0;
    if (base != 10) {
        /* 2, 8, 16: each digit is a fixed number of bits, packed from the low end (linear:
           a 100,000-digit hex literal must not take the multiply loop's quadratic time) */
        int bits = base == 16 ? 4 : base == 8 ? 3 : 1, have = 0;
        uint32_t acc = 0;
        for (size_t i = n; i-- > 0;) {
            int c = s[i];
            if (c == '_') continue;
            uint32_t v = c >= '0' && c <= '9' ? (uint32_t)(c - '0') : (uint32_t)((c | 32) - 'a' + 10);
            acc |= v << have;
            have += bits;
            if (have >= 15) {
                d[nd++] = (uint16_t)(acc & 0x7fff);
                acc >>= 15;
                have -= 15;
            }
        }
        if (have) d[nd++] = (uint16_t)acc;
        while (nd && d[nd - 1] == 0) nd--;
        n = 0;   /* done: skip the general loop */
    }
    for (size_t i = 0; i < n; i++) {
        int c = s[i];
        if (c == '_') continue;
        uint32_t v = c >= '0' && c <= '9' ? (uint32_t)(c - '0') : (uint32_t)((c | 32) - 'a' + 10);
        uint32_t carry = v;
        for (size_t k = 0; k < nd; k++) {
            uint32_t t = (uint32_t)d[k] * (uint32_t)base + carry;
            d[k] = (uint16_t)(t & 0x7fff);
            carry = t >> 15;
        }
        while (carry) {
            d[nd++] = (uint16_t)(carry & 0x7fff);
            carry >>= 15;
        }
    }
    Value *val = value_new(p->a, V_INT, 0);
    if (!val) return oom(p);
    val->u.i.ndigits = (int32_t)nd;
    val->u.i.digits = d;
    return val;
}

Value *parse_number(Parser *p, size_t i)
{
    const PTok *t = ptok(p, i);
    const char *s = tok_text(p, t);
    size_t n = t->len;
    if (n <= 9) {
        /* most literals: a few decimal digits (no prefix, underscore, point or exponent),
           below 2**30: at most two digits of int_from_digits' base 2**15 */
        uint32_t v = 0;
        size_t k = 0;
        for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) v = v * 10 + (uint32_t)(s[k] - '0');
        if (k == n) {
            uint16_t *d = arena_alloc_raw(p->a, 2 * sizeof *d);
            Value *val = d ? value_new(p->a, V_INT, 0) : NULL;
            if (!val) return oom(p);
            d[0] = (uint16_t)(v & 0x7fff);
            d[1] = (uint16_t)(v >> 15);
            val->u.i.ndigits = v >> 15 ? 2 : v ? 1 : 0;
            val->u.i.digits = d;
            return val;
        }
    }
    char last = s[n - 1];
    bool imag = last == 'j' || last == 'J';
    int x = n > 1 && s[0] == '0' ? s[1] | 32 : 0;
    bool prefixed = x == 'x' || x == 'o' || x == 'b';
    bool is_float = imag;
    for (size_t k = 0; k < n && !prefixed && !is_float; k++) is_float = s[k] == '.' || (s[k] | 32) == 'e';
    if (!is_float) {
        if (prefixed) {
            int base = (s[1] | 32) == 'x' ? 16 : (s[1] | 32) == 'o' ? 8 : 2;
            return int_from_digits(p, s + 2, n - 2, base);
        }
        /* CPython's int_max_str_digits (4300 by default) limits decimal literals too */
        size_t digits = 0;
        for (size_t k = 0; k < n; k++) digits += s[k] != '_';
        if (digits > 4300 && s[0] != '0') {   /* 000...0: zero, no conversion */
            AstLoc l = {t->lineno, -1, t->end_lineno, -1};
            return syntax_error(p, "SyntaxError", l, "Exceeds the limit (4300 digits) for integer string conversion: "
                                "value has %zu digits; use sys.set_int_max_str_digits() to increase the limit - "
                                "Consider hexadecimal for huge integer literals to avoid decimal conversion limits.", digits);
        }
        return int_from_digits(p, s, n, 10);
    }
    char buf[128];
    char *tmp = n < sizeof buf ? buf : arena_alloc(p->a, n + 1);
    if (!tmp) return oom(p);
    size_t m = 0;
    for (size_t k = 0; k < n - (imag ? 1 : 0); k++)
        if (s[k] != '_') tmp[m++] = s[k];
    tmp[m] = 0;
    double d = strtod(tmp, NULL);
    Value *v = value_new(p->a, imag ? V_COMPLEX : V_FLOAT, 0);
    if (!v) return oom(p);
    if (imag) { v->u.c.re = 0.0; v->u.c.im = d; }
    else v->u.f.v = d;
    return v;
}

/* ------------------------------------------------------------------ escapes */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 32;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* decode_escapes' `ti` for a format spec's text: CPython 3.13 lets the codec's
   UnicodeDecodeError out of compile() there instead of turning it into a SyntaxError. */
#define SPEC_TEXT SIZE_MAX

/* The codec's error for the escape at s[start..end): "(unicode error) 'unicodeescape' ..." at
   token ti, or the bare UnicodeDecodeError for SPEC_TEXT. Positions count as escape_pos. */
static size_t escape_pos(const char *s, size_t n, size_t at);
static void *escape_error(Parser *p, size_t ti, const char *s, size_t n, size_t start, size_t end,
                          const char *why)
{
    char msg[256];
    snprintf(msg, sizeof msg, "'unicodeescape' codec can't decode bytes in position %zu-%zu: %s",
             escape_pos(s, n, start), escape_pos(s, n, end) - 1, why);
    if (ti != SPEC_TEXT) return error_tok(p, ti, "(unicode error) %s", msg);
    AstLoc nowhere = {-1, -1, -1, -1};
    return syntax_error(p, "UnicodeDecodeError", nowhere, "%s", msg);
}

/* Where byte `at` of a str literal's body s[0..n) lies in the text CPython's escape decoder
   reads, which its error positions count in: each non-ASCII character there is a 10-byte
   \UXXXXXXXX escape, and a backslash before one (or at the end) the 6-byte \u005c. */
static size_t escape_pos(const char *s, size_t n, size_t at)
{
    size_t pos = 0;
    for (size_t i = 0; i < at;) {
        if (s[i] == '\\') {
            pos++;
            if (++i >= n || (uint8_t)s[i] >= 0x80) pos += 5;
            if (i >= at) break;
        }
        if ((uint8_t)s[i] < 0x80) { pos++; i++; continue; }
        for (; i < n && (uint8_t)s[i] >= 0x80; i++)
            if (((uint8_t)s[i] & 0xc0) != 0x80) pos += 10;
    }
    return pos;
}

/* Whether s[0..n) is all ASCII (a word at a time). */
static bool all_ascii(const char *s, size_t n)
{
    size_t i = 0;
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u) return false;
    }
    for (; i < n; i++)
        if ((uint8_t)s[i] >= 0x80) return false;
    return true;
}

/* Decodes backslash escapes of s[0..n) into out (at least n bytes); returns the length, or
   -1 with an error raised at token `ti`. */
static long decode_escapes(Parser *p, const char *s, size_t n, bool bytes, char *out, size_t ti)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        /* the text up to the next backslash (one at the very end is text too) */
        const char *bs = memchr(s + i, '\\', n - i);
        size_t run = bs && bs + 1 < s + n ? (size_t)(bs - (s + i)) : n - i;
        if (bytes && !all_ascii(s + i, run)) {
            error_tok(p, ti, "bytes can only contain ASCII literal characters");
            return -1;
        }
        memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (i >= n) break;
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case '\n': break;
        case '\\': out[o++] = '\\'; break;
        case '\'': out[o++] = '\''; break;
        case '"': out[o++] = '"'; break;
        case 'a': out[o++] = '\a'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'v': out[o++] = '\v'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            uint32_t v = (uint32_t)(e - '0');
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++) v = v * 8 + (uint32_t)(s[i++] - '0');
            if (bytes) out[o++] = (char)(v & 0xff);
            else o += utf8_encode(out + o, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            if (bytes && e != 'x') { out[o++] = '\\'; out[o++] = e; break; }
            uint32_t v = 0;
            int k = 0;
            for (; k < digits && i < n && hexval(s[i]) >= 0; k++) v = v * 16 + (uint32_t)hexval(s[i++]);
            if (k < digits) {
                size_t bs = i - 2 - (size_t)k;
                if (bytes) {
                    error_tok(p, ti, "(value error) invalid \\x escape at position %zu", bs);
                    return -1;
                }
                char why[32];
                snprintf(why, sizeof why, "truncated \\%c%s escape", e, e == 'x' ? "XX" : e == 'u' ? "XXXX" : "XXXXXXXX");
                escape_error(p, ti, s, n, bs, i, why);
                return -1;
            }
            if (v > 0x10ffff) {
                escape_error(p, ti, s, n, i - 10, i, "illegal Unicode character");
                return -1;
            }
            if (bytes) out[o++] = (char)v;
            else o += utf8_encode(out + o, v);
            break;
        }
        case 'N':
            if (!bytes) {
                size_t bs = i - 2, close = i;
                while (close < n && s[close] != '}') close++;
                uint32_t cp;
                if (i >= n || s[i] != '{' || close >= n || close == i + 1) {
                    escape_error(p, ti, s, n, bs, i < n && s[i] == '{' ? close : i, "malformed \\N character escape");
                    return -1;
                }
                if (!unicode_lookup_name(s + i + 1, close - i - 1, &cp)) {
                    escape_error(p, ti, s, n, bs, close + 1, "unknown Unicode character name");
                    return -1;
                }
                o += utf8_encode(out + o, cp);
                i = close + 1;
                break;
            }
            /* fall through */
        default:
            out[o++] = '\\';
            i--;
            break;
        }
    }
    return (long)o;
}

/* The first escape of s[0..n) that CPython's decoder accepts but warns about (an unknown
   one, or an octal one above 0o377), or NULL: what "invalid escape sequence" names. A
   backslash before a non-ASCII character (or at the end) is the text "\\" to the str
   decoder, which warns about nothing there. */
static const char *first_invalid_escape(const char *s, size_t n, bool bytes)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '\\') continue;
        unsigned char e = (unsigned char)s[i + 1];
        if (e >= '0' && e <= '7') {
            unsigned v = e - '0', k = 1;
            while (k < 3 && i + 1 + k < n && s[i + 1 + k] >= '0' && s[i + 1 + k] <= '7')
                v = v * 8 + (unsigned)(s[i + 1 + k++] - '0');
            if (v > 0377) return s + i + 1;
            i += k;
            continue;
        }
        if (e >= 0x80) {
            if (bytes) return s + i + 1;
            continue;
        }
        if ((e && strchr("\n\\'\"abfnrtvx", e)) || (!bytes && (e == 'u' || e == 'U' || e == 'N'))) {
            i++;
            continue;
        }
        return s + i + 1;
    }
    return NULL;
}

/* Warns as CPython's parser does about the first such escape of a literal's text s[0..n)
   (see parse_warn for time and key); in an f-string's text a brace there is the tokenizer's
   to warn about, and then nothing is. */
static void warn_escapes(Parser *p, const char *s, size_t n, bool bytes, bool fstring, uint32_t time, int lineno)
{
    if (!p->warnings || p->second_pass || !memchr(s, '\\', n)) return;
    const char *e = first_invalid_escape(s, n, bytes);
    if (!e || (fstring && (*e == '{' || *e == '}'))) return;
    if (*e >= '4' && *e <= '7')
        parse_warn(p, time, lineno, s, "invalid octal escape sequence '\\%.3s'", e);
    else
        parse_warn(p, time, lineno, s, "invalid escape sequence '\\%c'", *e);
}

/* ------------------------------------------------------------------ plain strings */

typedef struct {
    bool raw, bytes, unicode;
    const char *body;
    size_t len;
} StrTok;

static StrTok split_string(const Parser *p, const PTok *t)
{
    StrTok st = {0};
    const char *s = tok_text(p, t);
    size_t i = 0;
    for (; i < t->len && s[i] != '\'' && s[i] != '"'; i++) {
        char c = (char)(s[i] | 32);
        if (c == 'r') st.raw = true;
        else if (c == 'b') st.bytes = true;
        else if (c == 'u') st.unicode = true;
    }
    size_t q = t->len - i >= 6 && s[i + 1] == s[i] && s[i + 2] == s[i] ? 3 : 1;
    st.body = s + i + q;
    st.len = t->len - i - 2 * q;
    return st;
}

/* Where s[0..n) stops being UTF-8 (n when it is all UTF-8). */
static size_t utf8_bad_at(const char *s, size_t n)
{
    if (all_ascii(s, n)) return n;
    for (size_t i = 0; i < n;) {
        if ((uint8_t)s[i] < 0x80) { i++; continue; }
        size_t bad = 0;
        if (utf8_error_reason((const uint8_t *)s + i, n - i, &bad)) return i;
        uint32_t cp;
        size_t k = utf8_decode((const uint8_t *)s + i, n - i, &cp);
        i += k ? k : 1;
    }
    return n;
}

/* The error CPython's UTF-8 decoder gives for a str literal's body, if it is not UTF-8. */
static bool check_utf8(Parser *p, size_t ti, const char *s, size_t n)
{
    size_t i = utf8_bad_at(s, n);
    if (i == n) return true;
    char msg[160];
    utf8_error_message(msg, sizeof msg, (const uint8_t *)s, n, i);
    error_tok(p, ti, "(unicode error) %s", msg);
    return false;
}

/* CPython reads an f-string's literal text with the bare UTF-8 decoder, whose UnicodeDecodeError
   leaves compile() as it is: positions count from the text's start, or in a format spec from the
   start of the run of non-ASCII bytes (all its escape decoder hands the codec at a time). */
static bool check_fstring_utf8(Parser *p, const char *s, size_t n, bool spec)
{
    size_t i = utf8_bad_at(s, n);
    if (i == n) return true;
    size_t from = 0, to = n;
    if (spec) {
        for (from = i; from && (uint8_t)s[from - 1] >= 0x80; from--) {}
        for (to = i; to < n && (uint8_t)s[to] >= 0x80; to++) {}
    }
    char msg[160];
    utf8_error_message(msg, sizeof msg, (const uint8_t *)s + from, to - from, i - from);
    AstLoc nowhere = {-1, -1, -1, -1};
    syntax_error(p, "UnicodeDecodeError", nowhere, "%s", msg);
    return false;
}

/* Decodes one STRING token's value into out (room for the token's length). */
static long string_value(Parser *p, size_t ti, char *out, bool *is_bytes)
{
    const PTok *t = ptok(p, ti);
    StrTok st = split_string(p, t);
    *is_bytes = st.bytes;
    if (t->aux) {               /* no escapes, all ASCII (the tokenizer saw it): as written */
        memcpy(out, st.body, st.len);
        return (long)st.len;
    }
    if (!st.bytes && !check_utf8(p, ti, st.body, st.len)) return -1;
    if (st.raw) {
        if (st.bytes && !all_ascii(st.body, st.len)) {
            error_tok(p, ti, "bytes can only contain ASCII literal characters");
            return -1;
        }
        memcpy(out, st.body, st.len);
        return (long)st.len;
    }
    long n = decode_escapes(p, st.body, st.len, st.bytes, out, ti);
    if (n >= 0) warn_escapes(p, st.body, st.len, st.bytes, false, t->start, t->lineno);
    return n;
}

static AstNode *str_const(Parser *p, AstLoc loc, const char *s, size_t n, bool bytes, const char *kind)
{
    Value *v = value_new(p->a, bytes ? V_BYTES : V_STR, 0);
    if (!v) return oom(p);
    v->u.s.data = (const uint8_t *)s;
    v->u.s.len = n;
    return mk_leaf(p, AST_Constant, loc, (AstField){.v = v}, (AstField){.id = kind});
}

/* ------------------------------------------------------------------ f-strings */

/* A piece of literal text. A format spec's piece is decoded as it is read; the others once
   the f-string's FSTRING_END is, when `pending` collects them (CPython decodes them there, so
   an escape error comes after the errors of later replacement fields and is reported at
   FSTRING_END). */
static AstNode *fstring_middle(Parser *p, bool raw, Vec *pending)
{
    size_t ti = p->pos++;
    const PTok *t = ptok(p, ti);
    char *buf = NULL;
    long n = (long)t->len;
    if (!check_fstring_utf8(p, tok_text(p, t), t->len, !pending)) return NULL;
    if (pending) buf = (char *)tok_text(p, t);   /* a format spec's escapes count even in rf'' */
    else if (!(buf = arena_alloc(p->a, t->len + 1))) return oom(p);
    else if ((n = decode_escapes(p, tok_text(p, t), t->len, false, buf, SPEC_TEXT)) < 0) return NULL;
    else warn_escapes(p, tok_text(p, t), t->len, false, true, t->start, t->end_lineno);   /* the token's line as CPython's has it */
    AstLoc l = loc_tok(p, ti);
    /* A doubled brace ends the piece: CPython's token covers both braces, the value has one.
       `last` is the width of the piece's last line (the whole piece on one line). */
    const char *text = tok_text(p, t);
    size_t last = t->len;
    while (last && text[last - 1] != '\n') last--;
    last = t->len - last;
    size_t width = l.lineno == l.end_lineno ? (size_t)(l.end_col_offset - l.col_offset) : (size_t)l.end_col_offset;
    if (t->len && width == last && (text[t->len - 1] == '{' || text[t->len - 1] == '}') &&
        t->start + t->len < p->srclen && p->src[t->start + t->len] == text[t->len - 1])
        l.end_col_offset++;
    AstNode *c = str_const(p, l, buf, (size_t)n, false, NULL);
    if (c && pending && !raw) vec_push(p, pending, c);
    return c;
}

/* Decodes the pieces fstring_middle left pending, errors reported at token `end_ti`. */
static bool decode_pending(Parser *p, Vec *pending, size_t end_ti)
{
    for (size_t k = 0; k < pending->n; k++) {
        Value *v = ((AstNode *)vec_items(pending)[k])->f[F_Constant_value].v;
        char *buf = arena_alloc(p->a, v->u.s.len + 1);
        if (!buf) return oom(p), false;
        long n = decode_escapes(p, (const char *)v->u.s.data, v->u.s.len, false, buf, end_ti);
        if (n < 0) return false;
        const PTok *end = ptok(p, end_ti);   /* CPython warns at FSTRING_END's line */
        warn_escapes(p, (const char *)v->u.s.data, v->u.s.len, false, true, end->start, end->lineno);
        v->u.s.data = (const uint8_t *)buf;
        v->u.s.len = (size_t)n;
    }
    return true;
}

static AstNode *replacement_field(Parser *p, bool raw, Vec *pending);
static AstSeq *flatten_parts(Parser *p, Vec *v);
static AstSeq *merge_constants(Parser *p, AstSeq *parts);

/* FSTRING_MIDDLE and replacement fields up to FSTRING_END or '}', appended to v (pieces
   left to decode to `pending`, NULL in a format spec). */
static bool fstring_parts(Parser *p, Vec *v, bool raw, Vec *pending)
{
    for (;;) {
        AstNode *n;
        if (at(p, TOK_FSTRING_MIDDLE)) {
            if (ptok(p, p->pos)->len == 0) { p->pos++; continue; }
            n = fstring_middle(p, raw, pending);
        } else if (at(p, TOK_LBRACE)) n = replacement_field(p, raw, pending);
        else return true;
        if (!n) return false;
        vec_push(p, v, n);
    }
}

/* invalid_replacement_field: the second pass names what is wrong at token i; the first pass
   just fails there, as CPython's. */
static void *field_error(Parser *p, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *field_error(Parser *p, size_t i, const char *fmt, ...)
{
    if (!invalid_checks(p)) return NULL;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return error_tok(p, i, "%s", msg);
}

/* A replacement field; the text of a debug field ("expr=") outside a format spec is decoded
   at FSTRING_END with the literal pieces (`pending`), as CPython's joined_str does. */
static AstNode *replacement_field(Parser *p, bool raw, Vec *pending)
{
    size_t lbrace = p->pos++;
    int ty = cur_type(p);
    if (ty == TOK_EQUAL || ty == TOK_EXCLAMATION || ty == TOK_COLON || ty == TOK_RBRACE)
        return field_error(p, p->pos, "f-string: valid expression required before '%.*s'",
                         (int)ptok(p, p->pos)->len, tok_text(p, ptok(p, p->pos)));
    if (!enter_n(p, D_FIELD)) return NULL;
    AstNode *e = annotated_rhs(p);
    leave_n(p, D_FIELD);
    if (!e) {
        if (!p->failed) field_error(p, lbrace + 1, "f-string: expecting a valid expression after '{'");
        return NULL;
    }
    ty = cur_type(p);
    if (ty != TOK_EQUAL && ty != TOK_EXCLAMATION && ty != TOK_COLON && ty != TOK_RBRACE)
        return field_error(p, p->pos, "f-string: expecting '=', or '!', or ':', or '}'");
    bool debug = accept(p, TOK_EQUAL);
    ty = cur_type(p);
    if (debug && ty != TOK_EXCLAMATION && ty != TOK_COLON && ty != TOK_RBRACE)
        return field_error(p, p->pos, "f-string: expecting '!', or ':', or '}'");
    size_t after_debug = p->pos;
    intptr_t conversion = -1;
    size_t conv_tok = 0;
    if (accept(p, TOK_EXCLAMATION)) {
        if (at(p, TOK_COLON) || at(p, TOK_RBRACE)) return field_error(p, p->pos, "f-string: missing conversion character");
        if (!at(p, TOK_NAME)) return field_error(p, p->pos, "f-string: invalid conversion character");
        conv_tok = p->pos++;
        const PTok *bang = ptok(p, conv_tok - 1), *conv = ptok(p, conv_tok);
        if (bang->end_lineno != conv->lineno || bang->end_col_offset != conv->col_offset) {
            AstLoc l = {bang->lineno, bang->col_offset, conv->end_lineno, conv->end_col_offset};
            return syntax_error(p, "SyntaxError", l, "f-string: conversion type must come right after the exclamanation mark");
        }
        if (!at(p, TOK_COLON) && !at(p, TOK_RBRACE)) return field_error(p, p->pos, "f-string: expecting ':' or '}'");
    }
    AstNode *spec = NULL;
    if (at(p, TOK_COLON)) {
        size_t colon = p->pos++;
        Vec parts = {0};
        if (!enter_n(p, D_SPEC)) return NULL;
        bool spec_ok = fstring_parts(p, &parts, raw, NULL);
        leave_n(p, D_SPEC);
        if (!spec_ok) return NULL;
        AstSeq *flat = flatten_parts(p, &parts);
        AstSeq *merged = flat ? merge_constants(p, flat) : NULL;
        if (!merged) return NULL;
        spec = mk_at(p, AST_JoinedStr, colon, merged);
        if (!spec) return NULL;
    }
    if (!accept(p, TOK_RBRACE))
        return field_error(p, p->pos, spec ? "f-string: expecting '}', or format specs" : "f-string: expecting '}'");
    if (conv_tok) {
        /* checked once the whole field has parsed */
        const PTok *t = ptok(p, conv_tok);
        if (t->len != 1 || !strchr("sra", tok_text(p, t)[0]))
            return error_tok(p, conv_tok, "f-string: invalid conversion character '%.*s': expected 's', 'r', or 'a'",
                             (int)t->len, tok_text(p, t));
        conversion = tok_text(p, t)[0];
    }
    AstNode *fv = mk_at(p, AST_FormattedValue, lbrace, e, I(debug && conversion == -1 && !spec ? 'r' : conversion), spec);
    if (!fv || !debug) return fv;
    /* the text of "expr=" as written, from after '{' to the token after '=' */
    const PTok *lb = ptok(p, lbrace), *nx = ptok(p, after_debug);
    size_t from = lb->start + 1, to = nx->start;
    AstLoc l = {lb->lineno, lb->col_offset + 1, nx->lineno, nx->col_offset};
    uint32_t dlen;
    const char *dt = tokenizer_debug_text(p->tz, nx->aux, &dlen);
    size_t dn = dlen;
    if (!dt) {
        /* the tokenizer gives no text before a closing '}': take the source, comments dropped */
        dn = to > from ? to - from : 0;
        char *buf = arena_alloc(p->a, dn + 1);
        if (!buf) return oom(p);
        size_t j = 0;
        for (size_t k = from; k < from + dn; k++) {
            if (p->src[k] == '#')
                while (k + 1 < from + dn && p->src[k + 1] != '\n') k++;
            else buf[j++] = p->src[k];
        }
        dt = buf;
        dn = j;
    }
    AstNode *text = str_const(p, l, dt, dn, false, NULL);
    if (!text) return NULL;
    if (pending && !raw && memchr(dt, '\\', dn)) vec_push(p, pending, text);
    /* returned as a pair: the caller sees the debug text through this marker */
    AstNode *pair = ast_node(p->a, AST_Tuple, l);
    if (!pair) return oom(p);
    AstSeq *items = ast_seq(p->a, 2);
    if (!items) return oom(p);
    items->items[0] = text;
    items->items[1] = fv;
    pair->f[F_Tuple_elts].s = items;
    pair->f[F_Tuple_ctx].i = -1;  /* marks the debug pair */
    return pair;
}

/* Flattens debug pairs. */
static void push_part(Parser *p, Vec *v, AstNode *n)
{
    if (n->kind == AST_Tuple && n->f[F_Tuple_ctx].i == -1) {
        vec_push(p, v, n->f[F_Tuple_elts].s->items[0]);
        vec_push(p, v, n->f[F_Tuple_elts].s->items[1]);
    } else {
        vec_push(p, v, n);
    }
}

static AstSeq *flatten_parts(Parser *p, Vec *v)
{
    Vec out = {0};
    for (size_t i = 0; i < v->n; i++) push_part(p, &out, vec_items(v)[i]);
    return vec_seq(p, &out);
}

/* Merges adjacent str constants (the first one's kind) and drops empty ones. */
static AstSeq *merge_constants(Parser *p, AstSeq *parts)
{
    Vec out = {0};
    for (uint32_t i = 0; i < parts->n;) {
        AstNode *n = parts->items[i];
        if (n->kind != AST_Constant) { vec_push(p, &out, n); i++; continue; }
        uint32_t j = i;
        size_t total = 0;
        while (j < parts->n && ((AstNode *)parts->items[j])->kind == AST_Constant)
            total += ((AstNode *)parts->items[j++])->f[F_Constant_value].v->u.s.len;
        if (total) {
            AstNode *c = n;
            if (j - i > 1) {
                char *buf = arena_alloc(p->a, total + 1);
                if (!buf) return oom(p);
                size_t o = 0;
                for (uint32_t k = i; k < j; k++) {
                    const Value *v = ((AstNode *)parts->items[k])->f[F_Constant_value].v;
                    memcpy(buf + o, v->u.s.data, v->u.s.len);
                    o += v->u.s.len;
                }
                AstNode *last = parts->items[j - 1];
                AstLoc l = {n->lineno, n->col_offset, last->end_lineno, last->end_col_offset};
                c = str_const(p, l, buf, total, false, n->f[F_Constant_kind].id);
                if (!c) return NULL;
            }
            vec_push(p, &out, c);
        }
        i = j;
    }
    return vec_seq(p, &out);
}

/* ------------------------------------------------------------------ concatenation */

/* A STRING constant's kind: "u" for a lowercase u prefix only; a run of constants merged
   in a concatenation takes the kind of its first (merge_constants). */
static const char *str_kind(Parser *p, const PTok *t)
{
    return tok_text(p, t)[0] == 'u' ? intern(&p->in, "u", 1) : NULL;
}

AstNode *strings(Parser *p)
{
    size_t start = p->pos;
    const PTok *t0 = ptok(p, start);
    int after = ptok_type_raw(p, start + 1);
    if (t0->type == TOK_STRING && t0->aux && after != TOK_STRING && after != TOK_FSTRING_START) {
        /* most literals: one string with no escape, all ASCII (as string_value takes it);
           most of them have no prefix either (split_string's walk, and no kind) */
        const char *s = tok_text(p, t0), *kind = NULL;
        StrTok st;
        if (s[0] == '\'' || s[0] == '"') {
            size_t q = t0->len >= 6 && s[1] == s[0] && s[2] == s[0] ? 3 : 1;
            st = (StrTok){.body = s + q, .len = t0->len - 2 * q};
        } else {
            st = split_string(p, t0);
            kind = str_kind(p, t0);
        }
        char *buf = arena_alloc_raw(p->a, st.len + 1);
        if (!buf) return oom(p);
        memcpy(buf, st.body, st.len);
        buf[st.len] = 0;
        p->pos++;
        (void)ptok(p, start + 1);   /* the token after the strings was looked at */
        return str_const(p, loc_span(p, start), buf, st.len, st.bytes, kind);
    }
    bool any_f = false, any_bytes = false, any_str = false;
    size_t total = 0;
    size_t i = start;
    /* a look ahead that does not count as fetching tokens: CPython's parser only reaches the
       token after an f-string when the f-string parsed, and the token after a STRING once
       that one decoded ('\U0000000' before a bad token is the decoding error) */
    for (;; i++) {
        int ty = ptok_type_raw(p, i);
        if (ty == TOK_STRING) {
            StrTok st = split_string(p, &p->toks[i]);
            if (st.bytes) any_bytes = true; else any_str = true;
            total += p->toks[i].len;
        } else if (ty == TOK_FSTRING_START) {
            any_f = any_str = true;
            /* skip to the matching FSTRING_END */
            int depth = 0;
            for (;; i++) {
                int t2 = ptok_type_raw(p, i);
                if (t2 == TOK_FSTRING_START) depth++;
                else if (t2 == TOK_FSTRING_END && --depth == 0) break;
                else if (t2 == TOK_ENDMARKER || t2 == TOK_ERRORTOKEN) break;   /* fails below */
            }
            if (ptok_type_raw(p, i) != TOK_FSTRING_END) break;
        } else {
            break;
        }
    }
    /* CPython decodes each piece as it reads it and checks the mix once all are read */
    bool mixed = any_bytes && any_str;
    const PTok *first = ptok(p, start);
    const char *kind = first->type == TOK_STRING ? str_kind(p, first) : NULL;
    if (!any_f) {
        char *buf = arena_alloc_raw(p->a, total + 1);
        if (!buf) return oom(p);
        size_t o = 0;
        bool is_bytes = false;
        for (; p->pos < i; p->pos++) {
            long n = string_value(p, p->pos, buf + o, &is_bytes);
            if (n < 0) return NULL;
            o += (size_t)n;
        }
        buf[o] = 0;
        (void)ptok(p, i);   /* the token after the strings was looked at */
        if (mixed) return error_tok(p, i, "cannot mix bytes and nonbytes literals");
        return str_const(p, loc_span(p, start), buf, o, any_bytes, kind);
    }
    Vec parts = {0};
    bool seen_bytes = false, seen_str = false;   /* among the pieces read so far */
    while (p->pos < i) {
        if (at(p, TOK_STRING)) {
            const PTok *t = ptok(p, p->pos);
            char *buf = arena_alloc(p->a, t->len + 1);
            bool is_bytes;
            if (!buf) return oom(p);
            long n = string_value(p, p->pos, buf, &is_bytes);
            if (n < 0) return NULL;
            if (is_bytes) seen_bytes = true; else seen_str = true;
            AstNode *c = str_const(p, loc_tok(p, p->pos), buf, (size_t)n, false, str_kind(p, t));
            if (!c) return NULL;
            vec_push(p, &parts, c);
            p->pos++;
            continue;
        }
        const PTok *fs = ptok(p, p->pos);
        bool raw = false;
        for (uint32_t k = 0; k < fs->len; k++)
            if ((tok_text(p, fs)[k] | 32) == 'r') raw = true;
        p->pos++;
        Vec fparts = {0}, pending = {0};
        if (!fstring_parts(p, &fparts, raw, &pending) || !accept(p, TOK_FSTRING_END)) {
            /* CPython's loop over the pieces ends at an f-string that does not parse and joins
               those before it: a mix of them is the error, at the furthest token looked at */
            if (!p->failed && seen_bytes && seen_str && !invalid_checks(p))
                return error_tok(p, p->maxpos, "cannot mix bytes and nonbytes literals");
            return NULL;
        }
        if (!decode_pending(p, &pending, p->pos - 1)) return NULL;
        seen_str = true;
        for (size_t k = 0; k < fparts.n; k++) push_part(p, &parts, vec_items(&fparts)[k]);
    }
    if (mixed) return error_tok(p, i, "cannot mix bytes and nonbytes literals");
    (void)ptok(p, i);   /* the token after the strings was looked at */
    AstSeq *flat = flatten_parts(p, &parts);
    AstSeq *values = flat ? merge_constants(p, flat) : NULL;
    return values ? mk_at(p, AST_JoinedStr, start, values) : NULL;
}
