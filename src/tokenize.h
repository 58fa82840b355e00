/* tokenize.h - the token stream between source decoding, the tokenizer and the parser. */
#ifndef CPYC_TOKENIZE_H
#define CPYC_TOKENIZE_H

#include "cpyc_internal.h"

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

/* One token. Positions are those the AST uses: lines from 1, columns in UTF-8 bytes of the
   decoded source line, end exclusive. `text` points into the decoded source except where
   the token's value differs from its spelling (FSTRING_MIDDLE with "{{" or "}}"). */
typedef struct Token {
    uint16_t type;              /* TokenType */
    int32_t lineno, col_offset, end_lineno, end_col_offset;
    const char *text;
    uint32_t len;
    uint32_t start;             /* byte offset of the token in the decoded source */
} Token;

/* ------------------------------------------------------------------ decode.c */
/* A source file turned into UTF-8 as CPython 3.13 reads it: BOM and PEP 263 cookie honoured
   (other codecs through iconv). On error, err carries SyntaxError with line/col and CPython's
   message. `utf8` is arena memory (or the input itself when it needed no conversion). */
typedef struct DecodedSource {
    const char *utf8;
    size_t len;
    const char *encoding;       /* normalized codec name, "utf-8" by default */
} DecodedSource;

int source_decode(const uint8_t *data, size_t len, Arena *a, DecodedSource *out, cpyc_error *err);

/* ---------------------------------------------------------------- tokenize.c */
typedef struct Tokenizer Tokenizer;

/* Creates a tokenizer over decoded UTF-8 source (allocated in the arena). The target gives
   grammar features (e.g. PEP 701 f-string tokens from 3.12). */
Tokenizer *tokenizer_new(const DecodedSource *src, const cpyc_target *t, Arena *a, cpyc_error *err);
/* Produces the next token the parser sees (no COMMENT/NL unless `extra` was requested).
   Returns 0, or -1 with err set (SyntaxError, IndentationError or TabError, line, column,
   CPython's message). After ENDMARKER it keeps returning ENDMARKER. */
int tokenizer_next(Tokenizer *tz, Token *out);
/* Also produce COMMENT and NL tokens (what Python's tokenize module shows). */
void tokenizer_set_extra(Tokenizer *tz, bool extra);

#endif
