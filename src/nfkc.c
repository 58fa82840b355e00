/* nfkc.c - NFKC normalization of identifiers (PEP 3131), with the generated nfkc_data.c:
   compatibility decomposition, canonical ordering, canonical composition (Hangul by rule). */
#include <string.h>

#include "cpyc_internal.h"

enum { SBASE = 0xAC00, LBASE = 0x1100, VBASE = 0x1161, TBASE = 0x11A7, LCOUNT = 19, VCOUNT = 21,
       TCOUNT = 28, NCOUNT = VCOUNT * TCOUNT, SCOUNT = LCOUNT * NCOUNT };

static const char *nfkd_of(uint32_t cp)
{
    size_t lo = 0, hi = nfkd_map_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nfkd_map[mid].cp == cp) return nfkd_map[mid].utf8;
        if (nfkd_map[mid].cp < cp) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static int ccc_of(uint32_t cp)
{
    size_t lo = 0, hi = ccc_range_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ccc_ranges[mid].lo) hi = mid;
        else if (cp > ccc_ranges[mid].hi) lo = mid + 1;
        else return ccc_ranges[mid].ccc;
    }
    return 0;
}

static uint32_t compose(uint32_t a, uint32_t b)
{
    if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
        return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
    if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE && b < TBASE + TCOUNT)
        return a + (b - TBASE);
    size_t lo = 0, hi = compose_pair_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const ComposePair *c = &compose_pairs[mid];
        if (c->first == a && c->second == b) return c->composite;
        if (c->first < a || (c->first == a && c->second < b)) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

/* Appends cp's full compatibility decomposition to cps (room checked by the caller). */
static size_t decompose(uint32_t cp, uint32_t *cps)
{
    if (cp >= SBASE && cp < SBASE + SCOUNT) {
        uint32_t s = cp - SBASE, t = s % TCOUNT;
        cps[0] = LBASE + s / NCOUNT;
        cps[1] = VBASE + (s % NCOUNT) / TCOUNT;
        if (!t) return 2;
        cps[2] = TBASE + t;
        return 3;
    }
    const char *d = nfkd_of(cp);
    if (!d) { cps[0] = cp; return 1; }
    size_t n = 0, len = strlen(d);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = utf8_decode((const uint8_t *)d + i, len - i, &c);
        if (!k) break;
        cps[n++] = c;
        i += k;
    }
    return n;
}

int nfkc_normalize(Arena *a, const char *s, size_t n, const char **out, size_t *outlen)
{
    /* a decomposition is at most 18 code points (U+FDFA) */
    uint32_t *cps = arena_alloc(a, (n * 18 + 1) * sizeof *cps);
    if (!cps) return -1;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode((const uint8_t *)s + i, n - i, &cp);
        if (!k) { cp = (uint8_t)s[i]; k = 1; }
        m += decompose(cp, cps + m);
        i += k;
    }
    /* canonical ordering: stable sort of each run of non-starters by class */
    for (size_t i = 1; i < m; i++) {
        int c = ccc_of(cps[i]);
        if (!c) continue;
        for (size_t j = i; j > 0; j--) {
            int p = ccc_of(cps[j - 1]);
            if (p <= c) break;
            uint32_t t = cps[j]; cps[j] = cps[j - 1]; cps[j - 1] = t;
        }
    }
    /* canonical composition */
    size_t w = 0, starter = 0;
    int last = -1;
    bool have_starter = false;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = cps[i];
        int cc = ccc_of(c);
        if (have_starter && (last < cc || last == 0)) {
            uint32_t comp = compose(cps[starter], c);
            if (comp && (last < cc || (last == 0 && w == starter + 1))) {
                cps[starter] = comp;
                continue;
            }
        }
        if (cc == 0) { starter = w; have_starter = true; }
        last = cc;
        cps[w++] = c;
    }
    char *o = arena_alloc(a, w * 4 + 1);
    if (!o) return -1;
    size_t len = 0;
    for (size_t i = 0; i < w; i++) len += utf8_encode(o + len, cps[i]);
    *out = o;
    *outlen = len;
    return 0;
}
