/* nfkc.c - NFKC normalization of identifiers, as CPython applies it to every non-ASCII name
   (PEP 3131): full compatibility decomposition, canonical ordering, canonical composition.
   Tables are generated (nfkc_tables.c); Hangul syllables are computed. */
#include <string.h>

#include "nfkc.h"
#include "unicode.h"

enum { S_BASE = 0xAC00, L_BASE = 0x1100, V_BASE = 0x1161, T_BASE = 0x11A7,
       L_COUNT = 19, V_COUNT = 21, T_COUNT = 28, N_COUNT = V_COUNT * T_COUNT, S_COUNT = L_COUNT * N_COUNT };

static int combining_class(uint32_t cp)
{
    size_t lo = 0, hi = nfkc_class_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < nfkc_class[mid].lo) hi = mid;
        else if (cp > nfkc_class[mid].hi) lo = mid + 1;
        else return nfkc_class[mid].ccc;
    }
    return 0;
}

static const NfkcDecomp *decomposition(uint32_t cp)
{
    size_t lo = 0, hi = nfkc_decomp_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < nfkc_decomp[mid].cp) hi = mid;
        else if (cp > nfkc_decomp[mid].cp) lo = mid + 1;
        else return &nfkc_decomp[mid];
    }
    return NULL;
}

/* The primary composite of a and b, or 0. */
static uint32_t compose(uint32_t a, uint32_t b)
{
    if (a >= L_BASE && a < L_BASE + L_COUNT && b >= V_BASE && b < V_BASE + V_COUNT)
        return S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT;
    if (a >= S_BASE && a < S_BASE + S_COUNT && (a - S_BASE) % T_COUNT == 0 && b > T_BASE && b < T_BASE + T_COUNT)
        return a + (b - T_BASE);
    uint64_t key = (uint64_t)a << 21 | b;
    size_t lo = 0, hi = nfkc_pairs_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key < nfkc_pairs[mid].key) hi = mid;
        else if (key > nfkc_pairs[mid].key) lo = mid + 1;
        else return nfkc_pairs[mid].composite;
    }
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3f)); o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

int identifier_normalize(Arena *a, const char *s, size_t len, const char **out, size_t *outlen)
{
    *out = s;
    *outlen = len;
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80) i++;
    if (i == len) return 0;
    /* decompose: no code point expands to more than 18 */
    uint32_t *d = arena_alloc(a, (len * 18 + 1) * sizeof *d);
    if (!d) return -1;
    size_t n = 0;
    for (i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_decode((const uint8_t *)s + i, len - i, &cp);
        if (!k) return -1;
        i += k;
        const NfkcDecomp *dec;
        if (cp >= S_BASE && cp < S_BASE + S_COUNT) {
            uint32_t si = cp - S_BASE;
            d[n++] = L_BASE + si / N_COUNT;
            d[n++] = V_BASE + (si % N_COUNT) / T_COUNT;
            if (si % T_COUNT) d[n++] = T_BASE + si % T_COUNT;
        } else if (cp >= 0x80 && (dec = decomposition(cp))) {
            const uint8_t *p = nfkc_pool + (dec->where >> 8);
            size_t plen = dec->where & 0xff;
            for (size_t j = 0; j < plen;) {
                uint32_t c2;
                size_t k2 = utf8_decode(p + j, plen - j, &c2);
                if (!k2) return -1;
                d[n++] = c2;
                j += k2;
            }
        } else {
            d[n++] = cp;
        }
    }
    /* canonical ordering: stable sort of each run of non-starters by class */
    for (size_t j = 1; j < n; j++) {
        int cc = combining_class(d[j]);
        if (!cc) continue;
        for (size_t k = j; k > 0; k--) {
            int pc = combining_class(d[k - 1]);
            if (pc <= cc) break;
            uint32_t t = d[k];
            d[k] = d[k - 1];
            d[k - 1] = t;
        }
    }
    /* canonical composition */
    size_t m = 0;
    long starter = -1;
    int last_cc = 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t c = d[j];
        int cc = combining_class(c);
        if (starter >= 0) {
            bool adjacent = (size_t)starter == m - 1;
            if (adjacent || (last_cc != 0 && last_cc < cc)) {
                uint32_t p = compose(d[starter], c);
                if (p) {
                    d[starter] = p;
                    continue;
                }
            }
        }
        if (cc == 0) starter = (long)m;
        last_cc = cc;
        d[m++] = c;
    }
    char *o = arena_alloc(a, m * 4 + 1);
    if (!o) return -1;
    size_t ol = 0;
    for (size_t j = 0; j < m; j++) ol += put_utf8(o + ol, d[j]);
    *out = o;
    *outlen = ol;
    return 0;
}
