/* tokenize.h - the token stream between source decoding, the tokenizer and the parser. */
#ifndef CPYC_TOKENIZE_H
#define CPYC_TOKENIZE_H

#include "targets/targets.h"

/* Token types, numbered as CPython 3.13's Lib/token.py. Operators have exact types. */
typedef enum {
    TOK_ENDMARKER, TOK_NAME, TOK_NUMBER, TOK_STRING, TOK_NEWLINE, TOK_INDENT, TOK_DEDENT,
    TOK_LPAR, TOK_RPAR, TOK_LSQB, TOK_RSQB, TOK_COLON, TOK_COMMA, TOK_SEMI, TOK_PLUS,
    TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_VBAR, TOK_AMPER, TOK_LESS, TOK_GREATER, TOK_EQUAL,
    TOK_DOT, TOK_PERCENT, TOK_LBRACE, TOK_RBRACE, TOK_EQEQUAL, TOK_NOTEQUAL, TOK_LESSEQUAL,
    TOK_GREATEREQUAL, TOK_TILDE, TOK_CIRCUMFLEX, TOK_LEFTSHIFT, TOK_RIGHTSHIFT,
    TOK_DOUBLESTAR, TOK_PLUSEQUAL, TOK_MINEQUAL, TOK_STAREQUAL, TOK_SLASHEQUAL,
    TOK_PERCENTEQUAL, TOK_AMPEREQUAL, TOK_VBAREQUAL, TOK_CIRCUMFLEXEQUAL,
    TOK_LEFTSHIFTEQUAL, TOK_RIGHTSHIFTEQUAL, TOK_DOUBLESTAREQUAL, TOK_DOUBLESLASH,
    TOK_DOUBLESLASHEQUAL, TOK_AT, TOK_ATEQUAL, TOK_RARROW, TOK_ELLIPSIS, TOK_COLONEQUAL,
    TOK_EXCLAMATION, TOK_OP, TOK_TYPE_IGNORE, TOK_TYPE_COMMENT, TOK_SOFT_KEYWORD,
    TOK_FSTRING_START, TOK_FSTRING_MIDDLE, TOK_FSTRING_END, TOK_COMMENT, TOK_NL,
    TOK_ERRORTOKEN, TOK_ENCODING,
    TOK__COUNT
} TokenType;

/* Name of a token type as Lib/token.py spells it ("NAME", "LPAR", ...). */
const char *token_type_name(int type);

/* One token. Positions are those CPython's parser gives its tokens: lines from 1, columns in
   UTF-8 bytes of the decoded source line, end exclusive. A STRING starts on the line of its
   opening quote; every other token's lineno is the line the tokenizer is on when the token
   ends, and col_offset is -1 when the token started on an earlier line (a multi-line
   FSTRING_MIDDLE), as in CPython. INDENT, DEDENT and ENDMARKER have col_offset and
   end_col_offset -1, as CPython's parser sees them (CPython's error positions depend on it);
   in `extra` mode they have the tokenize module's extents (`start`/`len` always do: DEDENT
   empty at the line's first token, INDENT covering the whitespace). A NEWLINE is empty, at
   the '\n' - or spans the comment before it, as in CPython.
   src[start, start+len) is always the token's exact source spelling in the decoded source
   (token_text). An FSTRING_MIDDLE never contains an escaped brace pair:
   CPython splits "a{{b" into "a{" and then "b" (the second brace is skipped), and so does
   this tokenizer; the parser concatenates the pieces.
   The '!', ':' or '}' closing an f-string replacement field written with '=' (f"{x = }")
   carries the debug text: the expression text exactly as written from after '{' up to that
   character (comments dropped as CPython does); tokenizer_debug_text gives it.
   The token is 32 bytes and the parser keeps it as it is (a file's tokens are its largest
   data after the AST): `kw` is the parser's to fill, and so is `aux` once read. */
typedef struct Token {
    uint8_t type;               /* TokenType */
    uint8_t kw;                 /* 0 from the tokenizer (the parser: a NAME's keyword) */
    uint16_t level;             /* bracket nesting after the token */
    uint32_t len;
    uint32_t start;             /* byte offset of the token in the decoded source */
    int32_t lineno, col_offset, end_lineno, end_col_offset;
    uint32_t aux;               /* NAME: 1 if it has characters from U+0080 up (to normalize);
                                   with a debug text: its number for tokenizer_debug_text;
                                   STRING: 1 if seen to hold no backslash and only ASCII
                                   (the parser may take its body as it is), or 0; else 0 */
} Token;

static inline const char *token_text(const char *src, const Token *t) { return src + t->start; }

/* ------------------------------------------------------------------ decode.c */
/* A source file turned into UTF-8 as CPython 3.13 reads it: BOM and PEP 263 cookie honoured
   (other codecs through iconv). On error, err carries SyntaxError with line/col and CPython's
   message. `utf8` is arena memory (or the input itself when it needed no conversion).
   By default newlines are translated as compile() does ("\r\n" and "\r" become "\n") and a
   final "\n" is added when missing, so positions match the AST's. */
typedef struct DecodedSource {
    const char *utf8;
    size_t len;
    const char *encoding;       /* normalized codec name, "utf-8" by default */
    bool added_newline;         /* the input did not end with a newline; one was appended */
    bool bom;                   /* the input started with a UTF-8 BOM (dropped) */
    const char *cookie;         /* the codec name as the coding cookie spells it, or NULL */
} DecodedSource;

int source_decode(const uint8_t *data, size_t len, Arena *a, DecodedSource *out, cpyc_error *err);
/* Errors without a position: null bytes have line, col, end_line and end_col all
   SYNTAX_POS_NONE (CPython's None); an unknown codec has line 0, col -1 and ends None. */
#define SYNTAX_POS_NONE (-0x7fffffff - 1)

/* Why Python's UTF-8 decoder rejects the sequence at s (n bytes left): "invalid start byte",
   "invalid continuation byte" or "unexpected end of data" (NULL when it is valid); *bad is
   the number of bytes the error covers. For the "(unicode error) 'utf-8' codec can't decode
   byte 0x.. in position N: REASON" errors of names and strings. */
const char *utf8_error_reason(const uint8_t *s, size_t n, size_t *bad);
/* The length of the piece at s (n bytes left) as Python's UTF-8 decoder with errors="replace"
   cuts the input: a character (*valid), or an undecodable run that becomes one U+FFFD. */
size_t utf8_piece(const uint8_t *s, size_t n, bool *valid);
/* Writes in[0, len) to out decoded with errors="replace" (out holds 3 * len bytes); returns
   the bytes written. */
size_t utf8_replace_into(char *out, const char *in, size_t len);
/* in[0, len) decoded from the codec `encoding` (a normalized name) with errors="replace", as
   UTF-8 in arena memory; -1 for an unknown codec. */
int text_decode_replace(const char *encoding, const char *in, size_t len, Arena *a, const char **out,
                        size_t *outlen);
/* The UnicodeDecodeError text for s[pos...] within s[0, n) ("'utf-8' codec can't decode
   byte 0xff in position 3: invalid start byte", or "bytes in position 3-4: ..."). */
void utf8_error_message(char *out, size_t size, const uint8_t *s, size_t n, size_t pos);

/* Flags of source_decode_ex. DECODE_KEEP_NEWLINES leaves "\r\n" as written (what the
   tokenize module shows); the tokenizer treats "\r\n" as one newline. */
enum { DECODE_KEEP_NEWLINES = 1, DECODE_REPLACE = 2 /* undecodable bytes become U+FFFD */ };
int source_decode_ex(const uint8_t *data, size_t len, unsigned flags, Arena *a, DecodedSource *out,
                     cpyc_error *err);

/* ---------------------------------------------------------------- tokenize.c */
typedef struct Tokenizer Tokenizer;

/* Errors of decoding, tokenizing and parsing fill cpyc_error with status CPYC_ERR_SYNTAX,
   exc_type "SyntaxError", "IndentationError" or "TabError", msg as str(exc.msg), and
   line/col/end_line/end_col exactly as the exception's lineno/offset/end_lineno/end_offset
   (offset counts characters from 1; end_offset may be 0 or -1 as CPython leaves it). */

/* Creates a tokenizer over decoded UTF-8 source (allocated in the arena). The target gives
   grammar features (e.g. PEP 701 f-string tokens from 3.12). err must outlive the
   tokenizer: tokenizer_next fills it. */
Tokenizer *tokenizer_new(const DecodedSource *src, const cpyc_target *t, Arena *a, cpyc_error *err);
/* Produces the next token the parser sees (no COMMENT/NL unless `extra` was requested).
   Returns 0, or -1 with err set (SyntaxError, IndentationError or TabError, line, column,
   CPython's message, as compile() reports it). After ENDMARKER it keeps returning
   ENDMARKER; after an error it keeps returning the same error. */
int tokenizer_next(Tokenizer *tz, Token *out);
/* The next tokens at once, as tokenizer_next gives them one by one, into out[0, cap): the
   count, which stops short after ENDMARKER, or with *failed set at an error (err filled as
   tokenizer_next fills it; the tokens before it are in out). marks[0, *nmarks) (room for cap)
   get the NAME and FSTRING_MIDDLE tokens of out, in order. */
size_t tokenizer_fill(Tokenizer *tz, Token *out, size_t cap, Token **marks, size_t *nmarks, bool *failed);
/* A SyntaxWarning of the tokenizer or the parser: its message, the line CPython reports it
   on, and the byte of the source it belongs to (what orders a file's warnings). */
typedef struct SourceWarning {
    uint32_t pos;
    int32_t lineno;
    const char *msg;
    const void *key;    /* the parser's: what the warning is about (see parse_warn) */
} SourceWarning;
/* Appends a warning to the list *v (*n of them, room for *cap) in arena memory, its message
   formatted from fmt; false when out of memory. */
bool source_warning_push(Arena *a, SourceWarning **v, uint32_t *n, uint32_t *cap, uint32_t pos, int lineno,
                         const void *key, const char *fmt, va_list ap);
/* The warnings the tokenizer has issued so far, in source order (*n of them). */
const SourceWarning *tokenizer_warnings(const Tokenizer *tz, size_t *n);
/* The debug text of a token whose aux is `aux` (not 0): see Token. */
const char *tokenizer_debug_text(const Tokenizer *tz, uint32_t aux, uint32_t *len);
/* Also produce COMMENT and NL tokens, and be as lenient as CPython's tokenize module
   (tokenizer "extra tokens" mode: no bracket matching, identifier or number-suffix checks). */
void tokenizer_set_extra(Tokenizer *tz, bool extra);
/* Bracket nesting at the current point, and the innermost open bracket ('(', '[', '{' or 0)
   with its line and byte column (what "'(' was never closed" reports). */
int tokenizer_level(const Tokenizer *tz);
int tokenizer_open_bracket(const Tokenizer *tz, int *lineno, int *col_offset);
/* After tokenizer_next failed, what CPython's parser needs to choose between the error it
   already has and the tokenizer's (_PyPegen_tokenize_full_source_to_check_for_errors):
   `raised` is true when the tokenizer raised the exception itself (bad literal, unterminated
   string, invalid character, bracket mismatch, ...) - such an error replaces the parser's
   unless `in_fstring`; false for the errors the parser derives from the tokenizer's state
   (unexpected EOF, backslash continuation, indentation), after which CPython keeps its own
   error - or reports "'(' was never closed" when the innermost open bracket (see
   tokenizer_open_bracket) is on a line before the parser's error. */
void tokenizer_error_kind(const Tokenizer *tz, bool *raised, bool *in_fstring);
/* After an error: the error as Lib/tokenize.py prints it ("FILE:LINE:COL: error: MSG"
   gets LINE, COL and MSG from here). */
void tokenizer_module_error(const Tokenizer *tz, int *line, int *col, const char **msg);

/* Raises (fills err with) an error at a location given as CPython's parser gives it: byte
   columns from 0 in line `lineno` of src, made 1-based and converted to character offsets
   as RAISE_ERROR_KNOWN_LOCATION does (clamped to the line's length + 1). An end_col_offset
   of -1 yields end_offset 0 (RAISE_ERROR_KNOWN_LOCATION with -1); -2 yields -1 (what
   _PyPegen_raise_error leaves for a token without an end). Returns -1. */
/* The 1-based character column of the 1-based byte column col of a line (n bytes, its newline
   included) as the parser converts it: clamped to the line's length + 1. */
long syntax_char_column(const char *line, size_t n, long col);
int syntax_error_known_location(const DecodedSource *src, cpyc_error *err, const char *exc_type,
                                int lineno, long col_offset, int end_lineno, long end_col_offset,
                                const char *fmt, ...) __attribute__((format(printf, 8, 9)));

#endif
