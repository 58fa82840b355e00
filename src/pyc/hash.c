/* hash.c - SipHash 1-3 and 2-4, and CPython's hash() of str/bytes and source_hash. */
#include <math.h>
#include <string.h>

#include "pyc.h"

/* An incremental SipHash-c-d so that str can be hashed in CPython's in-memory
   representation (1, 2 or 4 bytes per code point) without building it. */
typedef struct {
    uint64_t v0, v1, v2, v3;
    uint8_t tail[8];
    unsigned ntail;
    uint64_t total;
    int crounds, drounds;
} SipState;

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_rounds(SipState *s, int n)
{
    for (int i = 0; i < n; i++) {
        s->v0 += s->v1; s->v1 = ROTL(s->v1, 13); s->v1 ^= s->v0; s->v0 = ROTL(s->v0, 32);
        s->v2 += s->v3; s->v3 = ROTL(s->v3, 16); s->v3 ^= s->v2;
        s->v0 += s->v3; s->v3 = ROTL(s->v3, 21); s->v3 ^= s->v0;
        s->v2 += s->v1; s->v1 = ROTL(s->v1, 17); s->v1 ^= s->v2; s->v2 = ROTL(s->v2, 32);
    }
}

static void sip_init(SipState *s, uint64_t k0, uint64_t k1, int c, int d)
{
    s->v0 = k0 ^ 0x736f6d6570736575ULL;
    s->v1 = k1 ^ 0x646f72616e646f6dULL;
    s->v2 = k0 ^ 0x6c7967656e657261ULL;
    s->v3 = k1 ^ 0x7465646279746573ULL;
    s->ntail = 0;
    s->total = 0;
    s->crounds = c;
    s->drounds = d;
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t m = 0;
    for (int i = 7; i >= 0; i--) m = (m << 8) | p[i];
    return m;
}

static void sip_block(SipState *s, uint64_t m)
{
    s->v3 ^= m;
    sip_rounds(s, s->crounds);
    s->v0 ^= m;
}

static void sip_update(SipState *s, const uint8_t *p, size_t n)
{
    s->total += n;
    if (s->ntail) {
        while (n && s->ntail < 8) { s->tail[s->ntail++] = *p++; n--; }
        if (s->ntail < 8) return;
        sip_block(s, load_le64(s->tail));
        s->ntail = 0;
    }
    for (; n >= 8; p += 8, n -= 8) sip_block(s, load_le64(p));
    memcpy(s->tail, p, n);
    s->ntail = (unsigned)n;
}

static uint64_t sip_final(SipState *s)
{
    uint64_t b = s->total << 56;
    for (unsigned i = 0; i < s->ntail; i++) b |= (uint64_t)s->tail[i] << (8 * i);
    sip_block(s, b);
    s->v2 ^= 0xff;
    sip_rounds(s, s->drounds);
    return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

static uint64_t siphash(int c, int d, uint64_t k0, uint64_t k1, const void *data, size_t len)
{
    SipState s;
    sip_init(&s, k0, k1, c, d);
    sip_update(&s, data, len);
    return sip_final(&s);
}

uint64_t cpyc_siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
    return siphash(1, 3, k0, k1, data, len);
}

uint64_t cpyc_siphash24(uint64_t k0, uint64_t k1, const void *data, size_t len)
{
    return siphash(2, 4, k0, k1, data, len);
}

void cpyc_source_hash(const cpyc_target *t, const void *src, size_t len, uint8_t out[8])
{
    /* The key is the magic number's four bytes (number and "\r\n") read as a LE integer. */
    uint64_t key = (uint64_t)t->magic | ((uint64_t)'\r' << 16) | ((uint64_t)'\n' << 24);
    uint64_t h = t->hash_siphash13 ? cpyc_siphash13(key, 0, src, len) : cpyc_siphash24(key, 0, src, len);
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(h >> (8 * i));
}

/* hash() maps -1 to -2 since -1 signals an error in CPython's C API. */
static int64_t finish_hash(uint64_t h)
{
    int64_t x = (int64_t)h;
    return x == -1 ? -2 : x;
}

int64_t cpyc_hash_bytes(const cpyc_target *t, const void *data, size_t len)
{
    if (len == 0) return 0;
    return finish_hash(t->hash_siphash13 ? cpyc_siphash13(0, 0, data, len) : cpyc_siphash24(0, 0, data, len));
}

int64_t hash_str(const cpyc_target *t, const uint8_t *s, size_t len)
{
    size_t ncp;
    uint32_t max;
    if (len == 0 || !utf8_scan(s, len, &ncp, &max)) return 0;
    if (max < 0x80) return cpyc_hash_bytes(t, s, len);
    unsigned width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
    SipState st;
    sip_init(&st, 0, 0, t->hash_siphash13 ? 1 : 2, t->hash_siphash13 ? 3 : 4);
    uint8_t chunk[256];
    size_t nchunk = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        i += utf8_decode(s + i, len - i, &cp);
        for (unsigned k = 0; k < width; k++) chunk[nchunk++] = (uint8_t)(cp >> (8 * k));
        if (nchunk > sizeof chunk - 4) { sip_update(&st, chunk, nchunk); nchunk = 0; }
    }
    sip_update(&st, chunk, nchunk);
    return finish_hash(sip_final(&st));
}

int cpyc_hash_str_utf8(const cpyc_target *t, const char *utf8, size_t len, int64_t *out)
{
    size_t ncp;
    uint32_t max;
    if (!utf8_scan((const uint8_t *)utf8, len, &ncp, &max)) return -1;
    *out = hash_str(t, (const uint8_t *)utf8, len);
    return 0;
}

/* ---- hash() of the other constant types, for the iteration order of frozensets */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

/* x * 2**shift modulo 2**61 - 1 (a rotation within 61 bits). */
static uint64_t mul_pow2_mod(uint64_t x, int shift)
{
    return ((x << shift) & HASH_MODULUS) | x >> (HASH_BITS - shift);
}

static int64_t hash_int(const Value *v)
{
    int32_t n = v->u.i.ndigits < 0 ? -v->u.i.ndigits : v->u.i.ndigits;
    uint64_t x = 0;
    for (int32_t k = n; k-- > 0;) {
        x = mul_pow2_mod(x, 15) + v->u.i.digits[k];
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    int64_t h = v->u.i.ndigits < 0 ? -(int64_t)x : (int64_t)x;
    return h == -1 ? -2 : h;
}

/* Returns false for NaN when its hash is the object's address (3.10+). */
static bool hash_double(const cpyc_target *t, double d, int64_t *out)
{
    if (isinf(d)) { *out = d > 0 ? 314159 : -314159; return true; }
    if (isnan(d)) { *out = 0; return t->nan_hash_zero; }
    int e;
    double m = frexp(d, &e);
    int sign = 1;
    if (m < 0) { sign = -1; m = -m; }
    uint64_t x = 0;
    while (m) {
        x = mul_pow2_mod(x, 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    if (e) x = mul_pow2_mod(x, e);
    int64_t h = (int64_t)x * sign;
    *out = h == -1 ? -2 : h;
    return true;
}

/* hash() of an object that hashes by identity: its address rotated right by 4 bits. Only the
   low 21 bits of the address are known (see cpyc_target.none_address); the rest is taken as
   a typical x86-64 shared-library address. Those high bits reach a set's slot only through
   repeated collisions in big sets, where CPython's own order varies from run to run. */
static int64_t hash_address(uint32_t low)
{
    uint64_t p = UINT64_C(0x7f0000000000) | low;
    int64_t h = (int64_t)(p >> 4 | p << 60);
    return h == -1 ? -2 : h;
}

bool hash_value(const cpyc_target *t, const Value *v, int64_t *out)
{
    switch ((ValueKind)v->kind) {
    case V_FALSE: *out = 0; return true;
    case V_TRUE: *out = 1; return true;
    case V_NONE:
        *out = t->none_hash ? t->none_hash : hash_address(t->none_address);
        return true;
    case V_ELLIPSIS: *out = hash_address(t->ellipsis_address); return true;
    case V_INT: *out = hash_int(v); return true;
    case V_FLOAT: return hash_double(t, v->u.f.v, out);
    case V_COMPLEX: {
        int64_t re, im;
        if (!hash_double(t, v->u.c.re, &re) || !hash_double(t, v->u.c.im, &im)) return false;
        uint64_t h = (uint64_t)re + 1000003u * (uint64_t)im;
        *out = (int64_t)h == -1 ? -2 : (int64_t)h;
        return true;
    }
    case V_STR: *out = hash_str(t, v->u.s.data, v->u.s.len); return true;
    case V_BYTES: *out = cpyc_hash_bytes(t, v->u.s.data, v->u.s.len); return true;
    case V_TUPLE: {   /* the xxHash-based tuple hash of 3.8+ */
        const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull,
                       p5 = 2870177450012600261ull;
        uint64_t acc = p5;
        for (size_t k = 0; k < v->u.seq.n; k++) {
            int64_t lane;
            if (!hash_value(t, v->u.seq.items[k], &lane)) return false;
            acc += (uint64_t)lane * p2;
            acc = acc << 31 | acc >> 33;
            acc *= p1;
        }
        acc += v->u.seq.n ^ (p5 ^ 3527539ull);
        *out = acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc;
        return true;
    }
    default: return false;   /* address-based (code, NaN in 3.10+) or not reproduced (frozenset) */
    }
}
