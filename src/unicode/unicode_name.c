/* unicode_name.c - code point of a Unicode character name, as \N{...} escapes look it up
   (case-insensitive; names and aliases from the generated unicode_names_data.c, Hangul
   syllables by rule). */
#include <string.h>

#include "unicode.h"

static const char *const jamo_l[] = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "",
                                     "J", "JJ", "C", "K", "T", "P", "H"};
static const char *const jamo_v[] = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE",
                                     "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
static const char *const jamo_t[] = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB",
                                     "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C",
                                     "K", "T", "P", "H"};

/* Index of the longest jamo name that s starts with, its length in *n. */
static int longest_jamo(const char *s, size_t len, const char *const *names, int count, size_t *n)
{
    int best = -1;
    *n = 0;
    for (int i = 0; i < count; i++) {
        size_t l = strlen(names[i]);
        if (l <= len && memcmp(s, names[i], l) == 0 && (best < 0 || l > *n)) { best = i; *n = l; }
    }
    return best;
}

static bool hangul(const char *s, size_t len, uint32_t *cp)
{
    size_t n;
    int l = longest_jamo(s, len, jamo_l, 19, &n);
    s += n; len -= n;
    int v = longest_jamo(s, len, jamo_v, 21, &n);
    s += n; len -= n;
    int t = longest_jamo(s, len, jamo_t, 28, &n);
    if (l < 0 || v < 0 || t < 0 || n != len) return false;
    *cp = 0xAC00 + (uint32_t)((l * 21 + v) * 28 + t);
    return true;
}

bool unicode_lookup_name(const char *name, size_t len, uint32_t *cp)
{
    char up[256];
    if (len == 0 || len >= sizeof up) return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        up[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    static const char hs[] = "HANGUL SYLLABLE ";
    if (len > sizeof hs - 1 && memcmp(up, hs, sizeof hs - 1) == 0)
        return hangul(up + sizeof hs - 1, len - (sizeof hs - 1), cp);
    for (size_t r = 0; r < unicode_name_range_count; r++) {
        const UnicodeNameRange *ur = &unicode_name_ranges[r];
        size_t pl = strlen(ur->prefix);
        if (len <= pl || len > pl + 6 || memcmp(up, ur->prefix, pl) != 0) continue;
        uint32_t v = 0;
        size_t i = pl;
        for (; i < len; i++) {
            char c = up[i];
            if (c >= '0' && c <= '9') v = v * 16 + (uint32_t)(c - '0');
            else if (c >= 'A' && c <= 'F') v = v * 16 + (uint32_t)(c - 'A' + 10);
            else break;
        }
        if (i == len && len - pl >= 4 && v >= ur->lo && v <= ur->hi) { *cp = v; return true; }
    }
    /* the aliases of NameAliases.txt (LINE FEED, BOM, ...) */
    size_t lo = 0, hi = unicode_name_alias_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *an = unicode_name_aliases[mid].name;
        int c = strncmp(an, up, len);
        if (c == 0 && an[len] == 0) { *cp = unicode_name_aliases[mid].cp; return true; }
        if (c < 0) lo = mid + 1;
        else hi = mid;   /* greater, or longer with up as its prefix: after up */
    }
    /* the name list: "NAME\n" for the code point after the previous one, "=HEX NAME\n" otherwise */
    uint32_t cur = 0;
    for (const char *p = unicode_names; *p;) {
        if (*p == '=') {
            cur = 0;
            for (p++; *p != ' '; p++) cur = cur * 16 + (uint32_t)(*p <= '9' ? *p - '0' : *p - 'A' + 10);
            p++;
        } else {
            cur++;
        }
        const char *e = strchr(p, '\n');
        if ((size_t)(e - p) == len && memcmp(p, up, len) == 0) { *cp = cur; return true; }
        p = e + 1;
    }
    return false;
}
