/* unicode.h - what the Unicode folder offers: UTF-8 with surrogates, printable characters, character
   names, NFKC of identifiers, identifier characters, the codec table of PEP 263 cookies. */
#ifndef CPYC_UNICODE_H
#define CPYC_UNICODE_H

#include "base/base.h"

/* Code point ranges (unicode_tables.c); a Unicode version's changes to them (targets/unicode_*.c). */
typedef struct { uint32_t lo, hi; } UnicodeRange;
typedef struct UnicodeDelta {
    const UnicodeRange *ranges;   /* where str.isprintable() differs from unicode_tables.c */
    size_t count;
} UnicodeDelta;

/* ---------------------------------------------------------------- unicode.c */
/* Decodes one code point of UTF-8 with surrogates allowed (CPython's "surrogatepass").
   Returns the number of bytes used, or 0 when the sequence is invalid. */
size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);
/* Writes cp as UTF-8 (surrogates too) to o (room for 4 bytes); returns the length. */
size_t utf8_encode(char *o, uint32_t cp);
/* Validates a whole string; on success sets the code point count and the largest code point. */
bool utf8_scan(const uint8_t *s, size_t len, size_t *ncp, uint32_t *maxcp);
/* str.isprintable() of one code point (Unicode tables generated from CPython 3.13). */
bool unicode_isprintable(uint32_t cp);
/* The same as the target's Unicode database answers (t NULL: the tables' own version). */
bool unicode_isprintable_in(uint32_t cp, const cpyc_target *t);

/* ---------------------------------------------------------- unicode_tables.c */
extern const UnicodeRange unicode_nonprintable[];
extern const size_t unicode_nonprintable_count;
/* Is cp in one of n sorted, disjoint ranges? (unicode.c) */
bool unicode_in_ranges(const UnicodeRange *r, size_t n, uint32_t cp);

/* ---------------------------------------------- unicode_name.c (+ generated data) */
typedef struct { const char *prefix; uint32_t lo, hi; } UnicodeNameRange;
extern const char unicode_names[];
extern const UnicodeNameRange unicode_name_ranges[];
extern const size_t unicode_name_range_count;
typedef struct { const char *name; uint32_t cp; } UnicodeNameAlias;
extern const UnicodeNameAlias unicode_name_aliases[];   /* sorted by name */
extern const size_t unicode_name_alias_count;
/* The code point named `name` (\N{...}, case-insensitive); false when there is none. */
bool unicode_lookup_name(const char *name, size_t len, uint32_t *cp);

/* ------------------------------------------------------------------- nfkc.c */
/* NFKC form of an identifier (what CPython's parser makes of every non-ASCII NAME). Sets
   *out to s itself when it is ASCII, else to arena memory. Returns 0, or -1 when out of
   memory or s is not UTF-8. */
int identifier_normalize(Arena *a, const char *s, size_t len, const char **out, size_t *outlen);

/* ------------------------------------------------------------- ident_tables.c */
/* XID_Start / XID_Continue of the Unicode version of CPython 3.13 (generated tables). */
bool unicode_is_xid_start(uint32_t cp);
bool unicode_is_xid_continue(uint32_t cp);

/* ------------------------------------------------------------ codec_table.c */
/* Python codec names for PEP 263 cookies (generated codec_table.c). */
typedef struct {
    const char *alias;   /* as encodings.normalize_encoding leaves it, lower case */
    const char *name;    /* the codec's canonical name (codecs.lookup(alias).name) */
    const char *iconv;   /* iconv's name for it */
    const char *errname; /* the codec its decoding errors name ("charmap" for table codecs) */
} CodecEntry;

extern const CodecEntry codec_table[];
extern const size_t codec_table_count;

#endif
