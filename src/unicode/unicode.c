/* unicode.c - UTF-8 as CPython's marshal stores str: surrogates allowed (surrogatepass). */
#include "targets/targets.h"

size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
    if (len == 0) return 0;
    uint8_t c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t n;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) { n = 2; v = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 3; v = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len < n) return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80) return 0;
        v = (v << 6) | (s[k] & 0x3f);
    }
    if (v < min || v > 0x10ffff) return 0;
    *cp = v;
    return n;
}

bool utf8_scan(const uint8_t *s, size_t len, size_t *ncp, uint32_t *maxcp)
{
    size_t count = 0, i = 0;
    uint32_t max = 0;
    while (i < len) {
        if (s[i] < 0x80) {  /* ASCII runs are the common case */
            if (s[i] > max) max = s[i];
            i++;
            count++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (!n) return false;
        if (cp > max) max = cp;
        i += n;
        count++;
    }
    *ncp = count;
    *maxcp = max;
    return true;
}

bool unicode_in_ranges(const UnicodeRange *r, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo) hi = mid;
        else if (cp > r[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}

bool unicode_isprintable(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7f) return true;
    return !unicode_in_ranges(unicode_nonprintable, unicode_nonprintable_count, cp);
}

bool unicode_isprintable_in(uint32_t cp, const cpyc_target *t)
{
    bool printable = unicode_isprintable(cp);
    if (t && t->unicode && unicode_in_ranges(t->unicode->ranges, t->unicode->count, cp)) printable = !printable;
    return printable;
}

size_t utf8_encode(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xc0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
