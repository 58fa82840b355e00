/* decode.c - source bytes to UTF-8 text as CPython 3.13's compile() reads them: null bytes
   refused, newlines translated, UTF-8 BOM, PEP 263 coding cookie on line 1 or 2 (other codecs
   through iconv). Invalid UTF-8 without a cookie passes through: CPython only notices it in
   the tokens that hold it (names, strings), so the tokenizer and parser report it there. */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "unicode/unicode.h"
#include "tokenize.h"

/* An error without a line (SyntaxError whose lineno is None, or 0 with offset -1). */
static int decode_error(cpyc_error *err, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int decode_error(cpyc_error *err, int line, int col, const char *fmt, ...)
{
    const char *file = err->file;
    error_clear(err);
    err->file = file;
    err->status = CPYC_ERR_SYNTAX;
    snprintf(err->exc_type, sizeof err->exc_type, "SyntaxError");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = line;
    err->col = col;
    err->end_line = err->end_col = SYNTAX_POS_NONE;
    if (line == SYNTAX_POS_NONE) err->col = SYNTAX_POS_NONE;
    return -1;
}

static bool is_alnum(int c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* The utf-8 and latin-1 spellings CPython's tokenizer folds before looking a codec up. */
static const char *normal_cookie_name(const char *s)
{
    char b[13];
    int i;
    for (i = 0; i < 12 && s[i]; i++) b[i] = s[i] == '_' ? '-' : (char)lower((unsigned char)s[i]);
    b[i] = 0;
    if (strcmp(b, "utf-8") == 0 || strncmp(b, "utf-8-", 6) == 0) return "utf-8";
    if (strcmp(b, "latin-1") == 0 || strcmp(b, "iso-8859-1") == 0 || strcmp(b, "iso-latin-1") == 0 ||
        strncmp(b, "latin-1-", 8) == 0 || strncmp(b, "iso-8859-1-", 11) == 0 || strncmp(b, "iso-latin-1-", 12) == 0)
        return "iso-8859-1";
    return s;
}

/* Looks for "coding[:=]\s*NAME" in a line that holds only a comment (PEP 263). Returns the
   name's length (name at *name) or 0. `size` counts as CPython counts it. */
static size_t coding_spec(const char *s, size_t size, const char **name)
{
    size_t i = 0;
    if (size < 7) return 0;
    for (; i < size - 6; i++) {
        if (s[i] == '#') break;
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\014') return 0;
    }
    for (; i < size - 6; i++) {
        if (memcmp(s + i, "coding", 6) != 0) continue;
        const char *p = s + i + 6;
        if (*p != ':' && *p != '=') continue;
        do p++; while (*p == ' ' || *p == '\t');
        const char *b = p;
        while (is_alnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.') p++;
        if (p > b) {
            *name = b;
            return (size_t)(p - b);
        }
    }
    return 0;
}

/* Does the line stop the search for a cookie (anything but blanks and a comment)? */
static bool line_has_code(const char *s, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        if (s[i] == '#' || s[i] == '\n' || s[i] == '\r') return false;
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\014') return true;
    }
    return false;
}

/* codecs.lookup(): the table entry for a codec name, or NULL. */
static const CodecEntry *codec_lookup(const char *name)
{
    char norm[64];
    size_t n = 0;
    bool punct = false;
    for (const char *p = name; *p && n + 2 < sizeof norm; p++) {
        int c = (unsigned char)*p;
        if (is_alnum(c) || c == '.') {
            if (punct && n) norm[n++] = '_';
            norm[n++] = (char)lower(c);
            punct = false;
        } else {
            punct = true;
        }
    }
    norm[n] = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t lo = 0, hi = codec_table_count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int r = strcmp(norm, codec_table[mid].alias);
            if (r == 0) return &codec_table[mid];
            if (r < 0) hi = mid;
            else lo = mid + 1;
        }
        for (size_t k = 0; k < n; k++)
            if (norm[k] == '.') norm[k] = '_';
    }
    return NULL;
}

/* Why Python's UTF-8 decoder stops at s[0] (n bytes remain). Returns the reason and sets
   *bad to the number of bytes the error covers. */
const char *utf8_error_reason(const uint8_t *s, size_t n, size_t *bad)
{
    uint8_t c = s[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xbf;
    *bad = 1;
    if (c >= 0xc2 && c <= 0xdf) need = 2;
    else if (c >= 0xe0 && c <= 0xef) { need = 3; if (c == 0xe0) lo = 0xa0; if (c == 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 4; if (c == 0xf0) lo = 0x90; if (c == 0xf4) hi = 0x8f; }
    else return "invalid start byte";
    for (size_t k = 1; k < need; k++) {
        if (k >= n) { *bad = k; return "unexpected end of data"; }
        uint8_t d = s[k];
        if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xbf)) { *bad = k; return "invalid continuation byte"; }
    }
    return NULL;
}

void utf8_error_message(char *out, size_t size, const uint8_t *s, size_t n, size_t pos)
{
    size_t bad = 1;
    const char *why = utf8_error_reason(s + pos, n - pos, &bad);
    if (!why) why = "invalid continuation byte";
    if (bad > 1)
        snprintf(out, size, "'utf-8' codec can't decode bytes in position %zu-%zu: %s", pos, pos + bad - 1, why);
    else
        snprintf(out, size, "'utf-8' codec can't decode byte 0x%02x in position %zu: %s", s[pos], pos, why);
}

size_t utf8_piece(const uint8_t *s, size_t n, bool *valid)
{
    uint32_t cp;
    size_t k = utf8_decode(s, n, &cp);
    *valid = k && !(cp >= 0xd800 && cp < 0xe000);
    if (*valid) return k;
    size_t bad = 1;
    utf8_error_reason(s, n, &bad);
    return bad ? bad : 1;
}

size_t utf8_replace_into(char *out, const char *in, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        bool valid;
        size_t k = utf8_piece((const uint8_t *)in + i, len - i, &valid);
        if (valid) memcpy(out + o, in + i, k);
        else memcpy(out + o, "\xef\xbf\xbd", 3);
        o += valid ? k : 3;
        i += k;
    }
    return o;
}

/* Converts with iconv; on failure reports the first undecodable byte as Python would. */
/* Decoding with errors="replace": each undecodable piece becomes U+FFFD. */
static int convert_replacing(const CodecEntry *codec, const char *in, size_t len, Arena *a, DecodedSource *out,
                             cpyc_error *err)
{
    size_t cap = len * 4 + 16;
    char *buf = arena_alloc(a, cap);
    if (!buf) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    size_t o = 0;
    if (strcmp(codec->name, "utf-8") == 0) {
        o = utf8_replace_into(buf, in, len);
    } else {
        iconv_t cd = iconv_open("UTF-8", codec->iconv);
        if (cd == (iconv_t)-1) return decode_error(err, 0, -1, "unknown encoding: %s", codec->alias);
        char *ip = (char *)in, *op = buf;
        size_t il = len, ol = cap - 1;
        while (il > 0) {
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) break;
            if (errno == E2BIG || ol < 3) break;
            memcpy(op, "\xef\xbf\xbd", 3);
            op += 3;
            ol -= 3;
            ip++;
            il--;
        }
        iconv(cd, NULL, NULL, &op, &ol);
        iconv_close(cd);
        o = (size_t)(op - buf);
    }
    out->utf8 = buf;
    out->len = o;
    return 0;
}

static int convert(const CodecEntry *codec, const char *in, size_t len, bool replace, Arena *a, DecodedSource *out,
                   cpyc_error *err)
{
    if (replace) return convert_replacing(codec, in, len, a, out, err);
    if (strcmp(codec->name, "utf-8") == 0) {  /* strict UTF-8 over the whole text */
        size_t i = 0;
        while (i < len) {
            uint32_t cp;
            size_t k = utf8_decode((const uint8_t *)in + i, len - i, &cp);
            if (!k || (cp >= 0xd800 && cp < 0xe000)) {
                char what[160];
                utf8_error_message(what, sizeof what, (const uint8_t *)in, len, i);
                return decode_error(err, 0, -1, "%s", what);
            }
            i += k;
        }
        out->utf8 = in;
        out->len = len;
        return 0;
    }
    iconv_t cd = iconv_open("UTF-8", codec->iconv);
    if (cd == (iconv_t)-1) return decode_error(err, 0, -1, "unknown encoding: %s", codec->alias);
    size_t cap = len * 4 + 16;
    char *buf = arena_alloc(a, cap);
    if (!buf) {
        iconv_close(cd);
        return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1) r = iconv(cd, NULL, NULL, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        size_t pos = (size_t)(ip - in);
        unsigned byte = pos < len ? (unsigned char)in[pos] : 0;
        const char *why = strcmp(codec->errname, "ascii") == 0     ? "ordinal not in range(128)"
                          : strcmp(codec->errname, "charmap") == 0 ? "character maps to <undefined>"
                          : errno == EINVAL                        ? "incomplete multibyte sequence"
                                                                   : "illegal multibyte sequence";
        return decode_error(err, 0, -1, "'%s' codec can't decode byte 0x%02x in position %zu: %s", codec->errname,
                            byte, pos, why);
    }
    out->utf8 = buf;
    out->len = (size_t)(op - buf);
    return 0;
}

int source_decode_ex(const uint8_t *data, size_t len, unsigned flags, Arena *a, DecodedSource *out, cpyc_error *err)
{
    memset(out, 0, sizeof *out);
    out->encoding = "utf-8";
    if (memchr(data, 0, len)) return decode_error(err, SYNTAX_POS_NONE, 0, "source code string cannot contain null bytes");

    /* newlines: "\r\n" and "\r" become "\n"; a final newline is added */
    const char *s = (const char *)data;
    size_t n = len;
    bool keep = flags & DECODE_KEEP_NEWLINES;
    bool needs_nl = len > 0 && data[len - 1] != '\n' && !(data[len - 1] == '\r' && !keep);
    if ((!keep && memchr(data, '\r', len)) || needs_nl) {
        char *b = arena_alloc(a, len + 2);
        if (!b) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        size_t j = 0;
        for (size_t i = 0; i < len; i++) {
            char c = (char)data[i];
            if (c == '\r' && !keep) {
                c = '\n';
                if (i + 1 < len && data[i + 1] == '\n') i++;
            }
            b[j++] = c;
        }
        if (needs_nl) {
            b[j++] = '\n';
            out->added_newline = true;
        }
        b[j] = 0;
        s = b;
        n = j;
    }

    /* BOM */
    bool bom = n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0;
    if (bom) {
        s += 3;
        n -= 3;
        out->bom = true;
    }

    /* the cookie, on line 1 or (when line 1 holds only a comment or blanks) line 2 */
    const char *name = NULL;
    size_t name_len = 0;
    const char *nl1 = memchr(s, '\n', n);
    if (nl1) {
        name_len = coding_spec(s, (size_t)(nl1 - s), &name);
        if (!name_len && !line_has_code(s, (size_t)(nl1 - s))) {
            const char *l2 = nl1 + 1;
            const char *nl2 = memchr(l2, '\n', n - (size_t)(l2 - s));
            if (nl2) name_len = coding_spec(l2, (size_t)(nl2 - nl1), &name);
        }
    }
    if (!name_len) goto utf8;
    char *raw = arena_alloc(a, name_len + 1);
    if (!raw) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    memcpy(raw, name, name_len);
    out->cookie = raw;
    const char *cs = normal_cookie_name(raw);
    out->encoding = cs;
    if (bom && strcmp(cs, "utf-8") != 0) return decode_error(err, 0, -1, "encoding problem: %s with BOM", cs);
    if (strcmp(cs, "utf-8") == 0) goto utf8;
    const CodecEntry *codec = codec_lookup(cs);
    if (!codec) return decode_error(err, 0, -1, "unknown encoding: %s", cs);
    return convert(codec, s, n, flags & DECODE_REPLACE, a, out, err);
utf8:
    if (flags & DECODE_REPLACE) return convert_replacing(codec_lookup("utf-8"), s, n, a, out, err);
    out->utf8 = s;
    out->len = n;
    return 0;
}

int text_decode_replace(const char *encoding, const char *in, size_t len, Arena *a, const char **out,
                        size_t *outlen)
{
    const CodecEntry *codec = codec_lookup(encoding);
    DecodedSource ds;
    cpyc_error err;
    error_clear(&err);
    if (!codec || convert_replacing(codec, in, len, a, &ds, &err)) return -1;
    *out = ds.utf8;
    *outlen = ds.len;
    return 0;
}

int source_decode(const uint8_t *data, size_t len, Arena *a, DecodedSource *out, cpyc_error *err)
{
    return source_decode_ex(data, len, 0, a, out, err);
}
