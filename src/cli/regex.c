/* regex.c - the part of Python's `re` syntax that compileall -x patterns use (literals, ., [...],
   \d \w \s \b, anchors, groups, |, greedy and lazy * + ? {m,n}, (?i)), matched by backtracking
   over code points as re.search does; anything else is refused with a message saying what. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { A_CHAR, A_ANY, A_CLASS, A_GROUP, A_BOL, A_EOL, A_BOS, A_EOS, A_WORDB, A_NWORDB };
enum { CL_DIGIT = 1, CL_WORD = 2, CL_SPACE = 4 };   /* class escapes inside a set */

typedef struct RxSeq RxSeq;
typedef struct RxAtom {
    int kind;
    uint32_t cp;                /* A_CHAR */
    bool negate;                /* A_CLASS */
    uint32_t *ranges;           /* A_CLASS: lo, hi pairs */
    int nranges;
    unsigned classes, nclasses; /* CL_* inside the set, and negated ones (\D \W \S) */
    RxSeq *alts;                /* A_GROUP: alternatives */
    int nalts;
} RxAtom;
typedef struct RxTerm { RxAtom atom; int min, max; bool lazy; } RxTerm;
struct RxSeq { RxTerm *terms; int n; };

struct Regex {
    Arena arena;
    RxSeq *alts;
    int nalts;
    bool icase;
    const uint32_t *s;          /* the subject during a search */
    size_t n;
};

typedef struct RxParser {
    Regex *rx;
    const uint32_t *p;
    size_t n, i;
    char *err;
    size_t errsize;
} RxParser;

static bool rx_fail(RxParser *ps, const char *what)
{
    if (!ps->err[0]) snprintf(ps->err, ps->errsize, "%s (at position %zu)", what, ps->i);
    return false;
}

static void *grow(Arena *a, void *old, int n, size_t size)
{
    void *p = arena_alloc(a, (size_t)(n + 1) * size);
    if (p && old) memcpy(p, old, (size_t)n * size);
    return p;
}

static bool parse_alts(RxParser *ps, RxSeq **alts, int *nalts);

/* Adds a class escape (\d \w \s and their negations) to a set, or makes one its own atom. */
static bool class_escape(uint32_t c, unsigned *cls, unsigned *ncls)
{
    switch (c) {
    case 'd': *cls |= CL_DIGIT; return true;
    case 'w': *cls |= CL_WORD; return true;
    case 's': *cls |= CL_SPACE; return true;
    case 'D': *ncls |= CL_DIGIT; return true;
    case 'W': *ncls |= CL_WORD; return true;
    case 'S': *ncls |= CL_SPACE; return true;
    }
    return false;
}

/* The character an escape stands for; false for escapes cpyc does not take. */
static bool char_escape(RxParser *ps, uint32_t c, uint32_t *out)
{
    switch (c) {
    case 'n': *out = '\n'; return true;
    case 't': *out = '\t'; return true;
    case 'r': *out = '\r'; return true;
    case 'f': *out = '\f'; return true;
    case 'v': *out = '\v'; return true;
    case 'a': *out = 7; return true;
    case '0': *out = 0; return true;
    }
    if (c == 'x' || c == 'u' || c == 'U') {   /* \xhh, \uhhhh, \Uhhhhhhhh */
        int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        uint32_t v = 0;
        for (int k = 0; k < digits; k++, ps->i++) {
            uint32_t d = ps->i < ps->n ? ps->p[ps->i] : 0;
            int h = d >= '0' && d <= '9' ? (int)(d - '0') : d >= 'a' && d <= 'f' ? (int)(d - 'a' + 10)
                  : d >= 'A' && d <= 'F' ? (int)(d - 'A' + 10) : -1;
            if (h < 0) return rx_fail(ps, "incomplete escape");
            v = v << 4 | (uint32_t)h;
        }
        if (v > 0x10ffff) return rx_fail(ps, "bad escape");
        *out = v;
        return true;
    }
    if (c >= '1' && c <= '9') return rx_fail(ps, "backreferences (\\1...) are not supported");
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        char m[64];
        snprintf(m, sizeof m, "the escape \\%c is not supported", (char)c);
        return rx_fail(ps, m);
    }
    *out = c;   /* an escaped punctuation character stands for itself */
    return true;
}

static bool parse_class(RxParser *ps, RxAtom *a)
{
    a->kind = A_CLASS;
    if (ps->i < ps->n && ps->p[ps->i] == '^') { a->negate = true; ps->i++; }
    bool first = true;
    for (;;) {
        if (ps->i >= ps->n) return rx_fail(ps, "unterminated character set");
        uint32_t c = ps->p[ps->i++];
        if (c == ']' && !first) return true;
        first = false;
        uint32_t lo = c;
        if (c == '\\') {
            if (ps->i >= ps->n) return rx_fail(ps, "bad escape (end of pattern)");
            uint32_t e = ps->p[ps->i++];
            if (class_escape(e, &a->classes, &a->nclasses)) continue;
            if (!char_escape(ps, e, &lo)) return false;
        } else if (c == '[' && ps->i < ps->n && (ps->p[ps->i] == ':' || ps->p[ps->i] == '=')) {
            return rx_fail(ps, "POSIX classes ([:alpha:]) are not supported");
        }
        uint32_t hi = lo;
        if (ps->i + 1 < ps->n && ps->p[ps->i] == '-' && ps->p[ps->i + 1] != ']') {
            ps->i++;
            hi = ps->p[ps->i++];
            if (hi == '\\') {
                if (ps->i >= ps->n) return rx_fail(ps, "bad escape (end of pattern)");
                if (!char_escape(ps, ps->p[ps->i++], &hi)) return false;
            }
            if (hi < lo) return rx_fail(ps, "bad character range");
        }
        uint32_t *r = grow(&ps->rx->arena, a->ranges, a->nranges * 2 + 1, sizeof *r);
        if (!r) return rx_fail(ps, "out of memory");
        r[a->nranges * 2] = lo;
        r[a->nranges * 2 + 1] = hi;
        a->ranges = r;
        a->nranges++;
    }
}

static bool parse_atom(RxParser *ps, RxAtom *a)
{
    uint32_t c = ps->p[ps->i++];
    memset(a, 0, sizeof *a);
    switch (c) {
    case '.': a->kind = A_ANY; return true;
    case '^': a->kind = A_BOL; return true;
    case '$': a->kind = A_EOL; return true;
    case '[': return parse_class(ps, a);
    case '(':
        if (ps->i < ps->n && ps->p[ps->i] == '?') {
            ps->i++;
            if (ps->i < ps->n && ps->p[ps->i] == ':') ps->i++;
            else if (ps->i + 1 < ps->n && ps->p[ps->i] == 'P' && ps->p[ps->i + 1] == '<') {
                while (ps->i < ps->n && ps->p[ps->i] != '>') ps->i++;   /* a named group */
                if (ps->i++ >= ps->n) return rx_fail(ps, "missing >, unterminated name");
            } else if (ps->i < ps->n && ps->p[ps->i] == 'i' && ps->i + 1 < ps->n && ps->p[ps->i + 1] == ')' &&
                       ps->i == 2) {
                ps->rx->icase = true;   /* (?i) at the start */
                ps->i += 2;
                a->kind = A_GROUP;      /* an empty group */
                a->alts = arena_alloc(&ps->rx->arena, sizeof *a->alts);
                a->nalts = 1;
                return a->alts != NULL;
            } else {
                return rx_fail(ps, "this (?...) construct is not supported (only (?:...), (?P<name>...) "
                                   "and a leading (?i))");
            }
        }
        a->kind = A_GROUP;
        if (!parse_alts(ps, &a->alts, &a->nalts)) return false;
        if (ps->i >= ps->n || ps->p[ps->i] != ')') return rx_fail(ps, "missing ), unterminated subpattern");
        ps->i++;
        return true;
    case ')': return rx_fail(ps, "unbalanced parenthesis");
    case '*': case '+': case '?': return rx_fail(ps, "nothing to repeat");
    case '\\':
        if (ps->i >= ps->n) return rx_fail(ps, "bad escape (end of pattern)");
        c = ps->p[ps->i++];
        switch (c) {
        case 'A': a->kind = A_BOS; return true;
        case 'Z': a->kind = A_EOS; return true;
        case 'b': a->kind = A_WORDB; return true;
        case 'B': a->kind = A_NWORDB; return true;
        }
        if (class_escape(c, &a->classes, &a->nclasses)) { a->kind = A_CLASS; return true; }
        a->kind = A_CHAR;
        return char_escape(ps, c, &a->cp);
    }
    a->kind = A_CHAR;
    a->cp = c;
    return true;
}

/* {m}, {m,}, {,n}, {m,n}; false (and i unmoved) when the brace is a literal. */
static bool parse_braces(RxParser *ps, int *min, int *max)
{
    size_t i = ps->i + 1;
    long lo = -1, hi;
    for (; i < ps->n && ps->p[i] >= '0' && ps->p[i] <= '9'; i++) lo = (lo < 0 ? 0 : lo * 10) + (long)(ps->p[i] - '0');
    if (i < ps->n && ps->p[i] == '}') {
        if (lo < 0) return false;
        hi = lo;
    } else if (i < ps->n && ps->p[i] == ',') {
        hi = -1;
        for (i++; i < ps->n && ps->p[i] >= '0' && ps->p[i] <= '9'; i++) hi = (hi < 0 ? 0 : hi * 10) + (long)(ps->p[i] - '0');
        if (i >= ps->n || ps->p[i] != '}') return false;
        if (hi < 0) hi = 1L << 30;
        if (lo < 0) lo = 0;
    } else {
        return false;
    }
    *min = (int)(lo > 1L << 30 ? 1L << 30 : lo);
    *max = (int)(hi > 1L << 30 ? 1L << 30 : hi);
    ps->i = i + 1;
    return true;
}

static bool parse_seq(RxParser *ps, RxSeq *seq)
{
    memset(seq, 0, sizeof *seq);
    while (ps->i < ps->n && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
        RxTerm t = {.min = 1, .max = 1};
        if (!parse_atom(ps, &t.atom)) return false;
        if (ps->i < ps->n) {
            uint32_t q = ps->p[ps->i];
            bool quant = true;
            if (q == '*') { t.min = 0; t.max = 1 << 30; ps->i++; }
            else if (q == '+') { t.max = 1 << 30; ps->i++; }
            else if (q == '?') { t.min = 0; ps->i++; }
            else if (q != '{' || !parse_braces(ps, &t.min, &t.max)) quant = false;
            if (quant) {
                if (t.atom.kind >= A_BOL && t.atom.kind != A_GROUP) return rx_fail(ps, "nothing to repeat");
                if (t.min > t.max) return rx_fail(ps, "min repeat greater than max repeat");
                if (ps->i < ps->n && ps->p[ps->i] == '?') { t.lazy = true; ps->i++; }
                else if (ps->i < ps->n && ps->p[ps->i] == '+') return rx_fail(ps, "possessive quantifiers are not supported");
                if (ps->i < ps->n && (ps->p[ps->i] == '*' || ps->p[ps->i] == '+' || ps->p[ps->i] == '?'))
                    return rx_fail(ps, "multiple repeat");
            }
        }
        RxTerm *nt = grow(&ps->rx->arena, seq->terms, seq->n, sizeof *nt);
        if (!nt) return rx_fail(ps, "out of memory");
        nt[seq->n++] = t;
        seq->terms = nt;
    }
    return true;
}

static bool parse_alts(RxParser *ps, RxSeq **alts, int *nalts)
{
    *alts = NULL;
    *nalts = 0;
    for (;;) {
        RxSeq *na = grow(&ps->rx->arena, *alts, *nalts, sizeof *na);
        if (!na) return rx_fail(ps, "out of memory");
        *alts = na;
        if (!parse_seq(ps, &na[(*nalts)++])) return false;
        if (ps->i >= ps->n || ps->p[ps->i] != '|') return true;
        ps->i++;
    }
}

/* Text as Python's str: code points, file-system bytes that are not UTF-8 as surrogates. */
static uint32_t *to_codepoints(const char *text, size_t *n)
{
    Buf u = {0};
    fsname_to_utf8(&u, text, strlen(text));
    uint32_t *cps = malloc((u.len + 1) * sizeof *cps);
    size_t k = 0;
    for (size_t i = 0; cps && i < u.len;) {
        size_t len = utf8_decode(u.data + i, u.len - i, &cps[k]);
        if (!len) { cps[k] = u.data[i]; len = 1; }
        i += len;
        k++;
    }
    buf_free(&u);
    *n = k;
    return cps;
}

Regex *regex_compile(const char *pattern, char *err, size_t errsize)
{
    err[0] = 0;
    Regex *rx = calloc(1, sizeof *rx);
    if (!rx) { snprintf(err, errsize, "out of memory"); return NULL; }
    arena_init(&rx->arena);
    size_t n;
    uint32_t *p = to_codepoints(pattern, &n);
    RxParser ps = {rx, p, n, 0, err, errsize};
    bool ok = p && parse_alts(&ps, &rx->alts, &rx->nalts);
    if (ok && ps.i < n) ok = rx_fail(&ps, "unbalanced parenthesis");
    free(p);
    if (!ok) {
        if (!err[0]) snprintf(err, errsize, "out of memory");
        regex_free(rx);
        return NULL;
    }
    return rx;
}

void regex_free(Regex *rx)
{
    if (!rx) return;
    arena_free(&rx->arena);
    free(rx);
}

/* ---- matching: continuation frames say what must match after the current atom */
typedef struct Frame {
    const RxSeq *seq;           /* continue this sequence at term i ... */
    int i;
    const RxTerm *rep;          /* ... or repeat this term, count times matched so far */
    int count;
    size_t start;               /* where the last repetition began (empty loops stop) */
    const struct Frame *next;
} Frame;

static bool is_word(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (c >= 0xaa && !(c >= 0xd800 && c <= 0xdfff) && c != 0xd7 && c != 0xf7 && !(c >= 0x2000 && c <= 0x206f));
}

static bool in_classes(unsigned cls, uint32_t c)
{
    return ((cls & CL_DIGIT) && c >= '0' && c <= '9') || ((cls & CL_WORD) && is_word(c)) ||
           ((cls & CL_SPACE) && (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f) ||
                                 c == 0x85 || c == 0xa0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200a)));
}

static uint32_t fold(uint32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool class_has(const Regex *rx, const RxAtom *a, uint32_t c)
{
    bool in = in_classes(a->classes, c) || (a->nclasses & CL_DIGIT && !in_classes(CL_DIGIT, c)) ||
              (a->nclasses & CL_WORD && !in_classes(CL_WORD, c)) ||
              (a->nclasses & CL_SPACE && !in_classes(CL_SPACE, c));
    for (int r = 0; !in && r < a->nranges; r++) {
        uint32_t lo = a->ranges[2 * r], hi = a->ranges[2 * r + 1];
        in = (c >= lo && c <= hi);
        if (!in && rx->icase) {
            uint32_t alt = c >= 'a' && c <= 'z' ? c - 32 : fold(c);
            in = alt >= lo && alt <= hi;
        }
    }
    return in != a->negate;
}

static bool m_term(const Regex *rx, const RxTerm *t, int count, size_t pos, const Frame *k);

static bool run(const Regex *rx, const Frame *k, size_t pos)
{
    if (!k) return true;
    if (k->rep) {
        if (pos == k->start && k->count > k->rep->min) return false;   /* an empty repetition */
        return m_term(rx, k->rep, k->count, pos, k->next);
    }
    if (k->i == k->seq->n) return run(rx, k->next, pos);
    Frame next = {.seq = k->seq, .i = k->i + 1, .next = k->next};
    return m_term(rx, &k->seq->terms[k->i], 0, pos, &next);
}

static bool m_atom(const Regex *rx, const RxAtom *a, size_t pos, const Frame *k)
{
    const uint32_t *s = rx->s;
    size_t n = rx->n;
    switch (a->kind) {
    case A_CHAR:
        return pos < n && (s[pos] == a->cp || (rx->icase && fold(s[pos]) == fold(a->cp))) && run(rx, k, pos + 1);
    case A_ANY: return pos < n && s[pos] != '\n' && run(rx, k, pos + 1);
    case A_CLASS: return pos < n && class_has(rx, a, s[pos]) && run(rx, k, pos + 1);
    case A_BOL: case A_BOS: return pos == 0 && run(rx, k, pos);
    case A_EOL: return (pos == n || (pos + 1 == n && s[pos] == '\n')) && run(rx, k, pos);
    case A_EOS: return pos == n && run(rx, k, pos);
    case A_WORDB: case A_NWORDB: {
        bool before = pos > 0 && is_word(s[pos - 1]), after = pos < n && is_word(s[pos]);
        return ((before != after) == (a->kind == A_WORDB)) && run(rx, k, pos);
    }
    case A_GROUP:
        for (int i = 0; i < a->nalts; i++) {
            Frame f = {.seq = &a->alts[i], .i = 0, .next = k};
            if (run(rx, &f, pos)) return true;
        }
        return false;
    }
    return false;
}

static bool m_term(const Regex *rx, const RxTerm *t, int count, size_t pos, const Frame *k)
{
    Frame again = {.rep = t, .count = count + 1, .start = pos, .next = k};
    bool more = count < t->max;
    if (!t->lazy) return (more && m_atom(rx, &t->atom, pos, &again)) || (count >= t->min && run(rx, k, pos));
    return (count >= t->min && run(rx, k, pos)) || (more && m_atom(rx, &t->atom, pos, &again));
}

bool regex_search(const Regex *rx, const char *text)
{
    size_t n;
    uint32_t *s = to_codepoints(text, &n);
    if (!s) return false;
    Regex view = *rx;
    view.s = s;
    view.n = n;
    RxAtom top = {.kind = A_GROUP, .alts = rx->alts, .nalts = rx->nalts};
    bool found = false;
    for (size_t start = 0; !found && start <= n; start++) found = m_atom(&view, &top, start, NULL);
    free(s);
    return found;
}
