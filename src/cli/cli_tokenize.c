/* cli_tokenize.c - `cpyc tokenize [-e] FILE`: prints what `python3.13 -m tokenize [-e] FILE`
   prints (ENCODING first, COMMENT and NL tokens, columns in characters). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "front/tokenize.h"

/* Maps byte offsets of the source to (line, character column), for offsets met in
   increasing order within a line. */
typedef struct {
    const char *s;
    size_t len;
    size_t *line_starts;
    size_t nlines;
    size_t cache_line, cache_off;
    long cache_chars;
} PosMap;

static int posmap_init(PosMap *pm, const char *s, size_t len, Arena *a)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++) n += s[i] == '\n';
    pm->s = s;
    pm->len = len;
    pm->line_starts = arena_alloc(a, (n + 1) * sizeof(size_t));
    if (!pm->line_starts) return -1;
    pm->nlines = 0;
    pm->line_starts[pm->nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') pm->line_starts[pm->nlines++] = i + 1;
    pm->cache_line = (size_t)-1;
    return 0;
}

/* Line (from 1) holding byte `off`; an offset at the very end belongs to a line of its own. */
static size_t posmap_line(const PosMap *pm, size_t off)
{
    size_t lo = 0, hi = pm->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (pm->line_starts[mid] <= off) lo = mid;
        else hi = mid;
    }
    return lo + 1;
}

static long posmap_col(PosMap *pm, size_t line, size_t off)
{
    size_t ls = pm->line_starts[line - 1];
    size_t from = ls;
    long chars = 0;
    if (pm->cache_line == line && pm->cache_off <= off) {
        from = pm->cache_off;
        chars = pm->cache_chars;
    }
    for (size_t i = from; i < off && i < pm->len; i++)
        if (((unsigned char)pm->s[i] & 0xc0) != 0x80) chars++;
    pm->cache_line = line;
    pm->cache_off = off;
    pm->cache_chars = chars;
    return chars;
}

static void print_token(Buf *o, long l1, long c1, long l2, long c2, const char *type, const char *s, size_t n)
{
    char range[64];
    snprintf(range, sizeof range, "%ld,%ld-%ld,%ld:", l1, c1, l2, c2);
    Buf r = {0};
    repr_str_utf8(&r, (const uint8_t *)s, n);
    buf_printf(o, "%-20s%-15s%.*s", range, type, (int)r.len, (const char *)r.data);
    /* '%-15r' pads to 15 characters */
    long chars = 0;
    for (size_t i = 0; i < r.len; i++) chars += (r.data[i] & 0xc0) != 0x80;
    for (; chars < 15; chars++) buf_byte(o, ' ');
    buf_byte(o, '\n');
    buf_free(&r);
}

/* --check: decodes and tokenizes as compile() does (the parser's view); prints the first
   error as "TYPE: MSG (LINE, OFFSET, END_LINE, END_OFFSET)" (None for a missing line). */
static int check_file(const char *path, const uint8_t *data, size_t len, bool time_only, bool dump)
{
    Arena a;
    arena_init(&a);
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    DecodedSource ds;
    Tokenizer *tz = NULL;
    int rc = 0;
    long ntok = 0;
    if (source_decode(data, len, &a, &ds, &err) || !(tz = tokenizer_new(&ds, &cpyc_target_3_13, &a, &err))) {
        rc = 1;
    } else {
        Token t;
        do {
            if (tokenizer_next(tz, &t)) { rc = 1; break; }
            ntok++;
            if (dump) {
                Buf b = {0};
                repr_str_utf8(&b, (const uint8_t *)token_text(ds.utf8, &t), t.len);
                printf("%d,%d-%d,%d %s %.*s", t.lineno, t.col_offset, t.end_lineno, t.end_col_offset,
                       token_type_name(t.type), (int)b.len, (const char *)b.data);
                uint32_t dlen;
                const char *debug = t.type == TOK_NAME ? NULL : tokenizer_debug_text(tz, t.aux, &dlen);
                if (debug) {
                    b.len = 0;
                    repr_str_utf8(&b, (const uint8_t *)debug, dlen);
                    printf(" meta=%.*s", (int)b.len, (const char *)b.data);
                }
                putchar('\n');
                buf_free(&b);
            }
        } while (t.type != TOK_ENDMARKER);
    }
    if (rc && !time_only) {
        char f[4][16];
        int v[4] = {err.line, err.col, err.end_line, err.end_col};
        for (int k = 0; k < 4; k++) {
            if (v[k] == SYNTAX_POS_NONE) snprintf(f[k], sizeof f[k], "None");
            else snprintf(f[k], sizeof f[k], "%d", v[k]);
        }
        printf("%s: %s (%s, %s, %s, %s)\n", err.exc_type[0] ? err.exc_type : "Error", err.msg, f[0], f[1], f[2], f[3]);
    }
    (void)ntok;
    arena_free(&a);
    return rc;
}

/* Lines 1 and 2 as Lib/tokenize.py's detect_encoding reads them: they must be UTF-8 when they
   may hold the cookie. Null bytes are refused on the line that has one. Prints the error and
   returns 1, or returns 0. */
static int module_precheck(const char *path, const uint8_t *data, size_t len)
{
    const uint8_t *nul = memchr(data, 0, len);
    if (nul) {
        int line = 1;
        for (const uint8_t *p = data; p < nul; p++) line += *p == '\n';
        fprintf(stderr, "%s:%d:0: error: source code cannot contain null bytes\n", path, line);
        return 1;
    }
    size_t pos = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    for (int k = 0; k < 2 && pos < len; k++) {
        const uint8_t *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        size_t bad = 0;
        for (size_t i = pos; i < end;) {
            uint32_t cp;
            size_t k = utf8_decode(data + i, end - i, &cp);
            if (!k || (cp >= 0xd800 && cp < 0xe000)) { bad = 1; break; }
            i += k;
        }
        if (bad) {
            Buf r = {0};
            repr_str_utf8(&r, (const uint8_t *)path, strlen(path));
            fprintf(stderr, "%s: error: invalid or missing encoding declaration for %.*s\n", path, (int)r.len,
                    (const char *)r.data);
            buf_free(&r);
            return 1;
        }
        /* a second line is read only after a blank or comment-only first line */
        size_t i = pos;
        while (i < end && (data[i] == ' ' || data[i] == '\t' || data[i] == '\f')) i++;
        bool blank = i == end || data[i] == '#' || data[i] == '\r' || data[i] == '\n';
        bool cookie = false;
        for (size_t j = pos; j + 7 <= end && !cookie; j++)
            cookie = memcmp(data + j, "coding", 6) == 0 && (data[j + 6] == ':' || data[j + 6] == '=');
        if (!blank || cookie) break;
        pos = end;
    }
    return 0;
}

/* --bench LIST: decodes and tokenizes (the parser's view) every file named in LIST, one a
   line, `rounds` times from memory; prints files, megabytes, seconds and MB/s. */
static int bench(const char *list, int rounds)
{
    FILE *f = fopen(list, "r");
    if (!f) { fprintf(stderr, "cpyc tokenize: cannot open %s\n", list); return 2; }
    uint8_t **datas = NULL;
    size_t *lens = NULL, n = 0, cap = 0, total = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t k;
    while ((k = getline(&line, &lcap, f)) > 0) {
        while (k && (line[k - 1] == '\n' || line[k - 1] == '\r')) line[--k] = 0;
        if (!k) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            uint8_t **d2 = realloc(datas, cap * sizeof *d2);
            size_t *l2 = d2 ? realloc(lens, cap * sizeof *l2) : NULL;
            if (!d2 || !l2) { free(d2 ? d2 : datas); free(lens); fclose(f); free(line); return 2; }
            datas = d2;
            lens = l2;
        }
        cpyc_error err;
        error_clear(&err);
        if (file_read_all(line, &datas[n], &lens[n], &err) == 0) total += lens[n++];
    }
    free(line);
    fclose(f);
    struct timespec w0, w1, c0, c1;
    long errors = 0;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++) errors += check_file("bench", datas[i], lens[i], true, false);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double wall = (double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    double mb = (double)total * rounds / 1e6;
    printf("%zu files, %.1f MB x %d rounds: %.0f MB/s of CPU time (%.3f s), %.0f MB/s of wall time (%.3f s); "
           "%ld rejected\n", n, (double)total / 1e6, rounds, cpu > 0 ? mb / cpu : 0.0, cpu,
           wall > 0 ? mb / wall : 0.0, wall, errors / rounds);
    for (size_t i = 0; i < n; i++) free(datas[i]);
    free(datas);
    free(lens);
    return 0;
}

/* --nfkc: each stdin line (UTF-8) normalized as an identifier, one a line. */
static int nfkc_lines(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t k;
    int rc = 0;
    while ((k = getline(&line, &cap, stdin)) >= 0) {
        if (k && line[k - 1] == '\n') k--;
        Arena a;
        arena_init(&a);
        const char *o;
        size_t ol;
        if (identifier_normalize(&a, line, (size_t)k, &o, &ol)) { puts("error"); rc = 1; }
        else printf("%.*s\n", (int)ol, o);
        arena_free(&a);
    }
    free(line);
    return rc;
}

int cmd_tokenize(int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "--nfkc") == 0) return nfkc_lines();
    if (argc >= 2 && strcmp(argv[0], "--bench") == 0) return bench(argv[1], argc >= 3 ? atoi(argv[2]) : 3);
    bool exact = false, check = false, dump = false;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "--exact") == 0) exact = true;
        else if (strcmp(argv[i], "--check") == 0) check = true;
        else if (strcmp(argv[i], "--parser") == 0) check = dump = true;
        else if (!path) path = argv[i];
        else path = NULL, i = argc;
    }
    if (!path) {
        fputs("usage: cpyc tokenize [-e] [--check|--parser] FILE | --bench LIST [ROUNDS]\n", stderr);
        return 2;
    }
    cpyc_error err;
    uint8_t *data;
    size_t len;
    if (cli_read_file(path, &data, &len, &err)) return 1;
    if (check) {
        int crc = check_file(path, data, len, false, dump);
        free(data);
        return crc;
    }
    Arena a;
    arena_init(&a);
    Buf o = {0};
    DecodedSource ds;
    int rc = 0;
    Tokenizer *tz = NULL;
    PosMap pm = {0};
    if (module_precheck(path, data, len)) {
        rc = 1;
        goto done;
    }
    if (source_decode_ex(data, len, DECODE_KEEP_NEWLINES | DECODE_REPLACE, &a, &ds, &err) ||
        !(tz = tokenizer_new(&ds, &cpyc_target_3_13, &a, &err)) || posmap_init(&pm, ds.utf8, ds.len, &a)) {
        /* Lib/tokenize.py finds the cookie itself and words its errors its own way */
        Buf r = {0};
        repr_str_utf8(&r, (const uint8_t *)path, strlen(path));
        const char *m = err.msg;
        if (strncmp(m, "unknown encoding: ", 18) == 0)
            fprintf(stderr, "%s: error: unknown encoding for %.*s: %s\n", path, (int)r.len, (char *)r.data, m + 18);
        else if (strncmp(m, "encoding problem: ", 18) == 0)
            fprintf(stderr, "%s: error: encoding problem for %.*s: utf-8\n", path, (int)r.len, (char *)r.data);
        else
            fprintf(stderr, "%s: error: %s\n", path, m);
        buf_free(&r);
        rc = 1;
        goto done;
    }
    tokenizer_set_extra(tz, true);
    /* the cookie's name folded only for utf-8 and latin-1 spellings; a BOM shows as utf-8 */
    const char *enc = ds.cookie && !ds.bom ? ds.encoding : "utf-8";
    print_token(&o, 0, 0, 0, 0, "ENCODING", enc, strlen(enc));
    /* the newline appended to a last line without one is shown as '' */
    size_t implicit_from = ds.added_newline ? ds.len - 1 : (size_t)-1;
    for (;;) {
        Token t;
        if (tokenizer_next(tz, &t)) {
            int line, col;
            const char *msg;
            tokenizer_module_error(tz, &line, &col, &msg);
            if (strstr(msg, "unterminated triple-quoted string literal")) msg = "EOF in multi-line string";
            o.len = 0;
            fprintf(stderr, "%s:%d:%d: error: %s\n", path, line, col, msg);
            rc = 1;
            goto done;
        }
        size_t start = t.start, end = t.start + t.len;
        size_t l1 = posmap_line(&pm, start);
        long c1 = posmap_col(&pm, l1, start);
        /* NEWLINE and NL end on their own line; other tokens where their end offset is */
        size_t l2 = (t.type == TOK_NEWLINE || t.type == TOK_NL) ? l1 : posmap_line(&pm, end);
        long c2 = posmap_col(&pm, l2, end);
        const char *s = token_text(ds.utf8, &t);
        size_t n = t.len;
        int type = t.type;
        if (type == TOK_ENDMARKER || (type == TOK_DEDENT && start >= ds.len)) {
            l1 = l2 = pm.nlines + (ds.len && ds.utf8[ds.len - 1] != '\n' ? 1 : 0);
            c1 = c2 = 0;
        } else if (type == TOK_NEWLINE) {
            c2++;
            if (start >= implicit_from) n = 0;
            else if (n && s[0] == '\r') s = "\r\n", n = 2;
            else s = "\n", n = 1;
        } else if (type == TOK_NL && start >= implicit_from) {
            n = 0;
        }
        const char *name = token_type_name(type);
        if (!exact && type > TOK_DEDENT && type < TOK_OP) name = "OP";
        if (type == TOK_NOTEQUAL && s[0] == '<') name = "OP";   /* "<>" has no exact type */
        print_token(&o, (long)l1, c1, (long)l2, c2, name, s, n);
        if (type == TOK_ENDMARKER) break;
    }
done:
    if (o.len) fwrite(o.data, 1, o.len, stdout);
    buf_free(&o);
    arena_free(&a);
    free(data);
    return rc;
}
