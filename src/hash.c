/* hash.c - SipHash 1-3 and 2-4, and CPython's hash() of str/bytes and source_hash. */
#include <string.h>

#include "cpyc_internal.h"

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
        uint32_t cp;
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
