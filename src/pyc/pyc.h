/* pyc.h - what the pyc folder offers: the value model, hash(), marshal reading and writing, the
   .pyc container, repr(), pyc comparison, and the import system's cache paths. */
#ifndef CPYC_PYC_H
#define CPYC_PYC_H

#include <string.h>

#include "targets/targets.h"

/* ------------------------------------------------------------------ value.c */
/* Python values as a code object holds them (the marshal value model). */
typedef enum {
    V_NULL, V_NONE, V_FALSE, V_TRUE, V_ELLIPSIS, V_STOPITER,
    V_INT, V_FLOAT, V_COMPLEX, V_STR, V_BYTES,
    V_TUPLE, V_LIST, V_DICT, V_SET, V_FROZENSET, V_CODE
} ValueKind;

typedef struct Code Code;

typedef struct Value {
    uint8_t kind;      /* ValueKind */
    uint8_t tcode;     /* marshal type code this value is written with, FLAG_REF bit included */
    uint8_t fresh;     /* a str that a str operation allocated: never one of CPython's
                          one-character singletons (the '%' of a folded "%%"); a compiled
                          frozenset that code-object creation rebuilt (its order, for dis) */
    uint8_t ident;     /* a plain str constant whose text the parser also interned as an
                          identifier, another object, which the constant cache merged into
                          this one (so interning replaces this str: see refs.c intern_str) */
    uint32_t mark;     /* scratch of the graph walks of refs.c and marshal_write.c, which
                          index objects by it instead of hashing pointers; 0 between walks
                          (refs_write leaves a spent tree's set) */
    union {
        struct {             /* ints of any size: sign-magnitude, base 2**15 digits */
            int32_t ndigits; /* negative for negative numbers; 0 for zero */
            const uint16_t *digits;
        } i;
        struct { double v; const char *text; uint8_t textlen; } f;       /* text: 'f' form */
        struct {
            double re, im;
            const char *retext, *imtext; uint8_t relen, imlen;           /* 'x' form */
        } c;
        struct {             /* str: UTF-8 (surrogatepass); bytes */
            const uint8_t *data;
            size_t len;
            uint32_t hash;   /* value_data_hash, once asked; 0 before (data is never changed
                                once the value may have been hashed) */
        } s;
        struct { struct Value **items; size_t n; } seq; /* dict: n pairs, 2n items */
        Code *code;
    } u;
} Value;

struct Code {
    const cpyc_target *target;
    int32_t ival[CO__COUNT];
    Value *oval[CO__COUNT];
    /* the module's only, from codegen (NULL elsewhere): every distinct code object made,
       also those the CFG dropped as unreachable, whose making CPython's interning saw */
    Value *const *units;
    uint32_t nunits;
};

/* Constructors used by the reader and, later, by code generation. value_new inline: the
   parser and the code generator make tens of thousands a module (an arena bump and the
   Value's stores, no call). */
static inline Value *value_new(Arena *a, ValueKind kind, uint8_t tcode)
{
    Value *v = arena_alloc_raw(a, sizeof *v);
    if (v) *v = (Value){.kind = (uint8_t)kind, .tcode = tcode};   /* the whole union: u.s.hash lies past its first member */
    return v;
}
Value *value_int_from_i64(Arena *a, int64_t v, uint8_t tcode);
bool value_set_i64(Arena *a, Value *v, int64_t x);   /* false when out of memory */
/* Returns true and sets *out when the int fits in 64 bits. */
bool value_int_to_i64(const Value *v, int64_t *out);
const char *value_kind_name(ValueKind k);
/* A hash of a str's or bytes' data (never 0), computed on the first call and kept in v. */
uint32_t value_data_hash(const Value *v);
uint32_t value_bytes_hash(const uint8_t *s, size_t n);   /* the same of any bytes */

/* 8 and 4 bytes at p as a little-endian word, whatever the host's byte order (one load on
   the usual hosts). */
static inline uint64_t value_load_le8(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline uint64_t value_load_le4(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;
}

/* value_bytes_hash inline, for names.c: a NameMap's keys carry this hash, which names made
   from them keep (assemble.c), so their texts are not hashed again. Most texts hashed are
   identifiers, short: whole words (the last one overlapping, little-endian loads the
   compilers make one load), no byte loop and no finalizer, the high half of a 64-bit
   product depending on every input bit. tools/gen_interned_313.py computes the same. */
static inline __attribute__((always_inline)) uint32_t value_bytes_hash_inline(const uint8_t *s, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    const uint8_t *end = s + n;
    uint64_t h = (uint64_t)n * k;
    if (n >= 8) {
        for (; s + 8 < end; s += 8) h = (h ^ value_load_le8(s)) * k;
        h = (h ^ value_load_le8(end - 8)) * k;
    } else if (n >= 4) {
        h = (h ^ (value_load_le4(s) << 32 | value_load_le4(end - 4))) * k;
    } else if (n) {
        h = (h ^ ((uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | end[-1])) * k;
    }
    uint32_t r = (uint32_t)(h >> 32);
    return r ? r : 1;
}

/* ----------------------------------------------------------------- hash.c */
/* hash() of a str value of the target (see cpyc_hash_str_utf8). */
int64_t hash_str(const cpyc_target *t, const uint8_t *utf8, size_t len);
/* hash() of a constant as the target computes it under PYTHONHASHSEED=0. Returns false when
   CPython hashes it by address (Ellipsis, code, None before 3.12, NaN from 3.10) or for
   a nested frozenset, which cpyc does not hash. */
bool hash_value(const cpyc_target *t, const Value *v, int64_t *out);

/* --------------------------------------------------------- marshal_read.c */
typedef struct MarshalReader {
    const uint8_t *data;
    size_t len, pos;
    const cpyc_target *target;
    Arena *arena;
    cpyc_error *err;
    Value **refs;         /* the reference table, in order of FLAG_REF appearance */
    size_t nrefs, refcap; /* refs live on the heap; freed by marshal_reader_done */
    int depth;
    /* Offset + 1 of the first encoding the writer cannot reproduce (0: none). CPython accepts
       but never writes them: a reference carrying FLAG_REF, a flagged dict terminator. */
    size_t noncanonical;
} MarshalReader;

/* Reads one object at r->pos. Strings and bytes point into r->data, which must outlive
   the arena. Returns NULL with r->err filled in. */
Value *marshal_read_object(MarshalReader *r);
void marshal_reader_done(MarshalReader *r);

/* -------------------------------------------------------- marshal_write.c */
/* Writes the graph rooted at v; each value is written with its own type code, and values
   carrying FLAG_REF that are met again (same pointer) are written as references. */
int marshal_write_object(Buf *out, const Value *v, const cpyc_target *t, cpyc_error *err);

/* ------------------------------------------------------------------- pyc.c */
enum { PYC_FLAG_HASH = 1, PYC_FLAG_CHECK_SOURCE = 2 };

typedef struct PycHeader {
    unsigned magic;
    const cpyc_target *target;
    uint32_t flags;
    uint32_t mtime, source_size;  /* timestamp pycs */
    uint8_t source_hash[8];       /* hash-based pycs */
} PycHeader;

typedef struct Pyc {
    PycHeader header;
    Value *code;              /* the module's code object */
    size_t marshal_end;       /* offset just past the marshalled object */
    size_t noncanonical;      /* see MarshalReader */
} Pyc;

/* Parses a .pyc image; values point into data. Returns 0 or -1 with err set. */
int pyc_read(const uint8_t *data, size_t len, Arena *a, Pyc *out, cpyc_error *err);
void pyc_write_header(Buf *out, const PycHeader *h);
/* Header plus marshalled module code object. */
int pyc_write(Buf *out, const Pyc *pyc, cpyc_error *err);

/* --------------------------------------------------------------- compare.c */
/* Appends where two pycs first differ, e.g. "JSONObject: co_linetable". */
void pyc_describe_difference(Buf *out, const Pyc *a, const Pyc *b);

/* ------------------------------------------------------------------ repr.c */
/* Python's repr() of a value, appended to b. */
void repr_value(Buf *b, const Value *v);
/* The same, with sets and frozensets in the order CPython t iterates them (PYTHONHASHSEED=0)
   where their items' hashes can be reproduced; t NULL keeps marshal order. */
void repr_value_as(Buf *b, const Value *v, const cpyc_target *t);
/* As repr_value_as, for a constant compile() built in memory (not read back from a pyc):
   sets in the order CPython's compiler leaves them (see set_order in repr.c). */
void repr_value_compiled(Buf *b, const Value *v, const cpyc_target *t);
void repr_str_utf8(Buf *b, const uint8_t *s, size_t len);
void repr_str_utf8_as(Buf *b, const uint8_t *s, size_t len, const cpyc_target *t);
void repr_bytes(Buf *b, const uint8_t *s, size_t len);
void repr_float(Buf *b, double d);
void repr_int(Buf *b, const Value *v);

/* --------------------------------------------------------------- pycache.c */
struct stat;
/* importlib.util.cache_from_source(path, optimization=opt or ''): opt <= 0 gives no
   ".opt-N" tag; legacy (compileall -b) gives path + "c"; prefix (sys.pycache_prefix, from
   PYTHONPYCACHEPREFIX; NULL: none) puts it in that mirror tree instead of __pycache__.
   NUL-terminated in out. */
int pycache_from_source(Buf *out, const char *path, const cpyc_target *t, int opt, bool legacy,
                        const char *prefix);
/* importlib.util.source_from_cache; -1 with ValueError's message in errmsg. */
int pycache_to_source(Buf *out, const char *path, char *errmsg, size_t errsize);
/* int(os.stat(path).st_mtime) as Python computes it (through a float). */
int64_t pycache_mtime(const struct stat *st);
/* compileall's up-to-date test: the pyc starts with magic, flags 0 and the mtime. */
int pycache_up_to_date(const char *cfile, const cpyc_target *t, int64_t mtime);
/* A file name as Python's str (surrogateescape), as UTF-8 with surrogates. */
void fsname_to_utf8(Buf *out, const char *name, size_t len);
void fsname_repr(Buf *out, const char *name);          /* repr() of that str */
void fsname_text(Buf *out, const char *name);          /* printed with backslashreplace */
/* UTF-8 text with surrogates as a stream with errors='backslashreplace' writes it. */
void text_backslashreplace(Buf *out, const uint8_t *s, size_t len);
const char *oserror_class(int err_no);                 /* "PermissionError" ... */
/* str(OSError): "[Errno 13] Permission denied: 'path'" (" -> 'path2'" for two names). */
void oserror_text(Buf *out, int err_no, const char *path, const char *path2);

#endif
