/* const_eval.c - Python 3.13's arithmetic on constant Values, for the AST optimizer: ints of
   any size, floats, complex, str, bytes and tuples, with the size limits of ast_opt.c. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "compile.h"

/* ast_opt.c's limits on what folding may build. */
enum { MAX_INT_SIZE = 128, MAX_COLLECTION_SIZE = 256, MAX_STR_SIZE = 4096, MAX_TOTAL_ITEMS = 1024 };

/* ------------------------------------------------------------------ big ints */
/* An int as Value holds it: base 2**15 digits, least significant first, no leading zero
   digit; n < 0 for negative numbers. */
typedef struct { int32_t n; const uint16_t *d; } Big;

enum { SHIFT = 15, DMASK = 0x7fff };

static uint32_t mag_len(Big x) { return (uint32_t)(x.n < 0 ? -x.n : x.n); }

static Big big_of(const Value *v)
{
    static const uint16_t one = 1;
    if (v->kind == V_TRUE) return (Big){1, &one};
    if (v->kind == V_FALSE) return (Big){0, NULL};
    return (Big){v->u.i.ndigits, v->u.i.digits};
}

/* A magnitude of digits d[0..n) (leading zeros dropped) with sign neg. */
static Big big_make(uint16_t *d, uint32_t n, bool neg)
{
    while (n && !d[n - 1]) n--;
    return (Big){neg ? -(int32_t)n : (int32_t)n, d};
}

static uint16_t *digits_new(Arena *a, size_t n) { return arena_alloc(a, (n ? n : 1) * sizeof(uint16_t)); }

static uint64_t mag_bits(Big x)
{
    uint32_t n = mag_len(x);
    if (!n) return 0;
    unsigned top = x.d[n - 1], b = 0;
    while (top) { b++; top >>= 1; }
    return (uint64_t)(n - 1) * SHIFT + b;
}

static int mag_cmp(Big a, Big b)
{
    uint32_t na = mag_len(a), nb = mag_len(b);
    if (na != nb) return na < nb ? -1 : 1;
    for (uint32_t k = na; k-- > 0;)
        if (a.d[k] != b.d[k]) return a.d[k] < b.d[k] ? -1 : 1;
    return 0;
}

/* |a| + |b| or |a| - |b| (|a| >= |b| for the difference), with sign neg. */
static bool mag_addsub(Arena *ar, Big a, Big b, bool sub, bool neg, Big *out)
{
    uint32_t na = mag_len(a), nb = mag_len(b);
    uint16_t *d = digits_new(ar, na + 1);
    if (!d) return false;
    int32_t carry = 0;
    for (uint32_t k = 0; k < na; k++) {
        int32_t t = a.d[k] + carry + (k < nb ? (sub ? -(int32_t)b.d[k] : b.d[k]) : 0);
        d[k] = (uint16_t)(t & DMASK);
        carry = t >> SHIFT;   /* arithmetic shift: -1 borrows */
    }
    d[na] = (uint16_t)carry;
    *out = big_make(d, na + 1, neg);
    return true;
}

/* a + b, or a - b when negate_b. */
static bool big_add(Arena *ar, Big a, Big b, bool negate_b, Big *out)
{
    bool an = a.n < 0, bn = (b.n < 0) != negate_b;
    if (an == bn) {
        if (mag_len(a) < mag_len(b)) return mag_addsub(ar, b, a, false, an, out);
        return mag_addsub(ar, a, b, false, an, out);
    }
    int c = mag_cmp(a, b);
    if (c == 0) { *out = (Big){0, NULL}; return true; }
    return c > 0 ? mag_addsub(ar, a, b, true, an, out) : mag_addsub(ar, b, a, true, bn, out);
}

static bool big_mul(Arena *ar, Big a, Big b, Big *out)
{
    uint32_t na = mag_len(a), nb = mag_len(b);
    uint16_t *d = digits_new(ar, na + nb);
    if (!d) return false;
    for (uint32_t i = 0; i < na; i++) {
        uint32_t carry = 0;
        for (uint32_t j = 0; j < nb; j++) {
            uint32_t t = d[i + j] + (uint32_t)a.d[i] * b.d[j] + carry;
            d[i + j] = (uint16_t)(t & DMASK);
            carry = t >> SHIFT;
        }
        for (uint32_t k = i + nb; carry; k++) {
            uint32_t t = d[k] + carry;
            d[k] = (uint16_t)(t & DMASK);
            carry = t >> SHIFT;
        }
    }
    *out = big_make(d, na + nb, (a.n < 0) != (b.n < 0));
    return true;
}

/* |x| << s (s >= 0), sign kept. */
static bool big_shl(Arena *ar, Big x, uint64_t s, Big *out)
{
    uint32_t n = mag_len(x), w = (uint32_t)(s / SHIFT), r = (uint32_t)(s % SHIFT);
    uint16_t *d = digits_new(ar, (size_t)n + w + 1);
    if (!d) return false;
    uint32_t acc = 0;
    for (uint32_t k = 0; k < n; k++) {
        acc |= (uint32_t)x.d[k] << r;
        d[w + k] = (uint16_t)(acc & DMASK);
        acc >>= SHIFT;
    }
    d[w + n] = (uint16_t)acc;
    *out = big_make(d, n + w + 1, x.n < 0);
    return true;
}

/* |x| >> s, sign kept; *lost tells whether a one bit was shifted out. */
static bool mag_shr(Arena *ar, Big x, uint64_t s, Big *out, bool *lost)
{
    uint32_t n = mag_len(x);
    *lost = false;
    if (s >= (uint64_t)n * SHIFT) { *lost = n != 0; *out = (Big){0, NULL}; return true; }
    uint32_t w = (uint32_t)(s / SHIFT), r = (uint32_t)(s % SHIFT);
    for (uint32_t k = 0; k < w; k++) *lost |= x.d[k] != 0;
    *lost |= (x.d[w] & ((1u << r) - 1)) != 0;
    uint16_t *d = digits_new(ar, n - w);
    if (!d) return false;
    for (uint32_t k = w; k < n; k++) {
        uint32_t t = (uint32_t)x.d[k] >> r;
        if (k + 1 < n) t |= ((uint32_t)x.d[k + 1] << (SHIFT - r)) & DMASK;
        d[k - w] = (uint16_t)t;
    }
    *out = big_make(d, n - w, x.n < 0);
    return true;
}

/* |a| divided by |b| (b nonzero): quotient and remainder magnitudes (Knuth's algorithm D). */
static bool mag_divmod(Arena *ar, Big a, Big b, Big *q, Big *r)
{
    uint32_t na = mag_len(a), nb = mag_len(b);
    if (mag_cmp(a, b) < 0) {
        *q = (Big){0, NULL};
        *r = (Big){(int32_t)na, a.d};
        return true;
    }
    uint16_t *qd = digits_new(ar, na - nb + 1);
    if (!qd) return false;
    if (nb == 1) {
        uint32_t rem = 0, div = b.d[0];
        for (uint32_t k = na; k-- > 0;) {
            uint32_t cur = rem << SHIFT | a.d[k];
            qd[k] = (uint16_t)(cur / div);
            rem = cur % div;
        }
        uint16_t *rd = digits_new(ar, 1);
        if (!rd) return false;
        rd[0] = (uint16_t)rem;
        *q = big_make(qd, na, false);
        *r = big_make(rd, 1, false);
        return true;
    }
    /* normalize so that the divisor's top digit has its high bit set */
    unsigned top = b.d[nb - 1], sh = 0;
    while (!(top & 0x4000)) { top <<= 1; sh++; }
    uint16_t *u = digits_new(ar, na + 1), *v = digits_new(ar, nb);
    if (!u || !v) return false;
    uint32_t acc = 0;
    for (uint32_t k = 0; k < na; k++) { acc |= (uint32_t)a.d[k] << sh; u[k] = acc & DMASK; acc >>= SHIFT; }
    u[na] = (uint16_t)acc;
    acc = 0;
    for (uint32_t k = 0; k < nb; k++) { acc |= (uint32_t)b.d[k] << sh; v[k] = acc & DMASK; acc >>= SHIFT; }
    for (uint32_t j = na - nb + 1; j-- > 0;) {
        uint32_t num = (uint32_t)u[j + nb] << SHIFT | u[j + nb - 1];
        uint32_t qhat = num / v[nb - 1], rhat = num % v[nb - 1];
        while (qhat > DMASK || qhat * v[nb - 2] > (rhat << SHIFT | u[j + nb - 2])) {
            qhat--;
            rhat += v[nb - 1];
            if (rhat > DMASK) break;
        }
        int32_t borrow = 0;
        uint32_t carry = 0;
        for (uint32_t k = 0; k < nb; k++) {
            uint32_t p = qhat * v[k] + carry;
            carry = p >> SHIFT;
            int32_t t = (int32_t)u[j + k] - (int32_t)(p & DMASK) + borrow;
            u[j + k] = (uint16_t)(t & DMASK);
            borrow = t >> SHIFT;
        }
        int32_t t = (int32_t)u[j + nb] - (int32_t)carry + borrow;
        u[j + nb] = (uint16_t)(t & DMASK);
        if (t < 0) {   /* qhat was one too large: add the divisor back */
            qhat--;
            uint32_t c = 0;
            for (uint32_t k = 0; k < nb; k++) {
                uint32_t s = (uint32_t)u[j + k] + v[k] + c;
                u[j + k] = (uint16_t)(s & DMASK);
                c = s >> SHIFT;
            }
            u[j + nb] = (uint16_t)((u[j + nb] + c) & DMASK);
        }
        qd[j] = (uint16_t)qhat;
    }
    /* the remainder is u[0..nb) shifted back */
    for (uint32_t k = 0; k < nb; k++) {
        uint32_t t = (uint32_t)u[k] >> sh;
        if (k + 1 < nb) t |= ((uint32_t)u[k + 1] << (SHIFT - sh)) & DMASK;
        u[k] = (uint16_t)t;
    }
    *q = big_make(qd, na - nb + 1, false);
    *r = big_make(u, nb, false);
    return true;
}

/* Python's floor division and modulo (b nonzero): the remainder takes b's sign. */
static bool big_floordiv(Arena *ar, Big a, Big b, Big *q, Big *r)
{
    if (!mag_divmod(ar, a, b, q, r)) return false;
    bool an = a.n < 0, bn = b.n < 0;
    if (an != bn) q->n = -q->n;
    if (an) r->n = -r->n;   /* truncated: the remainder has a's sign */
    if (r->n && an != bn) {   /* toward minus infinity: q - 1, r + b */
        static const uint16_t one = 1;
        if (!big_add(ar, *q, (Big){1, &one}, true, q) || !big_add(ar, *r, b, false, r)) return false;
    }
    return true;
}

static bool big_fits_u64(Big x, uint64_t *out)
{
    if (mag_bits(x) > 64) return false;
    uint64_t m = 0;
    for (uint32_t k = mag_len(x); k-- > 0;) m = m << SHIFT | x.d[k];
    *out = m;
    return true;
}

/* The digits of the two's complement of x, n digits long (x fits in n*15 - 1 bits). */
static uint16_t *twos(Arena *ar, Big x, uint32_t n)
{
    uint16_t *d = digits_new(ar, n);
    if (!d) return NULL;
    uint32_t nx = mag_len(x), borrow = x.n < 0;   /* negative: ~(|x| - 1) */
    for (uint32_t k = 0; k < n; k++) {
        int32_t t = (int32_t)(k < nx ? x.d[k] : 0) - (int32_t)borrow;
        borrow = t < 0;
        uint16_t dig = (uint16_t)(t & DMASK);
        d[k] = x.n < 0 ? (uint16_t)(~dig & DMASK) : dig;
    }
    return d;
}

/* a & b, a | b, a ^ b (op: AST_BitAnd, AST_BitOr, AST_BitXor) on two's complement. */
static bool big_bitop(Arena *ar, int op, Big a, Big b, Big *out)
{
    uint32_t n = (mag_len(a) > mag_len(b) ? mag_len(a) : mag_len(b)) + 1;
    uint16_t *x = twos(ar, a, n), *y = twos(ar, b, n);
    if (!x || !y) return false;
    bool sa = a.n < 0, sb = b.n < 0, neg;
    for (uint32_t k = 0; k < n; k++)
        x[k] = op == AST_BitAnd ? x[k] & y[k] : op == AST_BitOr ? x[k] | y[k] : x[k] ^ y[k];
    neg = op == AST_BitAnd ? sa && sb : op == AST_BitOr ? sa || sb : sa != sb;
    if (neg) {   /* magnitude = ~x + 1 */
        uint32_t carry = 1;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t t = (~(uint32_t)x[k] & DMASK) + carry;
            x[k] = (uint16_t)(t & DMASK);
            carry = t >> SHIFT;
        }
    }
    *out = big_make(x, n, neg);
    return true;
}

static Value *value_of_big(Arena *ar, Big x)
{
    Value *v = value_new(ar, V_INT, 0);
    if (v) { v->u.i.ndigits = x.n; v->u.i.digits = x.d; }
    return v;
}

/* ------------------------------------------------------------------ ints to floats */
/* q * 2**e (plus a little more when sticky) rounded half-even to a double, subnormals
   included; false on overflow. q has at least two bits below the kept ones when sticky. */
static bool round_to_double(uint64_t q, bool sticky, int64_t e, double *out)
{
    int qb = 0;
    for (uint64_t t = q; t; t >>= 1) qb++;
    if (!q) { *out = 0.0; return true; }
    int64_t drop = qb - DBL_MANT_DIG;
    if (drop < -1074 - e) drop = -1074 - e;   /* a subnormal keeps fewer bits */
    uint64_t m = q;
    if (drop > 0) {
        if (drop > 64) { *out = 0.0; return true; }
        uint64_t rem = drop == 64 ? q : q & ((1ull << drop) - 1), half = 1ull << (drop - 1);
        m = drop == 64 ? 0 : q >> drop;
        if (rem > half || (rem == half && (sticky || (m & 1)))) m++;
    } else {
        drop = 0;
    }
    if (e + drop > 2000) return false;
    double d = ldexp((double)m, (int)(e + drop));
    if (isinf(d)) return false;
    *out = d;
    return true;
}

/* float(x): correctly rounded; false when too large (OverflowError). */
static bool big_to_double(Arena *ar, Big x, double *out)
{
    uint64_t bits = mag_bits(x), q = 0;
    if (bits > 1100) return false;
    Big top = x;
    bool lost = false;
    uint64_t s = bits > 63 ? bits - 63 : 0;
    if (s && !mag_shr(ar, x, s, &top, &lost)) return false;
    big_fits_u64(top, &q);
    if (!round_to_double(q, lost, (int64_t)s, out)) return false;
    if (x.n < 0) *out = -*out;
    return true;
}

/* a / b correctly rounded (CPython's long_true_divide); false when it raises. */
static bool big_truediv(Arena *ar, Big a, Big b, double *out)
{
    if (!b.n) return false;
    bool neg = (a.n < 0) != (b.n < 0);
    int64_t diff = (int64_t)mag_bits(a) - (int64_t)mag_bits(b);
    if (!a.n || diff < -1100) { *out = neg ? -0.0 : 0.0; return true; }
    if (diff > DBL_MAX_EXP + 1) return false;
    int64_t s = DBL_MANT_DIG + 2 - diff;   /* the quotient gets 55 or 56 bits */
    Big n = {mag_len(a), a.d}, d = {mag_len(b), b.d}, q, r;
    if (s > 0 && !big_shl(ar, n, (uint64_t)s, &n)) return false;
    if (s < 0 && !big_shl(ar, d, (uint64_t)-s, &d)) return false;
    if (!mag_divmod(ar, n, d, &q, &r)) return false;
    uint64_t qq = 0;
    big_fits_u64(q, &qq);
    if (!round_to_double(qq, r.n != 0, -s, out)) return false;
    if (neg) *out = -*out;
    return true;
}

/* ------------------------------------------------------------------ operand kinds */
typedef enum { K_INT, K_FLOAT, K_COMPLEX, K_STR, K_BYTES, K_TUPLE, K_OTHER } Kind;

static Kind kind_of(const Value *v)
{
    switch ((ValueKind)v->kind) {
    case V_INT: case V_TRUE: case V_FALSE: return K_INT;
    case V_FLOAT: return K_FLOAT;
    case V_COMPLEX: return K_COMPLEX;
    case V_STR: return K_STR;
    case V_BYTES: return K_BYTES;
    case V_TUPLE: return K_TUPLE;
    default: return K_OTHER;
    }
}

static bool is_bool(const Value *v) { return v->kind == V_TRUE || v->kind == V_FALSE; }

/* The real value of an int or float operand (CPython's CONVERT_TO_DOUBLE). */
static bool as_double(Arena *a, const Value *v, double *out)
{
    if (v->kind == V_FLOAT) { *out = v->u.f.v; return true; }
    return big_to_double(a, big_of(v), out);
}

static bool as_complex(Arena *a, const Value *v, double *re, double *im)
{
    if (v->kind == V_COMPLEX) { *re = v->u.c.re; *im = v->u.c.im; return true; }
    *im = 0.0;
    return as_double(a, v, re);
}

/* Code points of a UTF-8 str. */
static size_t str_len(const Value *v)
{
    size_t n = 0;
    for (size_t k = 0; k < v->u.s.len; k++) n += (v->u.s.data[k] & 0xc0) != 0x80;
    return n;
}

static size_t seq_len(const Value *v)
{
    return v->kind == V_STR ? str_len(v) : v->kind == V_TUPLE ? v->u.seq.n : v->u.s.len;
}

/* ------------------------------------------------------------------ truth and equality */
bool const_truth(const Value *v)
{
    switch ((ValueKind)v->kind) {
    case V_NONE: case V_FALSE: return false;
    case V_INT: return v->u.i.ndigits != 0;
    case V_FLOAT: return v->u.f.v != 0.0;
    case V_COMPLEX: return v->u.c.re != 0.0 || v->u.c.im != 0.0;
    case V_STR: case V_BYTES: return v->u.s.len != 0;
    case V_TUPLE: case V_LIST: case V_SET: case V_FROZENSET: case V_DICT: return v->u.seq.n != 0;
    default: return true;
    }
}

/* int == float, exactly (CPython compares them without rounding). */
static bool int_eq_float(Arena *a, Big x, double f)
{
    if (!isfinite(f) || floor(f) != f) return false;
    if (mag_bits(x) <= DBL_MANT_DIG) {
        double d;
        big_to_double(a, x, &d);
        return d == f;
    }
    int e;
    double m = frexp(fabs(f), &e);   /* |f| = m * 2**e, m in [0.5, 1) */
    if ((uint64_t)e != mag_bits(x) || (f < 0) != (x.n < 0)) return false;
    uint64_t mant = (uint64_t)ldexp(m, DBL_MANT_DIG), lowbits;
    Big hi;
    bool lost;
    if (!mag_shr(a, x, (uint64_t)e - DBL_MANT_DIG, &hi, &lost)) return false;
    return !lost && big_fits_u64(hi, &lowbits) && lowbits == mant;
}

/* Python's == between constants, as a set compares its items. */
static bool const_eq(Arena *a, const Value *x, const Value *y)
{
    Kind kx = kind_of(x), ky = kind_of(y);
    if (kx <= K_COMPLEX && ky <= K_COMPLEX) {
        if (kx == K_COMPLEX || ky == K_COMPLEX) {
            if (kx == K_COMPLEX && ky == K_COMPLEX)
                return x->u.c.re == y->u.c.re && x->u.c.im == y->u.c.im;
            const Value *c = kx == K_COMPLEX ? x : y, *o = kx == K_COMPLEX ? y : x;
            if (c->u.c.im != 0.0) return false;
            if (o->kind == V_FLOAT) return c->u.c.re == o->u.f.v;
            return int_eq_float(a, big_of(o), c->u.c.re);
        }
        if (kx == K_FLOAT && ky == K_FLOAT) return x->u.f.v == y->u.f.v;
        if (kx == K_INT && ky == K_INT) {
            Big bx = big_of(x), by = big_of(y);
            return bx.n == by.n && mag_cmp(bx, by) == 0;
        }
        return kx == K_INT ? int_eq_float(a, big_of(x), y->u.f.v) : int_eq_float(a, big_of(y), x->u.f.v);
    }
    if (kx != ky) return false;
    switch (kx) {
    case K_STR: case K_BYTES:
        return x->u.s.len == y->u.s.len && !memcmp(x->u.s.data, y->u.s.data, x->u.s.len);
    case K_TUPLE:
        if (x->u.seq.n != y->u.seq.n) return false;
        for (size_t k = 0; k < x->u.seq.n; k++)
            if (x->u.seq.items[k] != y->u.seq.items[k] && !const_eq(a, x->u.seq.items[k], y->u.seq.items[k]))
                return false;
        return true;
    default:
        return x == y || (x->kind == y->kind && (x->kind == V_NONE || x->kind == V_ELLIPSIS));
    }
}

Value *const_frozenset_of(Arena *a, const cpyc_target *t, Value **items, size_t n)
{
    Value **kept = arena_alloc(a, (n ? n : 1) * sizeof *kept);
    /* open addressing on the items' hashes; unhashable-here items (NaN) never match */
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    int64_t *hashes = arena_alloc(a, cap * sizeof *hashes);
    uint32_t *slot = arena_alloc(a, cap * sizeof *slot);   /* kept index + 1 */
    if (!kept || !hashes || !slot) return NULL;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t h;
        bool dup = false;
        if (hash_value(t, items[k], &h)) {
            size_t i = (size_t)h & (cap - 1);
            for (; slot[i]; i = (i + 1) & (cap - 1))
                if (hashes[i] == h && const_eq(a, kept[slot[i] - 1], items[k])) { dup = true; break; }
            if (!dup) { hashes[i] = h; slot[i] = (uint32_t)m + 1; }
        }
        if (!dup) kept[m++] = items[k];
    }
    return const_frozenset(a, kept, m);
}

/* ------------------------------------------------------------------ unary */
int const_unaryop(Arena *a, int op, const Value *v, Value **out)
{
    *out = NULL;
    Kind k = kind_of(v);
    if (op == AST_Not) {
        *out = const_bool(a, !const_truth(v));
        return *out ? 0 : -1;
    }
    if (k == K_INT) {
        static const uint16_t one = 1;
        Big x = big_of(v), r = x;
        if (op == AST_USub) r.n = -x.n;
        else if (op == AST_Invert) {   /* ~x = -(x + 1) */
            if (!big_add(a, x, (Big){1, &one}, false, &r)) return -1;
            r.n = -r.n;
        }
        *out = value_of_big(a, r);
    } else if (k == K_FLOAT && op != AST_Invert) {
        *out = const_float(a, op == AST_USub ? -v->u.f.v : v->u.f.v);
    } else if (k == K_COMPLEX && op != AST_Invert) {
        *out = op == AST_USub ? const_complex(a, -v->u.c.re, -v->u.c.im) : const_complex(a, v->u.c.re, v->u.c.im);
    } else {
        return 0;
    }
    return *out ? 0 : -1;
}

/* ------------------------------------------------------------------ binary */
static bool float_pow(Arena *a, double iv, double iw, Value **out);

/* complex a / b as _Py_c_quot; false on division by zero. */
static bool complex_div(double ar, double ai, double br, double bi, double *rr, double *ri)
{
    double abr = fabs(br), abi = fabs(bi);
    if (abr >= abi) {
        if (abr == 0.0) return false;
        double ratio = bi / br, denom = br + bi * ratio;
        *rr = (ar + ai * ratio) / denom;
        *ri = (ai - ar * ratio) / denom;
    } else if (abi >= abr) {
        double ratio = br / bi, denom = br * ratio + bi;
        *rr = (ar * ratio + ai) / denom;
        *ri = (ai * ratio - ar) / denom;
    } else {
        *rr = *ri = NAN;
    }
    return true;
}

/* complex ** complex as complex_pow; false when it raises. */
static bool complex_pow(double ar, double ai, double br, double bi, double *rr, double *ri)
{
    bool edom = false;
    errno = 0;
    if (bi == 0.0 && br == floor(br) && fabs(br) <= 100.0) {
        /* small integer exponent: repeated squaring (c_powi) */
        long n = (long)br, e = n < 0 ? -n : n, mask = 1;
        double xr = 1.0, xi = 0.0, pr = ar, pi = ai;
        while (mask > 0 && e >= mask) {
            if (e & mask) { double t = xr * pr - xi * pi; xi = xr * pi + xi * pr; xr = t; }
            mask <<= 1;
            double t = pr * pr - pi * pi;
            pi = pr * pi + pi * pr;
            pr = t;
        }
        if (n > 0) { *rr = xr; *ri = xi; }
        else if (!complex_div(1.0, 0.0, xr, xi, rr, ri)) edom = true;
    } else if (br == 0.0 && bi == 0.0) {
        *rr = 1.0; *ri = 0.0;
    } else if (ar == 0.0 && ai == 0.0) {
        if (bi != 0.0 || br < 0.0) edom = true;
        *rr = *ri = 0.0;
    } else {
        double vabs = hypot(ar, ai), len = pow(vabs, br), at = atan2(ai, ar), phase = at * br;
        if (bi != 0.0) {
            len /= exp(at * bi);   /* 3.13.0 divides (3.13.5: len *= exp(-at * bi)) */
            phase += bi * log(vabs);
        }
        *rr = len * cos(phase);
        *ri = len * sin(phase);
    }
    if (edom) return false;
    if (isinf(*rr) || isinf(*ri)) return false;   /* OverflowError */
    return errno != EDOM;
}

static int complex_binop(Arena *a, int op, const Value *l, const Value *r, Value **out)
{
    double ar, ai, br, bi, rr, ri;
    if (!as_complex(a, l, &ar, &ai) || !as_complex(a, r, &br, &bi)) return 0;
    switch (op) {
    case AST_Add: rr = ar + br; ri = ai + bi; break;
    case AST_Sub: rr = ar - br; ri = ai - bi; break;
    case AST_Mult: rr = ar * br - ai * bi; ri = ar * bi + ai * br; break;
    case AST_Div: if (!complex_div(ar, ai, br, bi, &rr, &ri)) return 0; break;
    case AST_Pow: if (!complex_pow(ar, ai, br, bi, &rr, &ri)) return 0; break;
    default: return 0;
    }
    *out = const_complex(a, rr, ri);
    return *out ? 0 : -1;
}

/* float ** float as float_pow; negative bases to fractional powers go complex. */
static bool float_pow(Arena *a, double iv, double iw, Value **out)
{
    bool negate = false;
    double r;
    if (iw == 0) r = 1.0;
    else if (isnan(iv)) r = iv;
    else if (isnan(iw)) r = iv == 1.0 ? 1.0 : iw;
    else if (isinf(iw)) {
        iv = fabs(iv);
        r = iv == 1.0 ? 1.0 : (iw > 0.0) == (iv > 1.0) ? fabs(iw) : 0.0;
    } else if (isinf(iv)) {
        bool odd = fmod(fabs(iw), 2.0) == 1.0;
        r = iw > 0.0 ? (odd ? iv : fabs(iv)) : (odd ? copysign(0.0, iv) : 0.0);
    } else if (iv == 0.0) {
        if (iw < 0.0) return true;   /* ZeroDivisionError */
        r = fmod(fabs(iw), 2.0) == 1.0 ? iv : 0.0;
    } else {
        if (iv < 0.0) {
            if (iw != floor(iw)) {
                double rr, ri;
                if (!complex_pow(iv, 0.0, iw, 0.0, &rr, &ri)) return true;
                return (*out = const_complex(a, rr, ri)) != NULL;
            }
            iv = -iv;
            negate = fmod(fabs(iw), 2.0) == 1.0;
        }
        if (iv == 1.0) r = negate ? -1.0 : 1.0;
        else {
            errno = 0;
            r = pow(iv, iw);
            if (isinf(r)) return true;   /* OverflowError */
            if (errno && !(errno == ERANGE && r == 0.0)) return true;
            if (negate) r = -r;
        }
    }
    return (*out = const_float(a, r)) != NULL;
}

static int float_binop(Arena *a, int op, const Value *l, const Value *r, Value **out)
{
    double x, y, z;
    if (!as_double(a, l, &x) || !as_double(a, r, &y)) return 0;
    switch (op) {
    case AST_Add: z = x + y; break;
    case AST_Sub: z = x - y; break;
    case AST_Mult: z = x * y; break;
    case AST_Div: if (y == 0.0) return 0; z = x / y; break;
    case AST_FloorDiv: case AST_Mod: {
        if (y == 0.0) return 0;
        double mod = fmod(x, y), div = (x - mod) / y;
        if (mod) {
            if ((y < 0) != (mod < 0)) { mod += y; div -= 1.0; }
        } else {
            mod = copysign(0.0, y);
        }
        if (op == AST_Mod) { z = mod; break; }
        if (div) {
            z = floor(div);
            if (div - z > 0.5) z += 1.0;
        } else {
            z = copysign(0.0, x / y);
        }
        break;
    }
    case AST_Pow: return float_pow(a, x, y, out) ? 0 : -1;
    default: return 0;
    }
    *out = const_float(a, z);
    return *out ? 0 : -1;
}

static int int_binop(Arena *a, int op, const Value *l, const Value *r, Value **out)
{
    Big x = big_of(l), y = big_of(r), z, rem;
    uint64_t w = 0;
    bool ok = true, lost;
    switch (op) {
    case AST_Add: ok = big_add(a, x, y, false, &z); break;
    case AST_Sub: ok = big_add(a, x, y, true, &z); break;
    case AST_Mult:
        if (x.n && y.n && mag_bits(x) + mag_bits(y) > MAX_INT_SIZE) return 0;
        ok = big_mul(a, x, y, &z);
        break;
    case AST_Div: {
        double d;
        if (!big_truediv(a, x, y, &d)) return 0;
        *out = const_float(a, d);
        return *out ? 0 : -1;
    }
    case AST_FloorDiv: case AST_Mod:
        if (!y.n) return 0;
        if (!big_floordiv(a, x, y, &z, &rem)) return -1;
        if (op == AST_Mod) z = rem;
        break;
    case AST_Pow: {
        if (y.n < 0) {   /* a negative exponent makes it a float power */
            double fx, fy;
            if (!big_to_double(a, x, &fx) || !big_to_double(a, y, &fy)) return 0;
            return float_pow(a, fx, fy, out) ? 0 : -1;
        }
        if (x.n && y.n) {
            if (!big_fits_u64(y, &w) || mag_bits(x) > MAX_INT_SIZE / w) return 0;
        }
        static const uint16_t one = 1;
        z = (Big){1, &one};
        if (!y.n) break;
        if (!x.n) { z = x; break; }
        /* left to right from w's top bit (x itself): the squarings of 1 above it are
           skipped */
        z = x;
        for (int bit = 62 - __builtin_clzll(w); bit >= 0 && ok; bit--) {
            ok = big_mul(a, z, z, &z);
            if (ok && (w >> bit & 1)) ok = big_mul(a, z, x, &z);
        }
        break;
    }
    case AST_LShift:
        if (x.n && y.n) {
            if (y.n < 0 || !big_fits_u64(y, &w) || w > MAX_INT_SIZE || mag_bits(x) > MAX_INT_SIZE - w) return 0;
        }
        if (y.n < 0) return 0;   /* ValueError: negative shift count */
        if (!x.n || !y.n) { z = x; break; }
        ok = big_shl(a, x, w, &z);
        break;
    case AST_RShift:
        if (y.n < 0) return 0;
        if (!big_fits_u64(y, &w)) w = UINT64_MAX;
        ok = mag_shr(a, x, w, &z, &lost);
        if (ok && x.n < 0 && lost) {   /* floor: -(|x| >> w) - 1 */
            static const uint16_t one = 1;
            ok = big_add(a, z, (Big){1, &one}, true, &z);
        }
        break;
    case AST_BitAnd: case AST_BitOr: case AST_BitXor:
        if (is_bool(l) && is_bool(r)) {
            bool p = l->kind == V_TRUE, q = r->kind == V_TRUE;
            bool res = op == AST_BitAnd ? p && q : op == AST_BitOr ? p || q : p != q;
            *out = const_bool(a, res);
            return *out ? 0 : -1;
        }
        ok = big_bitop(a, op, x, y, &z);
        break;
    default: return 0;
    }
    if (!ok) return -1;
    *out = value_of_big(a, z);
    return *out ? 0 : -1;
}

/* A str or bytes constant of the bytes built at d. */
static Value *text_value(Arena *a, int kind, const uint8_t *d, size_t len)
{
    return kind == V_STR ? const_str(a, (const char *)d, len) : const_bytes(a, d, len);
}

/* Whether a tuple holds more than `limit` items counting nested tuples (check_complexity). */
static int64_t complexity_left(const Value *v, int64_t limit)
{
    if (v->kind != V_TUPLE) return limit;
    limit -= (int64_t)v->u.seq.n;
    for (size_t k = 0; limit >= 0 && k < v->u.seq.n; k++) limit = complexity_left(v->u.seq.items[k], limit);
    return limit;
}

/* dst = n copies of the len bytes at src: the first copied, then what is done so far doubled
   (a log n memcpy calls, where "-" * 70 would take 70). */
static void fill_repeated(void *dst, const void *src, size_t len, size_t n)
{
    size_t total = len * n, done = len < total ? len : total;
    if (!total) return;
    memcpy(dst, src, len);
    for (; done < total; done *= 2)
        memcpy((char *)dst + done, dst, done < total - done ? done : total - done);
}

/* seq * count within safe_multiply's limits. */
static int repeat(Arena *a, const Value *count, const Value *seq, Value **out)
{
    size_t size = seq_len(seq);
    Big c = big_of(count);
    uint64_t n;
    bool fits = big_fits_u64(c, &n) && (n <= (uint64_t)INT64_MAX || (c.n < 0 && n == (uint64_t)INT64_MAX + 1));
    if (!fits) return 0;   /* OverflowError, or PyLong_AsLong's -1 */
    if (size) {
        if (c.n < 0) return 0;
        size_t max = seq->kind == V_TUPLE ? MAX_COLLECTION_SIZE : MAX_STR_SIZE;
        if (n > max / size) return 0;
        if (seq->kind == V_TUPLE && n && complexity_left(seq, MAX_TOTAL_ITEMS / (int64_t)n) < 0) return 0;
    }
    if (c.n <= 0) n = 0;
    if (!size) n = 0;
    if (seq->kind == V_TUPLE) {
        Value **items = arena_alloc(a, ((size_t)n * size + 1) * sizeof *items);
        if (!items) return -1;
        fill_repeated(items, seq->u.seq.items, size * sizeof *items, (size_t)n);
        *out = const_tuple(a, items, (size_t)(n * size));
    } else {
        size_t len = seq->u.s.len;
        uint8_t *d = arena_alloc_raw(a, len * n + 1);
        if (!d) return -1;
        fill_repeated(d, seq->u.s.data, len, (size_t)n);
        d[len * n] = 0;
        *out = text_value(a, seq->kind, d, len * n);
    }
    return *out ? 0 : -1;
}

static int concat(Arena *a, const Value *l, const Value *r, Value **out)
{
    if (l->kind == V_TUPLE) {
        size_t n = l->u.seq.n + r->u.seq.n;
        Value **items = arena_alloc(a, (n ? n : 1) * sizeof *items);
        if (!items) return -1;
        if (l->u.seq.n) memcpy(items, l->u.seq.items, l->u.seq.n * sizeof *items);
        if (r->u.seq.n) memcpy(items + l->u.seq.n, r->u.seq.items, r->u.seq.n * sizeof *items);
        *out = const_tuple(a, items, n);
    } else {
        size_t n = l->u.s.len + r->u.s.len;
        uint8_t *d = arena_alloc(a, n + 1);
        if (!d) return -1;
        if (l->u.s.len) memcpy(d, l->u.s.data, l->u.s.len);
        if (r->u.s.len) memcpy(d + l->u.s.len, r->u.s.data, r->u.s.len);
        *out = text_value(a, l->kind, d, n);
    }
    return *out ? 0 : -1;
}

int const_binop(Arena *a, int op, const Value *l, const Value *r, Value **out)
{
    *out = NULL;
    Kind kl = kind_of(l), kr = kind_of(r);
    if (kl == K_INT && kr == K_INT) return int_binop(a, op, l, r, out);
    if (kl <= K_COMPLEX && kr <= K_COMPLEX)
        return kl == K_COMPLEX || kr == K_COMPLEX ? complex_binop(a, op, l, r, out) : float_binop(a, op, l, r, out);
    bool seq_l = kl == K_STR || kl == K_BYTES || kl == K_TUPLE, seq_r = kr == K_STR || kr == K_BYTES || kr == K_TUPLE;
    if (op == AST_Add && seq_l && kl == kr) return concat(a, l, r, out);
    if (op == AST_Mult && seq_l && kr == K_INT) return repeat(a, r, l, out);
    if (op == AST_Mult && seq_r && kl == K_INT) return repeat(a, l, r, out);
    return 0;   /* TypeError, or str % x which ast_opt never folds */
}

/* ------------------------------------------------------------------ subscript */
int const_subscript(Arena *a, const Value *v, const Value *idx, Value **out)
{
    *out = NULL;
    Kind k = kind_of(v);
    if (kind_of(idx) != K_INT || (k != K_STR && k != K_BYTES && k != K_TUPLE)) return 0;
    int64_t i;
    Big b = big_of(idx);
    uint64_t m;
    if (!big_fits_u64(b, &m) || m > (uint64_t)INT64_MAX) return 0;   /* IndexError */
    i = b.n < 0 ? -(int64_t)m : (int64_t)m;
    int64_t len = (int64_t)seq_len(v);
    if (i < 0) i += len;
    if (i < 0 || i >= len) return 0;   /* IndexError */
    if (k == K_TUPLE) { *out = v->u.seq.items[i]; return 0; }
    if (k == K_BYTES) { *out = const_int(a, v->u.s.data[i]); return *out ? 0 : -1; }
    const uint8_t *s = v->u.s.data, *e = s + v->u.s.len;
    for (int64_t c = 0; c < i; c++) {   /* step over i code points */
        s++;
        while (s < e && (*s & 0xc0) == 0x80) s++;
    }
    const uint8_t *t = s + 1;
    while (t < e && (*t & 0xc0) == 0x80) t++;
    *out = const_str(a, (const char *)s, (size_t)(t - s));
    return *out ? 0 : -1;
}
