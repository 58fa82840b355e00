/* repr.c - Python's repr() of the values a code object holds, as CPython prints them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pyc.h"

static const char hexdigits[] = "0123456789abcdef";

void repr_str_utf8(Buf *b, const uint8_t *s, size_t len)
{
    repr_str_utf8_as(b, s, len, NULL);
}

void repr_str_utf8_as(Buf *b, const uint8_t *s, size_t len, const cpyc_target *t)
{
    bool has_sq = len && memchr(s, '\'', len), has_dq = len && memchr(s, '"', len);   /* s may be NULL when empty */
    char quote = has_sq && !has_dq ? '"' : '\'';
    buf_byte(b, (uint8_t)quote);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (!n) { cp = 0xfffd; n = 1; }  /* values are validated on entry; be safe anyway */
        if (cp == (uint32_t)quote || cp == '\\') {
            buf_byte(b, '\\');
            buf_byte(b, (uint8_t)cp);
        } else if (cp == '\t') {
            buf_put(b, "\\t", 2);
        } else if (cp == '\n') {
            buf_put(b, "\\n", 2);
        } else if (cp == '\r') {
            buf_put(b, "\\r", 2);
        } else if (cp < 0x7f && cp >= 0x20) {
            buf_byte(b, (uint8_t)cp);
        } else if (cp >= 0x7f && unicode_isprintable_in(cp, t)) {
            buf_put(b, s + i, n);
        } else if (cp < 0x100) {
            buf_printf(b, "\\x%02x", (unsigned)cp);
        } else if (cp < 0x10000) {
            buf_printf(b, "\\u%04x", (unsigned)cp);
        } else {
            buf_printf(b, "\\U%08x", (unsigned)cp);
        }
        i += n;
    }
    buf_byte(b, (uint8_t)quote);
}

void repr_bytes(Buf *b, const uint8_t *s, size_t len)
{
    bool has_sq = len && memchr(s, '\'', len), has_dq = len && memchr(s, '"', len);   /* s may be NULL when empty */
    char quote = has_sq && !has_dq ? '"' : '\'';
    buf_byte(b, 'b');
    buf_byte(b, (uint8_t)quote);
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c == (uint8_t)quote || c == '\\') { buf_byte(b, '\\'); buf_byte(b, c); }
        else if (c == '\t') buf_put(b, "\\t", 2);
        else if (c == '\n') buf_put(b, "\\n", 2);
        else if (c == '\r') buf_put(b, "\\r", 2);
        else if (c < 0x20 || c >= 0x7f) {
            buf_put(b, "\\x", 2);
            buf_byte(b, (uint8_t)hexdigits[c >> 4]);
            buf_byte(b, (uint8_t)hexdigits[c & 15]);
        } else buf_byte(b, c);
    }
    buf_byte(b, (uint8_t)quote);
}

/* Tries tmp ("D.DDDe-XX") with its last digit one up, then one down; keeps the first that
   reads back as d. */
static bool nudge_last_digit(char *tmp, double d)
{
    char *e = strchr(tmp, 'e');
    if (!e || e - tmp < 3) return false;
    char *last = e - 1;
    for (int dir = 1; dir >= -1; dir -= 2) {
        char saved[40];
        memcpy(saved, tmp, sizeof saved);
        if ((dir > 0 && *last == '9') || (dir < 0 && *last == '0')) continue;  /* no carries */
        *last = (char)(*last + dir);
        if (strtod(tmp, NULL) == d) return true;
        memcpy(tmp, saved, sizeof saved);
    }
    return false;
}

/* Shortest decimal digits that read back as d (d finite, > 0): digits into `digits`,
   returns their count and sets *exp10 so that d = 0.DIGITS * 10**(*exp10 + 1)... i.e. the
   first digit has weight 10**exp10. */
static int shortest_digits(double d, char digits[32], int *exp10)
{
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
        /* Rounding to nearest may miss the one string of this length that reads back: next to
           a power of two the neighbours are unevenly spaced (2**-24 is 5.960464477539063e-08). */
        if (prec > 1 && nudge_last_digit(tmp, d)) break;
    }
    /* tmp is "D.DDDDe[+-]XX" */
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    *exp10 = atoi(p + 1);
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = 0;
    return n;
}

/* float repr (format code 'r'); add_dot0 appends ".0" to integral fixed-point output. */
static void format_float_r(Buf *b, double d, bool add_dot0, bool force_sign)
{
    if (isnan(d)) { buf_put(b, force_sign ? "+nan" : "nan", force_sign ? 4 : 3); return; }
    if (signbit(d)) { buf_byte(b, '-'); d = -d; }
    else if (force_sign) buf_byte(b, '+');
    if (isinf(d)) { buf_put(b, "inf", 3); return; }
    if (d == 0) { buf_put(b, add_dot0 ? "0.0" : "0", add_dot0 ? 3 : 1); return; }
    char digits[32];
    int e;
    int n = shortest_digits(d, digits, &e);
    if (e < -4 || e >= 16) {
        buf_byte(b, (uint8_t)digits[0]);
        if (n > 1) { buf_byte(b, '.'); buf_put(b, digits + 1, (size_t)n - 1); }
        buf_printf(b, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
        return;
    }
    if (e < 0) {
        buf_put(b, "0.", 2);
        for (int k = -1; k > e; k--) buf_byte(b, '0');
        buf_put(b, digits, (size_t)n);
        return;
    }
    /* e >= 0: integer part has e+1 digits */
    for (int k = 0; k <= e; k++) buf_byte(b, (uint8_t)(k < n ? digits[k] : '0'));
    if (n > e + 1) { buf_byte(b, '.'); buf_put(b, digits + e + 1, (size_t)(n - e - 1)); }
    else if (add_dot0) buf_put(b, ".0", 2);
}

void repr_float(Buf *b, double d) { format_float_r(b, d, true, false); }

static void repr_complex(Buf *b, double re, double im)
{
    if (re == 0 && !signbit(re)) {
        format_float_r(b, im, false, false);
        buf_byte(b, 'j');
        return;
    }
    buf_byte(b, '(');
    format_float_r(b, re, false, false);
    format_float_r(b, im, false, true);
    buf_put(b, "j)", 2);
}

void repr_int(Buf *b, const Value *v)
{
    int64_t small;
    if (value_int_to_i64(v, &small)) { buf_printf(b, "%lld", (long long)small); return; }
    /* Long division of the base-2**15 magnitude by 10**4, collecting groups of 4 digits. */
    size_t n = (size_t)(v->u.i.ndigits < 0 ? -(int64_t)v->u.i.ndigits : v->u.i.ndigits);
    uint16_t *mag = malloc(n * sizeof *mag);
    uint16_t *groups = malloc((n * 15 / 13 + 2) * sizeof *groups);
    if (!mag || !groups) { free(mag); free(groups); b->failed = true; return; }
    memcpy(mag, v->u.i.digits, n * sizeof *mag);
    size_t ng = 0;
    do {
        uint32_t rem = 0;
        for (size_t k = n; k-- > 0;) {
            uint32_t cur = (rem << 15) | mag[k];
            mag[k] = (uint16_t)(cur / 10000);
            rem = cur % 10000;
        }
        groups[ng++] = (uint16_t)rem;
        while (n && mag[n - 1] == 0) n--;
    } while (n);
    if (v->u.i.ndigits < 0) buf_byte(b, '-');
    buf_printf(b, "%u", (unsigned)groups[ng - 1]);
    for (size_t k = ng - 1; k-- > 0;) buf_printf(b, "%04u", (unsigned)groups[k]);
    free(mag);
    free(groups);
}

/* Guards against graphs no CPython writes but a crafted file can hold: containers that
   reach themselves through references, and shared sub-graphs that expand exponentially. */
typedef struct {
    Buf *b;
    size_t limit;  /* stop expanding once the output is this long */
    int depth;
    const cpyc_target *target;  /* when set: sets in its iteration order, str escapes by its Unicode */
    bool compiled;  /* sets as the compiler left them in memory (two insertion passes) */
} ReprState;

enum { REPR_MAX_DEPTH = 200, REPR_MAX_BYTES = 1 << 20 };

static void repr_rec(ReprState *st, const Value *v);

static void repr_items(ReprState *st, const Value *v)
{
    for (size_t k = 0; k < v->u.seq.n; k++) {
        if (k) buf_put(st->b, ", ", 2);
        repr_rec(st, v->u.seq.items[k]);
    }
}

void repr_value(Buf *b, const Value *v)
{
    repr_value_as(b, v, NULL);
}

void repr_value_as(Buf *b, const Value *v, const cpyc_target *t)
{
    ReprState st = {.b = b, .limit = b->len + REPR_MAX_BYTES, .target = t};
    repr_rec(&st, v);
}

void repr_value_compiled(Buf *b, const Value *v, const cpyc_target *t)
{
    ReprState st = {.b = b, .limit = b->len + REPR_MAX_BYTES, .target = t, .compiled = true};
    repr_rec(&st, v);
}

/* Where CPython's set table puts a hash: the slot probed first, up to nine neighbours, then
   a jump mixed with the hash's higher bits, until a free slot turns up. Each probe spends one
   unit of *budget; returns SIZE_MAX once it is spent (items crafted to share one hash would
   take quadratic time). */
static size_t set_slot(const size_t *table, size_t mask, uint64_t hash, size_t *budget)
{
    uint64_t perturb = hash;
    size_t i = (size_t)(hash & mask);
    for (;;) {
        size_t probes = i + 9 <= mask ? 9 : 0;
        for (size_t j = 0; j <= probes; j++) {
            if (!table[i + j]) return i + j;
            if (!(*budget)--) return SIZE_MAX;
        }
        perturb >>= 5;
        i = (size_t)((i * 5 + 1 + perturb) & mask);
    }
}

/* The order in which CPython iterates a set built by adding the items v->u.seq.items[seq[k]]
   (k = 0, 1, ...). Fills order[] with item indices; false when a hash is not reproducible
   or memory runs out. */
static bool set_order_from(const cpyc_target *t, const Value *v, const size_t *seq, size_t *order)
{
    size_t n = v->u.seq.n, mask = 7, fill = 0, budget = 64 * n + 4096, slot;
    uint64_t *hash = malloc(sizeof *hash * (n ? n : 1));
    size_t *table = calloc(mask + 1, sizeof *table);   /* item index + 1; 0: free */
    bool ok = hash && table;
    for (size_t k = 0; ok && k < n; k++) {
        int64_t h;
        ok = hash_value(t, v->u.seq.items[k], &h);
        hash[k] = (uint64_t)h;
    }
    for (size_t k = 0; ok && k < n; k++) {
        if (!(ok = (slot = set_slot(table, mask, hash[seq[k]], &budget)) != SIZE_MAX)) break;
        table[slot] = seq[k] + 1;
        if (++fill * 5 < mask * 3) continue;
        size_t want = fill > 50000 ? fill * 2 : fill * 4, size = 8;
        while (size <= want) size <<= 1;
        size_t *grown = calloc(size, sizeof *grown);
        if (!(ok = grown != NULL)) break;
        for (size_t i = 0; ok && i <= mask; i++) {
            if (!table[i]) continue;
            if ((ok = (slot = set_slot(grown, size - 1, hash[table[i] - 1], &budget)) != SIZE_MAX))
                grown[slot] = table[i];
        }
        free(table);
        table = grown;
        mask = size - 1;
    }
    for (size_t i = 0, j = 0; ok && i <= mask; i++)
        if (table[i]) order[j++] = table[i] - 1;
    free(hash);
    free(table);
    return ok;
}

/* The set's iteration order: its items added in the Value's order (marshal.loads; ast_opt's
   fold). A freshly compiled constant is rebuilt from its iteration order once more by the
   compiler's constant cache (every non-empty frozenset it registers), and again when code
   object creation replaces one of its strings by an interned equal (marked fresh). */
static bool set_order(const ReprState *st, const Value *v, size_t *order)
{
    size_t n = v->u.seq.n;
    size_t *seq = malloc(sizeof *seq * n);
    bool ok = seq != NULL;
    int passes = !st->compiled ? 1 : v->kind == V_FROZENSET && v->fresh ? 3 : 2;
    for (size_t k = 0; ok && k < n; k++) seq[k] = k;
    for (int pass = 0; ok && pass < passes; pass++) {
        if (pass) memcpy(seq, order, sizeof *seq * n);
        ok = set_order_from(st->target, v, seq, order);
    }
    free(seq);
    return ok;
}

static void repr_rec(ReprState *st, const Value *v)
{
    Buf *b = st->b;
    if (v->kind >= V_TUPLE && v->kind != V_CODE &&
        (st->depth >= REPR_MAX_DEPTH || b->len > st->limit)) {
        buf_put(b, "...", 3);
        return;
    }
    st->depth++;
    switch ((ValueKind)v->kind) {
    case V_NULL: buf_put(b, "<NULL>", 6); break;
    case V_NONE: buf_put(b, "None", 4); break;
    case V_FALSE: buf_put(b, "False", 5); break;
    case V_TRUE: buf_put(b, "True", 4); break;
    case V_ELLIPSIS: buf_put(b, "Ellipsis", 8); break;
    case V_STOPITER: buf_put(b, "<class 'StopIteration'>", 23); break;
    case V_INT: repr_int(b, v); break;
    case V_FLOAT: repr_float(b, v->u.f.v); break;
    case V_COMPLEX: repr_complex(b, v->u.c.re, v->u.c.im); break;
    case V_STR: repr_str_utf8_as(b, v->u.s.data, v->u.s.len, st->target); break;
    case V_BYTES: repr_bytes(b, v->u.s.data, v->u.s.len); break;
    case V_TUPLE:
        buf_byte(b, '(');
        repr_items(st, v);
        if (v->u.seq.n == 1) buf_byte(b, ',');
        buf_byte(b, ')');
        break;
    case V_LIST: buf_byte(b, '['); repr_items(st, v); buf_byte(b, ']'); break;
    case V_SET: case V_FROZENSET:
        if (v->u.seq.n == 0) { buf_printf(b, "%s()", value_kind_name(v->kind)); break; }
        if (v->kind == V_FROZENSET) buf_put(b, "frozenset(", 10);
        buf_byte(b, '{');
        size_t *order = st->target ? malloc(sizeof *order * v->u.seq.n) : NULL;
        if (order && set_order(st, v, order)) {
            for (size_t k = 0; k < v->u.seq.n; k++) {
                if (k) buf_put(b, ", ", 2);
                repr_rec(st, v->u.seq.items[order[k]]);
            }
        } else {
            repr_items(st, v);
        }
        free(order);
        buf_byte(b, '}');
        if (v->kind == V_FROZENSET) buf_byte(b, ')');
        break;
    case V_DICT:
        buf_byte(b, '{');
        for (size_t k = 0; k < v->u.seq.n; k++) {
            if (k) buf_put(b, ", ", 2);
            repr_rec(st, v->u.seq.items[2 * k]);
            buf_put(b, ": ", 2);
            repr_rec(st, v->u.seq.items[2 * k + 1]);
        }
        buf_byte(b, '}');
        break;
    case V_CODE: {
        const Code *c = v->u.code;
        buf_put(b, "<code object ", 13);
        const Value *name = c->oval[CO_NAME];
        if (name) buf_put(b, name->u.s.data, name->u.s.len);
        buf_printf(b, ", line %d>", (int)c->ival[CO_FIRSTLINENO]);
        break;
    }
    }
    st->depth--;
}
