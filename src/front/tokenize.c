/* tokenize.c - the Python 3.13 tokenizer: decoded UTF-8 source in, tokens out, with the
   positions and error messages of CPython's C tokenizer. No allocation per token: the
   tokenizer's state (indentation, bracket and f-string stacks) is one arena block. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "tokenize.h"

enum {
    MAX_INDENT = 100,       /* indentation levels */
    MAX_LEVEL = 200,        /* bracket nesting */
    MAX_FSTRING_LEVEL = 150,/* f-strings nested in f-string expressions */
    MAX_EXPR_NESTING = 3,   /* replacement fields nested in format specs */
    TABSIZE = 8, ALT_TABSIZE = 1,
    END = -1                /* end of input from next_char */
};

/* Why tokenizing stopped (what CPython keeps in tok->done). */
typedef enum { ST_OK, ST_EOF, ST_ERROR, ST_DEDENT, ST_TABSPACE, ST_TOODEEP, ST_LINECONT, ST_EOF_ERR, ST_EOF_BACKSLASH } Status;

typedef struct {
    bool fstring;               /* false: regular tokens (also inside a replacement field) */
    bool raw, in_format_spec, debug;
    char quote;
    int quote_size;
    size_t start;               /* offset of the f-string's prefix */
    size_t start_line_start;    /* offset of the line it starts on */
    int start_lineno;
    int curly_depth;            /* open brackets inside replacement fields */
    int expr_start_depth;       /* -1 outside a replacement field */
    long expr_start;            /* after the '{' of the field being read, -1 if none */
    long expr_end;              /* at the character closing its expression, -1 if not yet */
} Mode;

struct Tokenizer {
    const char *src;
    size_t len;
    const DecodedSource *ds;
    const cpyc_target *target;
    Arena *arena;
    cpyc_error *err;
    bool extra;
    bool nl_end;                /* src ends with '\n', which stops every scan of a name */
    /* reading position */
    size_t cur, line_start;
    int lineno;
    bool line_pending;          /* the last character read was '\n': the next read starts a line */
    /* token being read */
    size_t tok_start;
    int first_lineno;           /* STRING: line and line start of its first quote */
    size_t multi_line_start;
    /* CPython's tok->buf: the start of the line read last outside a token (a line entered
       inside a string or after a backslash keeps it); columns of E_LINECONT count from it */
    size_t buf_start;
    bool in_token;
    Status status;
    bool atbol, comment_newline, failed;
    int pendin;
    int indent, indstack[MAX_INDENT], altindstack[MAX_INDENT];
    int level;
    int mode_top;
    /* the error as the tokenize module reports it */
    int mod_line, mod_col;
    /* debug texts of f-string fields written with '=', by Token.aux (entry 0 unused) */
    struct DebugText { const char *s; uint32_t len; } *debug_texts;
    uint32_t ndebug, debug_cap;
    /* the SyntaxWarnings issued so far (numbers followed by a keyword, "\{" in f-strings) */
    SourceWarning *warns;
    uint32_t nwarns, warns_cap;
    /* from here on, entries are written before they are read: not zeroed by tokenizer_new */
    char parenstack[MAX_LEVEL];
    int parenline[MAX_LEVEL];
    int parencol[MAX_LEVEL];
    Mode modes[MAX_FSTRING_LEVEL + 1];
};

static Mode *mode(Tokenizer *t) { return &t->modes[t->mode_top]; }
static bool inside_fstring(const Tokenizer *t) { return t->mode_top > 0; }

/* ---------------------------------------------------------------- reading */

/* Starts the next line if the last character read ended one and input remains. */
static void enter_line(Tokenizer *t)
{
    if (t->line_pending && t->cur < t->len) {
        t->line_pending = false;
        t->lineno++;
        t->line_start = t->cur;
        if (!t->in_token) t->buf_start = t->cur;
    }
}

static int next_char_slow(Tokenizer *t)
{
    enter_line(t);
    if (t->cur >= t->len) {
        if (t->status == ST_OK) t->status = ST_EOF;
        return END;
    }
    int c = (unsigned char)t->src[t->cur++];
    if (c == '\n') t->line_pending = true;
    return c;
}

static inline int next_char(Tokenizer *t)
{
    if (!t->line_pending && t->cur < t->len) {    /* the common case: within a line */
        int c = (unsigned char)t->src[t->cur++];
        if (c == '\n') t->line_pending = true;
        return c;
    }
    return next_char_slow(t);
}

static void backup(Tokenizer *t, int c)
{
    if (c == END) return;
    t->cur--;
    if (c == '\n') t->line_pending = false;
}

/* End of the current line: offset of its '\n' (or of the end of input). */
static size_t line_end(const Tokenizer *t, size_t line_start)
{
    const char *nl = memchr(t->src + line_start, '\n', t->len - line_start);
    return nl ? (size_t)(nl - t->src) : t->len;
}

/* Characters in src[from, to) as CPython counts them for an error's column: decoded with
   errors="replace", where each undecodable piece is one U+FFFD. */
static long count_chars(const char *s, size_t from, size_t to)
{
    long n = 0;
    for (size_t i = from; i < to; n++) {
        bool valid;
        i += utf8_piece((const uint8_t *)s + i, to - i, &valid);
    }
    return n;
}

/* ----------------------------------------------------------------- errors */

static int fail(Tokenizer *t, Status st)
{
    t->failed = true;
    t->status = st;
    return -1;
}

static void set_error(Tokenizer *t, const char *type, int line, long col, int end_line, long end_col,
                      const char *fmt, va_list ap)
{
    cpyc_error *e = t->err;
    const char *file = e->file;
    error_clear(e);
    e->file = file;
    e->status = CPYC_ERR_SYNTAX;
    snprintf(e->exc_type, sizeof e->exc_type, "%s", type);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    e->line = line;
    e->col = (int)col;
    e->end_line = end_line;
    e->end_col = (int)end_col;
}

/* A SyntaxError raised by the tokenizer itself: at the current line, the offset being the
   characters read on it so far (or the byte columns given). */
static int syntax_error_range(Tokenizer *t, long col, long end_col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int syntax_error_range(Tokenizer *t, long col, long end_col, const char *fmt, ...)
{
    if (col < 0) col = count_chars(t->src, t->line_start, t->cur);
    if (end_col < 0) end_col = col;
    va_list ap;
    va_start(ap, fmt);
    set_error(t, "SyntaxError", t->lineno, col, t->lineno, end_col, fmt, ap);
    va_end(ap);
    t->mod_line = t->lineno;
    t->mod_col = (int)col;
    return fail(t, ST_ERROR);
}

#define syntax_error(t, ...) syntax_error_range(t, -1, -1, __VA_ARGS__)

/* CPython places a parser error on the line decoded with errors="replace" and encoded again,
   where an undecodable piece weighs the three bytes of U+FFFD: a column counts the pieces
   that begin before it there, and a column past the line's end is one past its last piece. */
long syntax_char_column(const char *line, size_t n, long col)
{
    long pieces = 0, before = 0, at = 0;
    for (size_t i = 0; i < n; pieces++) {
        bool valid;
        size_t k = utf8_piece((const uint8_t *)line + i, n - i, &valid);
        before += at < col;
        at += valid ? (long)k : 3;
        i += k;
    }
    return col > at ? pieces + 1 : before;
}

int syntax_error_known_location(const DecodedSource *src, cpyc_error *err, const char *exc_type,
                                int lineno, long col_offset, int end_lineno, long end_col_offset,
                                const char *fmt, ...)
{
    /* the line's text, newline included */
    size_t ls = 0, le = src->len;
    int n = 1;
    for (size_t i = 0; i < src->len && n < lineno; i++)
        if (src->utf8[i] == '\n') { n++; ls = i + 1; }
    if (n < lineno) ls = src->len;
    const char *nl = memchr(src->utf8 + ls, '\n', src->len - ls);
    le = nl ? (size_t)(nl - src->utf8) + 1 : src->len;
    long col = col_offset + 1, end = end_col_offset + 1;
    long cc = syntax_char_column(src->utf8 + ls, le - ls, col);
    long ec = end > 0 ? syntax_char_column(src->utf8 + ls, le - ls, end) : end;
    const char *file = err->file;
    error_clear(err);
    err->file = file;
    err->status = CPYC_ERR_SYNTAX;
    snprintf(err->exc_type, sizeof err->exc_type, "%s", exc_type);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = lineno;
    err->col = (int)cc;
    err->end_line = end_lineno;
    err->end_col = (int)ec;
    err->text_from = CPYC_TEXT_PARSER;
    err->byte_col = (int)col;
    err->byte_end_col = (int)end;
    return -1;
}

/* The errors CPython's parser raises for a tokenizer state (tokenizer_error in pegen). */
static int state_error(Tokenizer *t, Status st)
{
    size_t le = line_end(t, t->line_start);
    long inp = (long)(le < t->len ? le + 1 : le) - (long)t->line_start;  /* the line with its newline */
    t->mod_line = t->lineno;
    t->mod_col = (int)count_chars(t->src, t->line_start, t->line_start + (size_t)inp);
    switch (st) {
    case ST_DEDENT:
        syntax_error_known_location(t->ds, t->err, "IndentationError", t->lineno, inp - 1, t->lineno, -2,
                                    "unindent does not match any outer indentation level");
        break;
    case ST_TABSPACE:
        syntax_error_known_location(t->ds, t->err, "TabError", t->lineno, 0, t->lineno, -1,
                                    "inconsistent use of tabs and spaces in indentation");
        break;
    case ST_TOODEEP:
        syntax_error_known_location(t->ds, t->err, "IndentationError", t->lineno, 0, t->lineno, -1,
                                    "too many levels of indentation");
        break;
    case ST_LINECONT:
        /* CPython counts the bytes from its buffer's start (an earlier line when this one was
           entered inside a string) and converts them to characters on the text it has: the
           line read again from the file (clamped to its end: byte_col), else its buffer */
        syntax_error_known_location(t->ds, t->err, "SyntaxError", t->lineno,
                                    (long)(t->cur - t->buf_start) - 1, t->lineno, -1,
                                    "unexpected character after line continuation character");
        t->err->col = (int)count_chars(t->src, t->buf_start, t->cur);
        break;
    default: /* ST_EOF_ERR: end of input inside brackets or after a backslash */
        /* the tokenize module counts what its buffer holds: the line after a backslash, the
           lines of an unfinished f-string, else nothing */
        if (st != ST_EOF_BACKSLASH)
            t->mod_col = inside_fstring(t) ? (int)count_chars(t->src, mode(t)->start_line_start, t->len) : 0;
        if (t->level > 0) {
            int k = t->level - 1;
            syntax_error_known_location(t->ds, t->err, "SyntaxError", t->parenline[k], t->parencol[k],
                                        t->parenline[k], -1, "'%c' was never closed", t->parenstack[k]);
        } else {
            syntax_error_known_location(t->ds, t->err, "SyntaxError", t->lineno, inp - 1, t->lineno, -2,
                                        "unexpected EOF while parsing");
        }
        break;
    }
    return fail(t, st);
}

void tokenizer_error_kind(const Tokenizer *t, bool *raised, bool *in_fstring)
{
    *raised = t->status == ST_ERROR;
    *in_fstring = inside_fstring(t);
}

void tokenizer_module_error(const Tokenizer *t, int *line, int *col, const char **msg)
{
    *line = t->mod_line;
    *col = t->mod_col;
    switch (t->status) {
    case ST_EOF_ERR: case ST_EOF_BACKSLASH: *msg = "unexpected EOF in multi-line statement"; break;
    default: *msg = t->err->msg; break;
    }
}

/* ------------------------------------------------------------------ setup */

Tokenizer *tokenizer_new(const DecodedSource *src, const cpyc_target *target, Arena *a, cpyc_error *err)
{
    Tokenizer *t = arena_alloc_raw(a, sizeof *t);
    if (!t) {
        error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        return NULL;
    }
    memset(t, 0, offsetof(Tokenizer, parenstack));
    memset(&t->modes[0], 0, sizeof t->modes[0]);
    t->src = src->utf8;
    t->len = src->len;
    t->ds = src;
    t->target = target;
    t->arena = a;
    t->err = err;
    t->lineno = 1;
    t->nl_end = src->len > 0 && src->utf8[src->len - 1] == '\n';
    t->atbol = true;
    t->modes[0].expr_start_depth = -1;
    t->modes[0].expr_start = t->modes[0].expr_end = -1;
    return t;
}

void tokenizer_set_extra(Tokenizer *t, bool extra) { t->extra = extra; }

int tokenizer_level(const Tokenizer *t) { return t->level; }

int tokenizer_open_bracket(const Tokenizer *t, int *lineno, int *col_offset)
{
    if (t->level == 0) return 0;
    *lineno = t->parenline[t->level - 1];
    *col_offset = t->parencol[t->level - 1];
    return t->parenstack[t->level - 1];
}

static const char *const type_names[TOK__COUNT] = {
    "ENDMARKER", "NAME", "NUMBER", "STRING", "NEWLINE", "INDENT", "DEDENT", "LPAR", "RPAR",
    "LSQB", "RSQB", "COLON", "COMMA", "SEMI", "PLUS", "MINUS", "STAR", "SLASH", "VBAR", "AMPER",
    "LESS", "GREATER", "EQUAL", "DOT", "PERCENT", "LBRACE", "RBRACE", "EQEQUAL", "NOTEQUAL",
    "LESSEQUAL", "GREATEREQUAL", "TILDE", "CIRCUMFLEX", "LEFTSHIFT", "RIGHTSHIFT", "DOUBLESTAR",
    "PLUSEQUAL", "MINEQUAL", "STAREQUAL", "SLASHEQUAL", "PERCENTEQUAL", "AMPEREQUAL",
    "VBAREQUAL", "CIRCUMFLEXEQUAL", "LEFTSHIFTEQUAL", "RIGHTSHIFTEQUAL", "DOUBLESTAREQUAL",
    "DOUBLESLASH", "DOUBLESLASHEQUAL", "AT", "ATEQUAL", "RARROW", "ELLIPSIS", "COLONEQUAL",
    "EXCLAMATION", "OP", "TYPE_IGNORE", "TYPE_COMMENT", "SOFT_KEYWORD", "FSTRING_START",
    "FSTRING_MIDDLE", "FSTRING_END", "COMMENT", "NL", "ERRORTOKEN", "ENCODING",
};

const char *token_type_name(int type)
{
    return type >= 0 && type < TOK__COUNT ? type_names[type] : "?";
}

/* ---------------------------------------------------------------- operators */

static int one_char(int c)
{
    switch (c) {
    case '!': return TOK_EXCLAMATION;
    case '%': return TOK_PERCENT;
    case '&': return TOK_AMPER;
    case '(': return TOK_LPAR;
    case ')': return TOK_RPAR;
    case '*': return TOK_STAR;
    case '+': return TOK_PLUS;
    case ',': return TOK_COMMA;
    case '-': return TOK_MINUS;
    case '.': return TOK_DOT;
    case '/': return TOK_SLASH;
    case ':': return TOK_COLON;
    case ';': return TOK_SEMI;
    case '<': return TOK_LESS;
    case '=': return TOK_EQUAL;
    case '>': return TOK_GREATER;
    case '@': return TOK_AT;
    case '[': return TOK_LSQB;
    case ']': return TOK_RSQB;
    case '^': return TOK_CIRCUMFLEX;
    case '{': return TOK_LBRACE;
    case '|': return TOK_VBAR;
    case '}': return TOK_RBRACE;
    case '~': return TOK_TILDE;
    default: return TOK_OP;
    }
}

static int two_chars(int c1, int c2)
{
    switch (c1) {
    case '!': return c2 == '=' ? TOK_NOTEQUAL : TOK_OP;
    case '%': return c2 == '=' ? TOK_PERCENTEQUAL : TOK_OP;
    case '&': return c2 == '=' ? TOK_AMPEREQUAL : TOK_OP;
    case '*': return c2 == '*' ? TOK_DOUBLESTAR : c2 == '=' ? TOK_STAREQUAL : TOK_OP;
    case '+': return c2 == '=' ? TOK_PLUSEQUAL : TOK_OP;
    case '-': return c2 == '=' ? TOK_MINEQUAL : c2 == '>' ? TOK_RARROW : TOK_OP;
    case '/': return c2 == '/' ? TOK_DOUBLESLASH : c2 == '=' ? TOK_SLASHEQUAL : TOK_OP;
    case ':': return c2 == '=' ? TOK_COLONEQUAL : TOK_OP;
    case '<': return c2 == '<' ? TOK_LEFTSHIFT : c2 == '=' ? TOK_LESSEQUAL : c2 == '>' ? TOK_NOTEQUAL : TOK_OP;
    case '=': return c2 == '=' ? TOK_EQEQUAL : TOK_OP;
    case '>': return c2 == '=' ? TOK_GREATEREQUAL : c2 == '>' ? TOK_RIGHTSHIFT : TOK_OP;
    case '@': return c2 == '=' ? TOK_ATEQUAL : TOK_OP;
    case '^': return c2 == '=' ? TOK_CIRCUMFLEXEQUAL : TOK_OP;
    case '|': return c2 == '=' ? TOK_VBAREQUAL : TOK_OP;
    default: return TOK_OP;
    }
}

static int three_chars(int c1, int c2, int c3)
{
    if (c3 != '=' && !(c1 == '.' && c2 == '.' && c3 == '.')) return TOK_OP;
    if (c1 == '*' && c2 == '*') return TOK_DOUBLESTAREQUAL;
    if (c1 == '/' && c2 == '/') return TOK_DOUBLESLASHEQUAL;
    if (c1 == '<' && c2 == '<') return TOK_LEFTSHIFTEQUAL;
    if (c1 == '>' && c2 == '>') return TOK_RIGHTSHIFTEQUAL;
    if (c1 == '.' && c2 == '.') return TOK_ELLIPSIS;
    return TOK_OP;
}

/* ------------------------------------------------------------------ tokens */

/* Per byte: bit 1 may start a name (letters, '_', any non-ASCII byte), 2 is a digit; names
   go on while it is not 0. K_PREFIX marks the string prefix letters, K_NONASCII bytes from
   128 up (the name must then be checked and normalized). */
enum { K_PREFIX = 4, K_NONASCII = 8 };
#define L 1
#define D 2
#define P (K_PREFIX | 1)
#define N (K_NONASCII | 1)
static const uint8_t char_kind[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
    0, L, P, L, L, L, P, L, L, L, L, L, L, L, L, L,
    L, L, P, L, L, P, L, L, L, L, L, 0, 0, 0, 0, L,
    0, L, P, L, L, L, P, L, L, L, L, L, L, L, L, L,
    L, L, P, L, L, P, L, L, L, L, L, 0, 0, 0, 0, 0,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
    N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
};
#undef L
#undef D
#undef P
#undef N
/* Bytes that go on an ASCII name: letters, digits, '_' (the fast loop's names). */
static const bool ascii_name_char[256] = {
    ['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['A'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['_'] = 1,
    ['a'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_xdigit(int c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
static bool ident_start(int c) { return c >= 0 && (char_kind[c & 0xff] & 1); }
static bool ident_char(int c) { return c >= 0 && char_kind[c & 0xff]; }

/* Fills out with a token of one line, src[start, end) on the current line. */
static inline void line_token(const Tokenizer *t, Token *out, int type, size_t start, size_t end)
{
    *out = (Token){.type = (uint8_t)type, .len = (uint32_t)(end - start), .start = (uint32_t)start,
                   .lineno = t->lineno, .end_lineno = t->lineno, .col_offset = (int32_t)(start - t->line_start),
                   .end_col_offset = (int32_t)(end - t->line_start)};
}

/* Fills out with the token src[start, end) of type `type`, positioned as CPython's parser
   positions it. */
static int emit(Tokenizer *t, Token *out, int type, size_t start, size_t end)
{
    line_token(t, out, type, start, end);
    size_t ls = type == TOK_STRING ? t->multi_line_start : t->line_start;
    out->lineno = type == TOK_STRING ? t->first_lineno : t->lineno;
    out->col_offset = start >= ls ? (int32_t)(start - ls) : -1;
    out->end_col_offset = end >= t->line_start ? (int32_t)(end - t->line_start) : -1;
    if (!t->extra && (type == TOK_INDENT || type == TOK_DEDENT || type == TOK_ENDMARKER)) {
        out->col_offset = out->end_col_offset = -1;   /* CPython gives the parser no extent for these */
        out->start = (uint32_t)end;
        out->len = 0;
    }
    return 0;
}


/* Checks a name with non-ASCII characters: XID_Start then XID_Continue. */
static int verify_identifier(Tokenizer *t)
{
    if (t->extra) return 0;
    size_t i = t->tok_start;
    bool first = true;
    while (i < t->cur) {
        uint32_t cp;
        size_t n = utf8_decode((const uint8_t *)t->src + i, t->cur - i, &cp);
        if (!n || (cp >= 0xd800 && cp < 0xe000)) {   /* not UTF-8: the name cannot be decoded */
            char what[160];
            utf8_error_message(what, sizeof what, (const uint8_t *)t->src + t->tok_start, t->cur - t->tok_start,
                               i - t->tok_start);
            t->mod_line = t->lineno;
            t->mod_col = (int)count_chars(t->src, t->line_start, i) + 1;
            syntax_error_known_location(t->ds, t->err, "SyntaxError", t->lineno, (long)(i - t->line_start), t->lineno,
                                        -2, "(unicode error) %s", what);
            return fail(t, ST_ERROR);
        }
        bool ok = first ? (unicode_is_xid_start(cp) || cp == '_') : unicode_is_xid_continue(cp);
        if (!ok) {
            if (i + n < t->cur) t->cur = i + n;
            if (unicode_isprintable(cp)) {
                char u[5];
                memcpy(u, t->src + i, n);
                u[n] = 0;
                return syntax_error(t, "invalid character '%s' (U+%04X)", u, (unsigned)cp);
            }
            return syntax_error(t, "invalid non-printable character U+%04X", (unsigned)cp);
        }
        first = false;
        i += n;
    }
    return 0;
}

/* Issues a SyntaxWarning at byte pos (on the current line, as CPython's tokenizer reports
   them); not in the tokenize module's mode, which issues none. */
static void tok_warn(Tokenizer *t, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tok_warn(Tokenizer *t, size_t pos, const char *fmt, ...)
{
    if (t->extra) return;
    va_list ap;
    va_start(ap, fmt);
    source_warning_push(t->arena, &t->warns, &t->nwarns, &t->warns_cap, (uint32_t)pos, t->lineno, NULL, fmt, ap);
    va_end(ap);
}

bool source_warning_push(Arena *a, SourceWarning **v, uint32_t *n, uint32_t *cap, uint32_t pos, int lineno,
                         const void *key, const char *fmt, va_list ap)
{
    if (*n == *cap) {
        uint32_t room = *cap ? *cap * 2 : 8;
        SourceWarning *w = arena_alloc_raw(a, room * sizeof *w);
        if (!w) return false;
        if (*n) memcpy(w, *v, *n * sizeof *w);
        *v = w, *cap = room;
    }
    char msg[128];
    vsnprintf(msg, sizeof msg, fmt, ap);
    const char *m = arena_memdup(a, msg, strlen(msg) + 1);
    if (!m) return false;
    (*v)[(*n)++] = (SourceWarning){pos, lineno, m, key};
    return true;
}

const SourceWarning *tokenizer_warnings(const Tokenizer *tz, size_t *n)
{
    *n = tz->nwarns;
    return tz->warns;
}

/* The keywords a number may be followed by in valid code ("1if x else y"): CPython only
   warns there. Anything else identifier-like right after a number is an error. */
static int verify_end_of_number(Tokenizer *t, int c, const char *kind)
{
    if (t->extra) return 0;
    size_t p = t->cur;                  /* just after c */
    const char *s = t->src;
    size_t n = t->len;
#define FOLLOWS(str) (n - p >= sizeof(str) - 1 && memcmp(s + p, str, sizeof(str) - 1) == 0 && \
                      (n - p == sizeof(str) - 1 || !ident_char((unsigned char)s[p + sizeof(str) - 1])))
    bool kw = (c == 'a' && FOLLOWS("nd")) || (c == 'e' && FOLLOWS("lse")) || (c == 'f' && FOLLOWS("or")) ||
              (c == 'i' && p < n && (s[p] == 'f' || s[p] == 'n' || s[p] == 's')) ||
              (c == 'o' && FOLLOWS("r")) || (c == 'n' && FOLLOWS("ot"));
#undef FOLLOWS
    if (kw) {
        tok_warn(t, t->tok_start, "invalid %s literal", kind);
        return 0;
    }
    if (c != END && c < 128 && ident_char(c)) {
        backup(t, c);
        return syntax_error(t, "invalid %s literal", kind);
    }
    return 0;
}

/* Digits and single underscores between them; returns the character after them, or -2
   after an error. */
static int decimal_tail(Tokenizer *t)
{
    int c;
    for (;;) {
        do c = next_char(t); while (is_digit(c));
        if (c != '_') break;
        c = next_char(t);
        if (!is_digit(c)) {
            backup(t, c);
            syntax_error(t, "invalid decimal literal");
            return -2;
        }
    }
    return c;
}

/* Reads the rest of a number whose first character c was just read (or '.' for ".5").
   Returns 0 with t->cur just past the number, or -1. */
static int read_number(Tokenizer *t, int c, bool after_dot)
{
    if (after_dot) goto fraction;
    if (c == '0') {
        c = next_char(t);
        if (c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B') {
            int base = (c | 0x20) == 'x' ? 16 : (c | 0x20) == 'o' ? 8 : 2;
            const char *kind = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
#define IN_BASE(ch) (base == 16 ? is_xdigit(ch) : (ch) >= '0' && (ch) < '0' + base)
            c = next_char(t);
            do {
                if (c == '_') c = next_char(t);
                if (!IN_BASE(c)) {
                    if (base != 16 && is_digit(c))
                        return syntax_error(t, "invalid digit '%c' in %s literal", c, kind);
                    backup(t, c);
                    return syntax_error(t, "invalid %s literal", kind);
                }
                do c = next_char(t); while (IN_BASE(c));
            } while (c == '_');
#undef IN_BASE
            if (base != 16 && is_digit(c)) return syntax_error(t, "invalid digit '%c' in %s literal", c, kind);
            if (verify_end_of_number(t, c, kind)) return -1;
            backup(t, c);
            return 0;
        }
        bool nonzero = false;
        for (;;) {                      /* zeros, maybe with underscores */
            if (c == '_') {
                c = next_char(t);
                if (!is_digit(c)) {
                    backup(t, c);
                    return syntax_error(t, "invalid decimal literal");
                }
            }
            if (c != '0') break;
            c = next_char(t);
        }
        size_t zeros_end = t->cur;
        if (is_digit(c)) {
            nonzero = true;
            if ((c = decimal_tail(t)) == -2) return -1;
        }
        if (c == '.') {
            c = next_char(t);
            goto fraction;
        }
        if (c == 'e' || c == 'E') goto exponent;
        if (c == 'j' || c == 'J') goto imaginary;
        if (nonzero && !t->extra) {
            backup(t, c);
            return syntax_error_range(t, (long)(t->tok_start + 1 - t->line_start), (long)(zeros_end - t->line_start),
                                      "leading zeros in decimal integer literals are not permitted; "
                                      "use an 0o prefix for octal integers");
        }
        if (verify_end_of_number(t, c, "decimal")) return -1;
        backup(t, c);
        return 0;
    }
    if ((c = decimal_tail(t)) == -2) return -1;
    if (c == '.') {
        c = next_char(t);
fraction:
        if (is_digit(c) && (c = decimal_tail(t)) == -2) return -1;
    }
    if (c == 'e' || c == 'E') {
exponent:;
        int e = c;
        c = next_char(t);
        if (c == '+' || c == '-') {
            c = next_char(t);
            if (!is_digit(c)) {
                backup(t, c);
                return syntax_error(t, "invalid decimal literal");
            }
        } else if (!is_digit(c)) {
            backup(t, c);
            if (verify_end_of_number(t, e, "decimal")) return -1;
            backup(t, e);
            return 0;
        }
        if ((c = decimal_tail(t)) == -2) return -1;
    }
    if (c == 'j' || c == 'J') {
imaginary:
        c = next_char(t);
        if (verify_end_of_number(t, c, "imaginary")) return -1;
    } else if (verify_end_of_number(t, c, "decimal")) {
        return -1;
    }
    backup(t, c);
    return 0;
}

/* Reports a string that reached the end of its line or of the input unterminated, from
   its opening quote. */
/* `hint` is NULL for an f-string, else what a single-quoted string's message ends with. */
static int unterminated(Tokenizer *t, size_t quote_pos, size_t line_start, int lineno, bool triple, const char *hint)
{
    bool fstring = hint == NULL;
    int detected = t->lineno;
    t->cur = quote_pos + 1;
    t->line_start = line_start;
    t->lineno = lineno;
    t->line_pending = false;
    if (fstring) {
        if (triple) return syntax_error(t, "unterminated triple-quoted f-string literal (detected at line %d)", detected);
        return syntax_error(t, "unterminated f-string literal (detected at line %d)", detected);
    }
    if (triple) {
        syntax_error(t, "unterminated triple-quoted string literal (detected at line %d)", detected);
        return -1;
    }
    return syntax_error(t, "unterminated string literal (detected at line %d)%s", detected, hint);
}

/* The bytes that end a run of plain characters in a string: quotes, backslash, newline. */
static const bool string_stop[256] = {['\''] = true, ['"'] = true, ['\\'] = true, ['\n'] = true};

/* Reads a (non-f) string literal whose opening quote c was just read. */
static int read_string(Tokenizer *t, int quote)
{
    int quote_size = 1, end_quote_size = 0;
    bool escaped_quote = false;
    t->first_lineno = t->lineno;
    t->multi_line_start = t->line_start;
    int c = next_char(t);
    if (c == quote) {
        c = next_char(t);
        if (c == quote) quote_size = 3;
        else end_quote_size = 1;        /* empty string */
    }
    if (c != quote) backup(t, c);
    while (end_quote_size != quote_size) {
        if (end_quote_size == 0) {     /* skip plain characters straight from the buffer */
            enter_line(t);
            size_t p = t->cur;
            const unsigned char *u = (const unsigned char *)t->src;
            for (;;) {
                if (t->nl_end && p < t->len) while (!string_stop[u[p]]) p++;   /* stops at the last '\n' */
                else while (p < t->len && !string_stop[u[p]]) p++;
                if (p < t->len && (u[p] == '\'' || u[p] == '"') && u[p] != quote) p++;
                else break;
            }
            t->cur = p;
        }
        c = next_char(t);
        if (c == END || (quote_size == 1 && c == '\n')) {
            if (inside_fstring(t)) {
                Mode *m = mode(t);
                if (m->quote == quote && m->quote_size == quote_size) {
                    t->cur = t->tok_start + 1;
                    t->line_start = t->multi_line_start;
                    t->lineno = t->first_lineno;
                    t->line_pending = false;
                    return syntax_error(t, "f-string: expecting '}'");
                }
            }
            return unterminated(t, t->tok_start, t->multi_line_start, t->first_lineno, quote_size == 3,
                                escaped_quote ? "; perhaps you escaped the end quote?" : "");
        }
        if (c == quote) end_quote_size++;
        else {
            end_quote_size = 0;
            if (c == '\\') {
                c = next_char(t);
                if (c == quote) escaped_quote = true;
                else if (c == '\r') next_char(t);
            }
        }
    }
    return 0;
}

static int push_bracket(Tokenizer *t, int c)
{
    if (t->level >= MAX_LEVEL) return syntax_error(t, "too many nested parentheses");
    t->parenstack[t->level] = (char)c;
    t->parenline[t->level] = t->lineno;
    t->parencol[t->level] = (int)(t->tok_start - t->line_start);
    t->level++;
    if (inside_fstring(t)) mode(t)->curly_depth++;
    return 0;
}

static int pop_bracket(Tokenizer *t, int c)
{
    Mode *m = mode(t);
    if (inside_fstring(t) && m->curly_depth == 0 && c == '}')
        return syntax_error(t, "f-string: single '}' is not allowed");
    if (!t->extra && t->level == 0) return syntax_error(t, "unmatched '%c'", c);
    if (t->level > 0) {
        t->level--;
        int open = t->parenstack[t->level];
        if (!t->extra && !((open == '(' && c == ')') || (open == '[' && c == ']') || (open == '{' && c == '}'))) {
            if (inside_fstring(t) && open == '{' && m->curly_depth - 1 == m->expr_start_depth)
                return syntax_error(t, "f-string: unmatched '%c'", c);
            if (t->parenline[t->level] != t->lineno)
                return syntax_error(t, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                                    c, open, t->parenline[t->level]);
            return syntax_error(t, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
        }
    }
    if (inside_fstring(t)) {
        m->curly_depth--;
        if (m->curly_depth < 0) return syntax_error(t, "f-string: unmatched '%c'", c);
        if (c == '}' && m->curly_depth == m->expr_start_depth) {
            m->expr_start_depth--;
            m->fstring = true;
            m->in_format_spec = false;
            m->debug = false;
        }
    }
    return 0;
}

/* The expression text of a replacement field written with '=', as CPython keeps it:
   comments are dropped up to (not including) their newline. */
static int debug_text(Tokenizer *t, uint32_t *aux)
{
    Mode *m = mode(t);
    if (!m->debug || m->expr_start < 0 || m->expr_end < m->expr_start) return 0;
    const char *s = t->src + m->expr_start;
    size_t n = (size_t)(m->expr_end - m->expr_start);
    if (t->ndebug + 1 >= t->debug_cap) {
        uint32_t cap = t->debug_cap ? t->debug_cap * 2 : 16;
        struct DebugText *bigger = arena_alloc(t->arena, cap * sizeof *bigger);
        if (!bigger) {
            error_at(t->err, CPYC_ERR_MEMORY, -1, "out of memory");
            return fail(t, ST_ERROR);
        }
        if (t->ndebug) memcpy(bigger, t->debug_texts, (t->ndebug + 1) * sizeof *bigger);
        t->debug_texts = bigger;
        t->debug_cap = cap;
    }
    struct DebugText *d = &t->debug_texts[*aux = ++t->ndebug];
    if (!memchr(s, '#', n)) {
        *d = (struct DebugText){s, (uint32_t)n};
        return 0;
    }
    char *r = arena_alloc(t->arena, n + 1);
    if (!r) {
        error_at(t->err, CPYC_ERR_MEMORY, -1, "out of memory");
        return fail(t, ST_ERROR);
    }
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#') {
            while (i < n && s[i] != '\n') i++;
            if (i < n) r[j++] = '\n';
        } else {
            r[j++] = s[i];
        }
    }
    *d = (struct DebugText){r, (uint32_t)j};
    return 0;
}

const char *tokenizer_debug_text(const Tokenizer *t, uint32_t aux, uint32_t *len)
{
    if (aux == 0 || aux > t->ndebug) {
        *len = 0;
        return NULL;
    }
    *len = t->debug_texts[aux].len;
    return t->debug_texts[aux].s;
}

static int start_fstring(Tokenizer *t, Token *out, int quote)
{
    int quote_size = 1;
    t->first_lineno = t->lineno;
    t->multi_line_start = t->line_start;
    int c = next_char(t);
    if (c == quote) {
        int c2 = next_char(t);
        if (c2 == quote) quote_size = 3;
        else {
            backup(t, c2);
            backup(t, c);
        }
    } else {
        backup(t, c);
    }
    if (t->mode_top + 1 >= MAX_FSTRING_LEVEL) return syntax_error(t, "too many nested f-strings");
    Mode *m = &t->modes[++t->mode_top];
    memset(m, 0, sizeof *m);
    m->fstring = true;
    m->quote = (char)quote;
    m->quote_size = quote_size;
    m->start = t->tok_start;
    m->start_line_start = t->line_start;
    m->start_lineno = t->lineno;
    m->expr_start = m->expr_end = -1;
    int p0 = t->src[t->tok_start] | 0x20;
    m->raw = p0 == 'r' || (t->src[t->tok_start + 1] | 0x20) == 'r';
    m->curly_depth = 0;
    m->expr_start_depth = -1;
    return emit(t, out, TOK_FSTRING_START, t->tok_start, t->cur);
}

/* The '{' opening a replacement field was seen (cursor after it). */
static void fstring_expr_open(Mode *m, size_t after_brace)
{
    m->expr_start = (long)after_brace;
    m->expr_end = -1;
}

static int next_fstring_mode(Tokenizer *t, Token *out);

/* After a backslash: the line must end there and another follow. */
static int continuation_line(Tokenizer *t, Status at_eof)
{
    int c = next_char(t);
    if (c == '\r') c = next_char(t);
    if (c != '\n') return state_error(t, ST_LINECONT);
    c = next_char(t);
    if (c == END) return state_error(t, at_eof);
    backup(t, c);
    return 0;
}

static int next_regular(Tokenizer *t, Token *out)
{
    Mode *m = mode(t);
    int c;
    bool blankline;
nextline:
    blankline = false;
    if (t->atbol) {
        int col = 0, altcol = 0, cont_col = 0;
        t->atbol = false;
        enter_line(t);
        for (;;) {
            if (!t->line_pending) {     /* a run of spaces, straight from the buffer */
                size_t q = t->cur;
                while (q < t->len && t->src[q] == ' ') q++;
                col += (int)(q - t->cur);
                altcol += (int)(q - t->cur);
                t->cur = q;
            }
            c = next_char(t);
            if (c == ' ') col++, altcol++;
            else if (c == '\t') {
                col = (col / TABSIZE + 1) * TABSIZE;
                altcol = (altcol / ALT_TABSIZE + 1) * ALT_TABSIZE;
            } else if (c == '\014') {
                col = altcol = 0;
            } else if (c == '\\') {
                cont_col = cont_col ? cont_col : col;
                if (continuation_line(t, ST_EOF_ERR)) return -1;
            } else {
                break;
            }
        }
        backup(t, c);
        if (c == '#' || c == '\n' || c == '\r') blankline = true;
        if (!blankline && t->level == 0) {
            col = cont_col ? cont_col : col;
            altcol = cont_col ? cont_col : altcol;
            if (col == t->indstack[t->indent]) {
                if (altcol != t->altindstack[t->indent]) {
                    t->cur = line_end(t, t->line_start);
                    return state_error(t, ST_TABSPACE);
                }
            } else if (col > t->indstack[t->indent]) {
                if (t->indent + 1 >= MAX_INDENT) return state_error(t, ST_TOODEEP);
                if (altcol <= t->altindstack[t->indent]) return state_error(t, ST_TABSPACE);
                t->pendin++;
                t->indstack[++t->indent] = col;
                t->altindstack[t->indent] = altcol;
            } else {
                while (t->indent > 0 && col < t->indstack[t->indent]) {
                    t->pendin--;
                    t->indent--;
                }
                if (col != t->indstack[t->indent]) return state_error(t, ST_DEDENT);
                if (altcol != t->altindstack[t->indent]) return state_error(t, ST_TABSPACE);
            }
        }
    }
    t->tok_start = t->cur;
    if (t->pendin != 0) {
        if (t->pendin < 0) {
            t->pendin++;
            return emit(t, out, TOK_DEDENT, t->cur, t->cur);
        }
        t->pendin--;
        return emit(t, out, TOK_INDENT, t->line_start, t->cur);
    }

again:
    if (!t->line_pending)
        while (t->cur < t->len && t->src[t->cur] == ' ') t->cur++;
    do c = next_char(t); while (c == ' ' || c == '\t' || c == '\014');
    t->tok_start = c == END ? t->cur : t->cur - 1;

    if (c == '#') {
        size_t p = t->cur;
        while (p < t->len && t->src[p] != '\n' && t->src[p] != '\r') p++;
        t->cur = p;
        c = next_char(t);
        if (t->extra) {
            backup(t, c);
            t->comment_newline = blankline;
            return emit(t, out, TOK_COMMENT, t->tok_start, t->cur);
        }
    }

    if (c == END) {
        if (t->level) return state_error(t, ST_EOF_ERR);
        return emit(t, out, TOK_ENDMARKER, t->cur, t->cur);
    }

    if (ident_start(c)) {
        bool saw_b = false, saw_r = false, saw_u = false, saw_f = false, nonascii = false;
        while (c >= 0 && (char_kind[c] & K_PREFIX)) {   /* b, r, u, f: maybe a string's prefix */
            if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) saw_b = true;
            else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U')) saw_u = true;
            else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) saw_r = true;
            else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) saw_f = true;
            else break;
            c = next_char(t);
            if (c == '"' || c == '\'') {
                if (saw_f && t->target->fstring_tokens) return start_fstring(t, out, c);
                if (read_string(t, c)) return -1;
                return emit(t, out, TOK_STRING, t->tok_start, t->cur);
            }
        }
        /* the rest of the name, read straight from the buffer (it holds no newline) */
        if (c != END && ident_char(c)) {
            size_t p = t->cur;
            const unsigned char *u = (const unsigned char *)t->src;
            unsigned kinds = char_kind[c], k;
            if (t->nl_end) {
                while ((k = char_kind[u[p]])) kinds |= k, p++;
            } else {
                while (p < t->len && (k = char_kind[u[p]])) kinds |= k, p++;
            }
            nonascii = kinds & K_NONASCII;
            t->cur = p;
        } else {
            backup(t, c);
        }
        if (nonascii && verify_identifier(t)) return -1;
        emit(t, out, TOK_NAME, t->tok_start, t->cur);
        out->aux = nonascii;
        return 0;
    }

    if (c == '\r') {
        int c2 = next_char(t);
        if (c2 == '\n') c = c2;
        else backup(t, c2);
    }

    if (c == '\n' || c == '\r') {
        t->atbol = true;
        if (c == '\r') {            /* a lone carriage return ends a line too */
            t->line_pending = true;
        }
        if (blankline || t->level > 0) {
            if (t->extra) {
                t->comment_newline = false;
                return emit(t, out, TOK_NL, t->tok_start, t->cur);
            }
            goto nextline;
        }
        if (t->comment_newline && t->extra) {
            t->comment_newline = false;
            return emit(t, out, TOK_NL, t->tok_start, t->cur);
        }
        int r = emit(t, out, TOK_NEWLINE, t->tok_start, t->cur - 1);
        if (!t->extra) out->end_col_offset++;   /* the parser's NEWLINE ends after the '\n' */
        return r;
    }

    if (c == '.') {
        c = next_char(t);
        if (is_digit(c)) {
            if (read_number(t, c, true)) return -1;
            return emit(t, out, TOK_NUMBER, t->tok_start, t->cur);
        }
        if (c == '.') {
            int c3 = next_char(t);
            if (c3 == '.') return emit(t, out, TOK_ELLIPSIS, t->tok_start, t->cur);
            backup(t, c3);
            backup(t, '.');
        } else {
            backup(t, c);
        }
        return emit(t, out, TOK_DOT, t->tok_start, t->cur);
    }

    if (is_digit(c)) {
        if (read_number(t, c, false)) return -1;
        return emit(t, out, TOK_NUMBER, t->tok_start, t->cur);
    }

    if (c == '\'' || c == '"') {
        t->in_token = true;
        if (read_string(t, c)) return -1;
        t->in_token = false;
        return emit(t, out, TOK_STRING, t->tok_start, t->cur);
    }

    if (c == '\\') {
        t->in_token = true;
        if (continuation_line(t, ST_EOF_BACKSLASH)) return -1;
        t->in_token = false;
        goto again;
    }

    /* f-string replacement fields: '{', '}', '!' and ':' at the field's own level */
    uint32_t debug = 0;         /* the debug text the closing character carries */
    if ((c == ':' || c == '}' || c == '!' || c == '{') && inside_fstring(t) && m->expr_start_depth >= 0) {
        int cursor = m->curly_depth - (c != '{');
        bool valid = cursor == 0 || (cursor == 1 && (m->debug || m->in_format_spec));
        if (valid) {
            if (c == '{') fstring_expr_open(m, t->cur);
            else {
                if (m->expr_end == -1) m->expr_end = (long)t->tok_start;
                if (debug_text(t, &debug)) return -1;
            }
        }
        if (c == ':' && cursor == m->expr_start_depth) {
            m->fstring = true;
            m->in_format_spec = true;
            emit(t, out, TOK_COLON, t->tok_start, t->cur);
            out->aux = debug;
            return 0;
        }
    }

    {
        int c2 = next_char(t);
        int ty = two_chars(c, c2);
        if (ty != TOK_OP) {
            int c3 = next_char(t);
            int ty3 = three_chars(c, c2, c3);
            if (ty3 != TOK_OP) ty = ty3;
            else backup(t, c3);
            return emit(t, out, ty, t->tok_start, t->cur);
        }
        backup(t, c2);
    }

    switch (c) {
    case '(': case '[': case '{':
        if (push_bracket(t, c)) return -1;
        break;
    case ')': case ']': case '}':
        if (pop_bracket(t, c)) return -1;
        break;
    default:
        break;
    }

    if (c < 0x20 || c == 0x7f)     /* (bytes from 128 up started a name) */
        return syntax_error(t, "invalid non-printable character U+%04X", (unsigned)c);

    if (c == '=' && m->expr_start_depth >= 0) m->debug = true;

    emit(t, out, one_char(c), t->tok_start, t->cur);
    out->aux = debug;
    return 0;
}

/* The bytes an f-string's middle must look at: quotes, braces, backslash, newline. */
static const bool fstring_middle_stop[256] = {['\''] = true, ['"'] = true, ['{'] = true, ['}'] = true,
                                              ['\\'] = true, ['\n'] = true};

static int next_fstring_mode(Tokenizer *t, Token *out)
{
    Mode *m = mode(t);
    t->tok_start = t->cur;
    t->first_lineno = t->lineno;
    int c = next_char(t);
    if (c == '{') {
        int c2 = next_char(t);
        backup(t, c2);
        backup(t, c);
        if (c2 != '{') {
            if (++m->expr_start_depth >= MAX_EXPR_NESTING)
                return syntax_error(t, "f-string: expressions nested too deeply");
            m->fstring = false;
            return next_regular(t, out);
        }
    } else {
        backup(t, c);
    }

    /* the end of the f-string? */
    int k;
    for (k = 0; k < m->quote_size; k++) {
        c = next_char(t);
        if (c != m->quote) {
            backup(t, c);
            break;
        }
    }
    if (k == m->quote_size) {
        emit(t, out, TOK_FSTRING_END, t->tok_start, t->cur);
        t->mode_top--;
        return 0;
    }
    /* (the quotes read are part of the middle: reading resumes after them) */

    int end_quote_size = 0;
    bool unicode_escape = false;
    t->multi_line_start = t->line_start;
    t->in_token = true;   /* until the next token (tokenizer_next) */
    while (end_quote_size != m->quote_size) {
        /* plain characters straight from the buffer (each would reset end_quote_size) */
        enter_line(t);
        size_t q = t->cur;
        while (q < t->len && !fstring_middle_stop[(unsigned char)t->src[q]]) q++;
        if (q != t->cur) t->cur = q, end_quote_size = 0;
        c = next_char(t);
        bool in_format_spec = m->in_format_spec && m->expr_start_depth >= 0;
        if (c == END || (m->quote_size == 1 && c == '\n')) {
            if (in_format_spec && c == '\n') {     /* (3.13.0 allows it in single quotes too) */
                backup(t, c);
                m->fstring = false;
                m->in_format_spec = false;
                return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur);
            }
            return unterminated(t, m->start, m->start_line_start, m->start_lineno, m->quote_size == 3, NULL);
        }
        if (c == m->quote) {
            end_quote_size++;
            continue;
        }
        end_quote_size = 0;
        if (c == '{') {
            fstring_expr_open(m, t->cur);
            int c2 = next_char(t);
            if (c2 != '{' || in_format_spec) {
                backup(t, c2);
                backup(t, c);
                if (++m->expr_start_depth >= MAX_EXPR_NESTING)
                    return syntax_error(t, "f-string: expressions nested too deeply");
                m->fstring = false;
                m->in_format_spec = false;
                return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur);
            }
            return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur - 1);
        }
        if (c == '}') {
            if (unicode_escape) return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur);
            int c2 = next_char(t);
            if (c2 == '}' && !in_format_spec && m->curly_depth == 0)
                return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur - 1);
            backup(t, c2);
            backup(t, c);
            m->fstring = false;
            m->in_format_spec = false;
            return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur);
        }
        if (c == '\\') {
            int c2 = next_char(t);
            if (c2 == '\r') c2 = next_char(t);
            if (c2 == '{' || c2 == '}') {
                /* the parser's check of the middle's escapes leaves these to the tokenizer */
                if (!m->raw) tok_warn(t, t->cur - 2, "invalid escape sequence '\\%c'", c2);
                backup(t, c2);
                continue;
            }
            if (!m->raw && c2 == 'N') {
                c2 = next_char(t);
                if (c2 == '{') unicode_escape = true;
                else backup(t, c2);
            }
        }
    }
    for (k = 0; k < m->quote_size; k++) backup(t, m->quote);
    return emit(t, out, TOK_FSTRING_MIDDLE, t->tok_start, t->cur);
}

/* ------------------------------------------------------------- the fast loop */

/* The fast loop's scans run 16 bytes at a time with SSE2 (every x86-64 has it), else eight
   (spaces, names) or one at a time; either way they stop at the source's final '\n'. */
#if defined(__SSE2__)
#include <emmintrin.h>
#define FAST_SSE2 1
static inline __m128i load16(const unsigned char *s) { return _mm_loadu_si128((const __m128i *)(const void *)s); }
static inline __m128i bytes16(int c) { return _mm_set1_epi8((char)c); }
#endif

/* string_stop and the bytes from 0x80 up (fast_string notes whether the body is ASCII) */
#define R16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const bool fast_string_stop[256] = {['\''] = 1, ['"'] = 1, ['\\'] = 1, ['\n'] = 1,
                                           [0x80] = R16, R16, R16, R16, R16, R16, R16, R16};
#undef R16

/* The scans below load 16 bytes at an offset below end16, the value scan_end16 gives for
   the source's length: where the last 16 bytes start, plus one. */
static inline size_t scan_end16(size_t len) { return len >= 16 ? len - 15 : 0; }

/* The index of the lowest bit set in bits (not 0). */
static inline size_t bit_index(uint64_t bits) { return (size_t)__builtin_ctzll(bits); }

#ifndef FAST_SSE2
/* The index of the first byte (in source order) of a word loaded from the source that is
   not 0 (w != 0). */
static inline size_t first_nonzero_byte(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (size_t)__builtin_clzll(w) / 8;
#else
    return (size_t)__builtin_ctzll(w) / 8;
#endif
}
#endif

/* The offset of the first byte from s on that fast_string_stop holds. */
static inline size_t string_stop_at(const unsigned char *u, size_t s, size_t end16)
{
#ifdef FAST_SSE2
    while (s < end16) {
        __m128i x = load16(u + s);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, bytes16('\'')), _mm_cmpeq_epi8(x, bytes16('"'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, bytes16('\\')), _mm_cmpeq_epi8(x, bytes16('\n'))));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(m, x));   /* (bit 7: from 0x80 up) */
        if (bits) return s + bit_index(bits);
        s += 16;
    }
#else
    (void)end16;
#endif
    while (!fast_string_stop[u[s]]) s++;
    return s;
}

/* The bytes that end a comment. */
static const bool comment_stop[256] = {['\n'] = true, ['\r'] = true};

/* The offset of the first '\n' or '\r' from q on. */
static inline size_t comment_end(const unsigned char *u, size_t q, size_t end16)
{
#ifdef FAST_SSE2
    while (q < end16) {
        __m128i x = load16(u + q);
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, bytes16('\n')),
                                                                 _mm_cmpeq_epi8(x, bytes16('\r'))));
        if (bits) return q + bit_index(bits);
        q += 16;
    }
#else
    (void)end16;
#endif
    while (!comment_stop[u[q]]) q++;
    return q;
}

/* The offset of the first byte from q on that is not a space. */
static inline size_t skip_spaces(const unsigned char *u, size_t q, size_t end16)
{
#ifdef FAST_SSE2
    while (q < end16) {
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(load16(u + q), bytes16(' '))) ^ 0xffffu;
        if (bits) return q + bit_index(bits);
        q += 16;
    }
#else
    while (q < end16) {                 /* eight bytes at a time */
        uint64_t w;
        memcpy(&w, u + q, 8);
        w ^= 0x2020202020202020u;
        if (w) return q + first_nonzero_byte(w);
        q += 8;
    }
#endif
    while (u[q] == ' ') q++;
    return q;
}

/* The offset of the first byte from p on that does not go on an ASCII name (a letter, digit
   or '_'). With SSE2, a byte's range test is an addition that moves the range to the bottom
   of the signed bytes, then a saturating one that leaves just that range negative (bit 7
   set); the bytes from 0x80 up fall in no range. Names are short: the first 16 bytes are
   tested inline, longer names go on out of line. */
#ifdef FAST_SSE2
static inline unsigned name_bytes16(const unsigned char *s)   /* bit i: s[i] goes on a name */
{
    __m128i x = load16(s);
    __m128i letter = _mm_adds_epi8(_mm_add_epi8(_mm_or_si128(x, bytes16(0x20)), bytes16(0x80 - 'a')),
                                   bytes16(128 - 26));
    __m128i digit = _mm_adds_epi8(_mm_add_epi8(x, bytes16(0x80 - '0')), bytes16(128 - 10));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(x, bytes16('_'))));
}

static size_t __attribute__((noinline)) long_name_end(const unsigned char *u, size_t p, size_t end16)
{
    while (p < end16) {
        unsigned bits = name_bytes16(u + p);
        if (bits != 0xffffu) return p + bit_index((uint64_t)bits + 1);   /* the trailing ones */
        p += 16;
    }
    while (ascii_name_char[u[p]]) p++;
    return p;
}
#endif

static inline size_t ascii_name_end(const unsigned char *u, size_t p, size_t end16)
{
#ifdef FAST_SSE2
    if (p < end16) {
        unsigned bits = name_bytes16(u + p);
        if (bits != 0xffffu) return p + bit_index((uint64_t)bits + 1);   /* the trailing ones */
        return long_name_end(u, p + 16, end16);
    }
#else
    /* eight bytes at a time: per byte, bit 7 of each mask says what the byte is (ranges
       tested on its low seven bits, carry-free) */
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u, low = ~high;
#define AT_LEAST(y, c) ((y) + (0x80 - (c)) * ones)      /* bit 7: y >= c */
#define ABOVE(y, c) ((y) + (0x7f - (c)) * ones)         /* bit 7: y > c */
    while (p < end16) {
        uint64_t x;
        memcpy(&x, u + p, 8);
        uint64_t y = x & low, yl = y | 0x2020202020202020u;
        uint64_t letter = AT_LEAST(yl, 'a') & ~ABOVE(yl, 'z');
        uint64_t digit = AT_LEAST(y, '0') & ~ABOVE(y, '9');
        uint64_t under = ~(((y ^ 0x5f5f5f5f5f5f5f5fu) + 0x7f7f7f7f7f7f7f7fu));
        uint64_t stop = ~((letter | digit | under) & ~x) & high;
        if (stop) return p + first_nonzero_byte(stop);
        p += 8;
    }
#undef AT_LEAST
#undef ABOVE
#endif
    while (ascii_name_char[u[p]]) p++;
    return p;
}

/* Line numbers in the fast loop are kept in the high half of a 64-bit word, as the token's
   lineno and end_lineno follow its start and col_offset (see put_words). */
#define LINE_ONE ((uint64_t)1 << 32)
#define LEVEL_ONE ((uint64_t)1 << 16)

/* A single-quoted plain (non-f) string literal on one line, its body from s on (u[s] is not
   its quote): the offset after its closing quote, or 0 when the general path must read it
   (it reaches the line's end, or a backslash before one or before "\r"). *plain is as in
   fast_string. */
static inline size_t line_string_end(const unsigned char *u, size_t end16, size_t s, int quote, uint32_t *plain)
{
    *plain = 1;
    for (;;) {
        s = string_stop_at(u, s, end16);
        int c = u[s];
        if (c == quote) return s + 1;
        if (c == '\n' || (c == '\\' && (u[s + 1] == '\n' || u[s + 1] == '\r'))) return 0;
        if (c == '\\' || c >= 0x80) *plain = 0;
        s += c == '\\' ? 2 : 1;
    }
}

/* A plain (non-f) string literal whose opening quote is at u[q], read straight from the
   buffer when it is on one line or triple-quoted: the offset after its closing quote, or 0
   when the general path must read it (no closing quote, which is an error, or a backslash
   before "\r" or, in single quotes, before a line end). The lines it enters advance *line
   (see LINE_ONE) and *ls, and *buf too when `buf` is not NULL (see Tokenizer.buf_start).
   *plain is 1 when the body has no backslash and only ASCII, else 0. */
static size_t fast_string(const unsigned char *u, size_t len, size_t q, uint64_t *line, size_t *ls, size_t *buf,
                          uint32_t *plain)
{
    int quote = u[q];
    size_t s = q + 1, end16 = scan_end16(len);   /* the source ends with '\n': no scan passes its end */
    if (u[s] != quote) return line_string_end(u, end16, s, quote, plain);
    *plain = 1;
    if (u[s + 1] != quote) return s + 1;    /* empty */
    for (s += 2;;) {
        s = string_stop_at(u, s, end16);
        int c = u[s];
        if (c >= 0x80) {
            *plain = 0;
            s++;
        } else if (c == quote) {
            if (u[s + 1] == quote && u[s + 2] == quote) return s + 3;
            s++;
        } else if (c == '\n') {
            if (++s >= len) return 0;
            *line += LINE_ONE;
            *ls = s;
            if (buf) *buf = s;
        } else if (c == '\\') {
            if (u[s + 1] == '\r') return 0;
            s += u[s + 1] == '\n' ? 1 : 2;
            *plain = 0;
        } else {
            s++;                        /* the other quote */
        }
    }
}

/* What a name of n (1 or 2) ASCII characters right before a quote is: 1 the prefix of a plain
   string (b, r, u, br, rb in any case), 2 an f-string's (f, fr, rf), 0 neither (the name
   and then a string, as next_regular reads them). */
static int string_prefix(const unsigned char *s, size_t n)
{
    int a = s[0] | 0x20, b = n == 2 ? s[1] | 0x20 : 0;
    if (n == 1) return a == 'f' ? 2 : a == 'b' || a == 'r' || a == 'u';
    if ((a == 'b' && b == 'r') || (a == 'r' && b == 'b')) return 1;
    return (a == 'f' && b == 'r') || (a == 'r' && b == 'f') ? 2 : 0;
}

/* Stores a token as four 64-bit words: type | level << 16 | len << 32 (kw 0), start | lineno
   << 32, col_offset | end_lineno << 32, end_col_offset | aux << 32 - four stores where field
   by field takes ten, and the halves mostly come from one addition each. */
_Static_assert(offsetof(Token, len) == 4 && offsetof(Token, start) == 8 && offsetof(Token, lineno) == 12 &&
               offsetof(Token, col_offset) == 16 && offsetof(Token, end_lineno) == 20 &&
               offsetof(Token, end_col_offset) == 24 && offsetof(Token, aux) == 28 && sizeof(Token) == 32,
               "the fast loop's token words");
static inline void put_words(Token *o, uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy((char *)o, &w0, 8);
    memcpy((char *)o + 8, &w1, 8);
    memcpy((char *)o + 16, &w2, 8);
    memcpy((char *)o + 24, &w3, 8);
#else
    o->type = (uint8_t)w0;
    o->kw = 0;
    o->level = (uint16_t)(w0 >> 16);
    o->len = (uint32_t)(w0 >> 32);
    o->start = (uint32_t)w1;
    o->lineno = (int32_t)(w1 >> 32);
    o->col_offset = (int32_t)(uint32_t)w2;
    o->end_lineno = (int32_t)(w2 >> 32);
    o->end_col_offset = (int32_t)(uint32_t)w3;
    o->aux = (uint32_t)(w3 >> 32);
#endif
}

/* put_words with the first word as its two halves, tl = type | level << 16 and len: no
   shift and or to join them, and the operators' lengths are constants. */
static inline void put_halves(Token *o, uint32_t tl, uint32_t len, uint64_t w1, uint64_t w2, uint64_t w3)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy((char *)o, &tl, 4);
    memcpy((char *)o + 4, &len, 4);
    memcpy((char *)o + 8, &w1, 8);
    memcpy((char *)o + 16, &w2, 8);
    memcpy((char *)o + 24, &w3, 8);
#else
    put_words(o, tl | (uint64_t)len << 32, w1, w2, w3);
#endif
}

/* A token src[start, end) on one line, starting at ls (`cb` as fast_tokens has it), aux 0.
   `tl` is type | level << 16. */
static inline void put_line_token(Token *o, uint64_t tl, size_t start, size_t end, uint64_t cb, size_t ls)
{
    uint64_t w2 = start + cb;           /* col_offset | end_lineno << 32 */
    put_halves(o, (uint32_t)tl, (uint32_t)(end - start), w2 + ls, w2, end - ls);
}

/* The case labels of the fast loop's switch on a token's first byte, which has a label for
   every byte from 0 to 255 (so that the jump table needs no range check). */
#define CASES8(b) case (b): case (b) + 1: case (b) + 2: case (b) + 3: case (b) + 4: case (b) + 5: \
    case (b) + 6: case (b) + 7
#define CASES_GENERAL CASES8(0x00): case 0x08: case 0x09: case 0x0b: case 0x0c: case 0x0d: case 0x0e: \
    case 0x0f: CASES8(0x10): CASES8(0x18): case '$': case '?': case '\\': case '`': case 0x7f: \
    CASES8(0x80): CASES8(0x88): CASES8(0x90): CASES8(0x98): CASES8(0xa0): CASES8(0xa8): CASES8(0xb0): \
    CASES8(0xb8): CASES8(0xc0): CASES8(0xc8): CASES8(0xd0): CASES8(0xd8): CASES8(0xe0): CASES8(0xe8): \
    CASES8(0xf0): CASES8(0xf8)
#define CASES_UPPER case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': case 'G': case 'H': \
    case 'I': case 'J': case 'K': case 'L': case 'M': case 'N': case 'O': case 'P': case 'Q': case 'R': \
    case 'S': case 'T': case 'U': case 'V': case 'W': case 'X': case 'Y': case 'Z'
#define CASES_LOWER case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g': case 'h': \
    case 'i': case 'j': case 'k': case 'l': case 'm': case 'n': case 'o': case 'p': case 'q': case 'r': \
    case 's': case 't': case 'u': case 'v': case 'w': case 'x': case 'y': case 'z'
#define CASES_DIGIT19 case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9'
#define CASES_OP case ':': case '=': case '+': case '-': case '*': case '/': case '%': case '<': case '>': \
    case '!': case '&': case '|': case '^': case '@'

/* The operators of one character by their character; for the F_OP ones, followed by '=',
   doubled ("**", "//", "<<", ">>") and doubled with '=' ("**=", ...). */
static const uint8_t op_one[256] = {
    ['('] = TOK_LPAR, [')'] = TOK_RPAR, ['['] = TOK_LSQB, [']'] = TOK_RSQB, ['{'] = TOK_LBRACE,
    ['}'] = TOK_RBRACE, [','] = TOK_COMMA, [';'] = TOK_SEMI, ['~'] = TOK_TILDE, [':'] = TOK_COLON,
    ['='] = TOK_EQUAL, ['+'] = TOK_PLUS, ['-'] = TOK_MINUS, ['*'] = TOK_STAR, ['/'] = TOK_SLASH,
    ['%'] = TOK_PERCENT, ['<'] = TOK_LESS, ['>'] = TOK_GREATER, ['!'] = TOK_EXCLAMATION,
    ['&'] = TOK_AMPER, ['|'] = TOK_VBAR, ['^'] = TOK_CIRCUMFLEX, ['@'] = TOK_AT,
};
static const uint8_t op_eq[256] = {
    [':'] = TOK_COLONEQUAL, ['='] = TOK_EQEQUAL, ['+'] = TOK_PLUSEQUAL, ['-'] = TOK_MINEQUAL,
    ['*'] = TOK_STAREQUAL, ['/'] = TOK_SLASHEQUAL, ['%'] = TOK_PERCENTEQUAL, ['<'] = TOK_LESSEQUAL,
    ['>'] = TOK_GREATEREQUAL, ['!'] = TOK_NOTEQUAL, ['&'] = TOK_AMPEREQUAL, ['|'] = TOK_VBAREQUAL,
    ['^'] = TOK_CIRCUMFLEXEQUAL, ['@'] = TOK_ATEQUAL,
};
static const uint8_t op_double[256] = {
    ['*'] = TOK_DOUBLESTAR, ['/'] = TOK_DOUBLESLASH, ['<'] = TOK_LEFTSHIFT, ['>'] = TOK_RIGHTSHIFT,
};
static const uint8_t op_double_eq[256] = {
    ['*'] = TOK_DOUBLESTAREQUAL, ['/'] = TOK_DOUBLESLASHEQUAL, ['<'] = TOK_LEFTSHIFTEQUAL,
    ['>'] = TOK_RIGHTSHIFTEQUAL,
};
/* The opening bracket of each closing one. */
static const char open_of[256] = {[')'] = '(', [']'] = '[', ['}'] = '{'};
/* The first bytes of a line's text that the general path must read: tabs, form feeds, a
   backslash, a carriage return; line_first has '#' and '\n' too. */
static const bool line_stop[256] = {['\t'] = 1, ['\014'] = 1, ['\\'] = 1, ['\r'] = 1};
static const bool line_first[256] = {['\t'] = 1, ['\014'] = 1, ['\\'] = 1, ['\r'] = 1, ['#'] = 1, ['\n'] = 1};
/* What ends a name that the fast loop must look at: a quote (the name may be a string
   prefix) or a byte from 0x80 up (the name goes on with non-ASCII characters). */
#define R16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const bool name_stop_special[256] = {['\''] = 1, ['"'] = 1, [0x80] = R16, R16, R16, R16, R16, R16, R16, R16};
#undef R16

/* The common tokens read without the general machinery of next_regular, as it would read
   them: outside f-strings, parser tokens only, the source ending with '\n' (no scan passes
   its end). Names of ASCII letters, decimal integers (maybe with a fraction), hexadecimal
   ones, operators and "...", plain strings on one line or triple-quoted, NEWLINE (after a
   comment too), blank and comment lines, and INDENT and DEDENT before a line indented with
   spaces.
   Fills out[n, cap) and returns the new count (names[*nnames...] get the NAMEs): it stops,
   with nothing of the token consumed, at the first the general path must read (it also
   raises every error). Each token's `level` is the bracket nesting after it. */
static size_t fast_tokens(Tokenizer *t, Token *out, size_t n, size_t cap, Token **names, size_t *nnames)
{
    if (t->failed || t->mode_top || t->pendin || t->extra || !t->nl_end) return n;
    if (!t->atbol && t->line_pending) return n;
    const unsigned char *u = (const unsigned char *)t->src;
    const size_t end16 = scan_end16(t->len);   /* (t->len is read where needed: one register less) */
    Token *o = out + n, *const oend = out + cap;
    Token **nm = names + *nnames;
    size_t p = t->cur, ls = t->line_start, start;   /* (t->buf_start and t->indent as they go) */
    /* the line as LINE_ONE has it, less its start: a token's col_offset | lineno << 32 is
       its start plus cb, and its start | lineno << 32 that plus ls */
    uint64_t cb = ((uint64_t)(uint32_t)t->lineno << 32) - ls;
    uint64_t lv = (uint64_t)t->level << 16;  /* the bracket nesting, as in the token's first word */
    int pendin = 0;
    unsigned c;
    bool pending = t->line_pending;
    if (!t->atbol) goto token;
line:                                   /* at the beginning of a line (atbol) */
    if (o == oend) goto done_line;
    if (pending) {                      /* enter_line */
        if (p >= t->len) goto done_line;
        pending = false;
        cb += LINE_ONE + ls - p;
        ls = t->buf_start = p;
    }
    {
        size_t q = skip_spaces(u, p, end16);
        c = u[q];
        if (line_first[c]) {
            if (c == '#') {             /* a comment line: as blank */
                q = comment_end(u, q + 1, end16);
                c = u[q];
            }
            if (c == '\n') {
                p = q + 1;
                pending = true;
                goto line;
            }
            if (line_stop[c]) goto done_line;
        }
        if (lv == 0) {
            int col = (int)(q - ls), indent = t->indent;
            if (col == t->indstack[indent]) {   /* (mostly: as the line before) */
                if (col != t->altindstack[indent]) goto done_line;
            } else if (col > t->indstack[indent]) {
                if (indent + 1 >= MAX_INDENT || col <= t->altindstack[indent]) goto done_line;
                t->indent = ++indent;
                t->indstack[indent] = t->altindstack[indent] = col;
                pendin = 1;
            } else {
                int k = indent;
                while (k > 0 && col < t->indstack[k]) k--;
                if (col != t->indstack[k] || col != t->altindstack[k]) goto done_line;
                pendin = k - indent;
                t->indent = k;
            }
        }
        p = q;
        if (pendin) {                   /* no extent: columns -1 */
            uint64_t w0 = pendin > 0 ? TOK_INDENT : TOK_DEDENT, w1 = p + ls + cb, w2 = 0xffffffffu + ls + cb;
            int step = pendin > 0 ? -1 : 1;
            do {
                put_words(o++, w0, w1, w2, 0xffffffffu);
                pendin += step;
            } while (pendin && o < oend);
            if (pendin) goto done_pendin;
        }
    }
token:                                  /* within a line (not atbol, not pending, pendin 0: the
                                           compiler keeps neither in a register here) */
    if (o == oend) goto done_token;
next:
    start = p;
    /* (the cases that need the byte read it again from u[start]: kept in a variable across
       the switch, it costs two register copies at every token) */
    switch (u[p++]) {
    case ' ':                           /* (two tokens in three follow the one before directly) */
        while (u[p] == ' ') p++;
        goto next;
    CASES_UPPER: CASES_LOWER: case '_':
        p = ascii_name_end(u, p, end16);
        if (name_stop_special[u[p]]) {
            if (u[p] >= 0x80) goto general;
            if (p - start <= 2) {       /* before a quote: a string prefix? */
                int kind = string_prefix(u + start, p - start);
                if (kind == 2) goto general;
                if (kind == 1) {
                    uint64_t line = cb + ls;
                    size_t ls2 = ls, b2 = t->buf_start;
                    uint32_t plain;
                    if (!(p = fast_string(u, t->len, p, &line, &ls2, &b2, &plain))) goto general;
                    put_halves(o, (uint32_t)(TOK_STRING | lv), (uint32_t)(p - start), start + ls + cb,
                               start - ls + line, (p - ls2) | (uint64_t)plain << 32);
                    ls = ls2, t->buf_start = b2, cb = line - ls;
                    goto stored;
                }
            }
        }
        *nm++ = o;
        put_line_token(o, TOK_NAME | lv, start, p, cb, ls);
        goto stored;
    case '\'': case '"': {
        c = u[start];
        if (u[p] != c) {                /* on one line (most strings), inline */
            uint32_t plain;
            if (!(p = line_string_end(u, end16, p, c, &plain))) goto general;
            uint64_t w2 = start + cb;
            put_halves(o, (uint32_t)(TOK_STRING | lv), (uint32_t)(p - start), w2 + ls, w2,
                       (p - ls) | (uint64_t)plain << 32);
            goto stored;
        }
        uint64_t line = cb + ls;
        size_t ls2 = ls;
        uint32_t plain;
        if (!(p = fast_string(u, t->len, start, &line, &ls2, NULL, &plain))) goto general;
        put_halves(o, (uint32_t)(TOK_STRING | lv), (uint32_t)(p - start), start + ls + cb, start - ls + line,
                   (p - ls2) | (uint64_t)plain << 32);
        ls = ls2, cb = line - ls;
        goto stored;
    }
    CASES_DIGIT19:                      /* a decimal integer, maybe with a fraction */
        while (is_digit(u[p])) p++;
        /* fall through */
    case '0':                           /* (alone, or before a fraction or "x") */
        c = u[start];
        if (u[p] == '.' && is_digit(u[p + 1])) {                        /* "1.5", "0.25" */
            for (p += 2; is_digit(u[p]); p++) {}
        } else if (c == '0' && (u[p] | 0x20) == 'x' && is_xdigit(u[p + 1])) {   /* "0x1f" */
            for (p += 2; is_xdigit(u[p]); p++) {}
        }
        /* and that nothing else follows (an exponent, '_', a suffix, a name, a second '.') */
        if (char_kind[u[p]] != 0 || u[p] == '.') goto general;
        put_line_token(o, TOK_NUMBER | lv, start, p, cb, ls);
        goto stored;
    case '#':                           /* a comment: the NEWLINE spans it */
        p = comment_end(u, p, end16);
        if (u[p] != '\n') goto general;
        p++;
        /* fall through */
    case '\n':
        pending = true;
        if (lv) goto line;              /* inside brackets: no token */
        put_line_token(o, TOK_NEWLINE, start, p - 1, cb, ls);   /* empty at the '\n', or the comment */
        o++->end_col_offset++;          /* (its extent ends after the '\n') */
        goto line;
    case '(': case '[': case '{': {
        c = u[start];
        int level = (int)(lv >> 16);
        if (level >= MAX_LEVEL) goto general;
        uint64_t w2 = start + cb, w1 = w2 + ls;   /* (the token's words give the bracket's place) */
        t->parenstack[level] = (char)c;
        t->parenline[level] = (int)(w1 >> 32);
        t->parencol[level] = (int)(uint32_t)w2;
        lv += LEVEL_ONE;
        put_halves(o, (uint32_t)(op_one[c] | lv), 1, w1, w2, p - ls);
        goto stored;
    }
    case ')': case ']': case '}': {
        c = u[start];
        if (!lv || t->parenstack[(lv >> 16) - 1] != open_of[c]) goto general;
        lv -= LEVEL_ONE;
        put_line_token(o, op_one[c] | lv, start, p, cb, ls);
        goto stored;
    }
    case '.':
        if (u[p] == '.' || is_digit(u[p])) {
            if (u[p] != '.' || u[p + 1] != '.') goto general;   /* ".5", ".." */
            p += 2;
            put_line_token(o, TOK_ELLIPSIS | lv, start, p, cb, ls);
            goto stored;
        }
        put_line_token(o, TOK_DOT | lv, start, p, cb, ls);
        goto stored;
    case ',': case ';': case '~':
        c = u[start];
        put_line_token(o, op_one[c] | lv, start, p, cb, ls);
        p += u[p] == ' ';               /* (a comma is followed by a space 24 times in 25) */
        goto stored;
    CASES_OP: {
        c = u[start];
        unsigned c2 = u[p], type;
        if (c2 == '=') {
            type = op_eq[c];
            p++;
        } else if (c2 == c && op_double[c]) {
            p++;
            if (u[p] == '=') type = op_double_eq[c], p++;
            else type = op_double[c];
        } else if (c2 == '>' && (c == '-' || c == '<')) {
            type = c == '-' ? TOK_RARROW : TOK_NOTEQUAL;
            p++;
        } else {
            type = op_one[c];
        }
        put_line_token(o, type | lv, start, p, cb, ls);
        goto stored;
    }
    CASES_GENERAL:                      /* (non-ASCII names too) */
        goto general;
    default:
        __builtin_unreachable();        /* (every byte has its case) */
    }
stored:                                 /* the token is at o */
    o++;
    goto token;
general:
    p = start;                          /* nothing of the token consumed */
done_token:
    t->atbol = false;
    t->pendin = 0;
    t->line_pending = false;
    goto done;
done_pendin:                            /* out of room with INDENTs or DEDENTs to go */
    t->atbol = false;
    t->pendin = pendin;
    t->line_pending = false;
    goto done;
done_line:
    t->atbol = true;
    t->pendin = pendin;
    t->line_pending = pending;
done:
    t->cur = p;
    t->line_start = ls;
    t->lineno = (int)((cb + ls) >> 32);
    t->level = (int)(lv >> 16);
    *nnames = (size_t)(nm - names);
    return (size_t)(o - out);
}
#undef LINE_ONE
#undef LEVEL_ONE

static int __attribute__((noinline)) next_token(Tokenizer *t, Token *out)
{
    if (t->failed) return -1;
    t->in_token = false;
    int rc = mode(t)->fstring ? next_fstring_mode(t, out) : next_regular(t, out);
    if (rc) t->failed = true;
    else out->level = (uint16_t)t->level;
    return rc;
}

int tokenizer_next(Tokenizer *t, Token *out)
{
    Token *name;
    size_t nn = 0;
    return fast_tokens(t, out, 0, 1, &name, &nn) ? 0 : next_token(t, out);
}

size_t tokenizer_fill(Tokenizer *t, Token *out, size_t cap, Token **marks, size_t *nmarks, bool *failed)
{
    size_t n = 0, nm = 0;
    *failed = false;
    while (n < cap) {
        n = fast_tokens(t, out, n, cap, marks, &nm);
        if (n == cap) break;
        if (next_token(t, out + n)) {
            *failed = true;
            break;
        }
        if (out[n].type == TOK_NAME || out[n].type == TOK_FSTRING_MIDDLE) marks[nm++] = out + n;
        if (out[n++].type == TOK_ENDMARKER) break;
    }
    *nmarks = nm;
    return n;
}
