/* cpyc_internal.h - interfaces shared between the pipeline stages, one banner per file. */
#ifndef CPYC_INTERNAL_H
#define CPYC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpyc.h"

#define CPYC_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ arena.c */
/* One arena per compilation unit or per file read: everything is freed at once. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
    unsigned char *cur, *end;   /* the free space of the head block */
    ArenaBlock *spare;          /* blocks kept by arena_reset for the next allocations */
    size_t nspare;
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Frees everything allocated but keeps up to a few MB of blocks for reuse: one arena per
   thread across files costs no page faults or malloc calls after the first files. */
void arena_reset(Arena *a);
/* For the command line's long runs: freed heap memory is kept for reuse (mallopt). */
void heap_keep_freed_memory(void);
/* Returns zeroed memory aligned for any object, or NULL when out of memory. */
void *arena_alloc(Arena *a, size_t size);
void *arena_memdup(Arena *a, const void *src, size_t size);
/* The slow path of arena_alloc_raw: a new block. */
void *arena_alloc_new_block(Arena *a, size_t size);

/* Returns uninitialized memory aligned for pointers and 8-byte integers (not for long
   double), or NULL: the parser's nodes and lists, which it fills completely. */
static inline void *arena_alloc_raw(Arena *a, size_t size)
{
    size = ((size ? size : 1) + 7) & ~(size_t)7;
    if (size <= (size_t)((uintptr_t)a->end - (uintptr_t)a->cur)) {
        void *p = a->cur;
        a->cur += size;
        return p;
    }
    return arena_alloc_new_block(a, size);
}

/* A growable byte buffer on the C heap (used for output that outlives arenas). */
typedef struct Buf {
    uint8_t *data;
    size_t len, cap;
    bool failed; /* an allocation failed; further appends are ignored */
} Buf;

void buf_free(Buf *b);
void buf_reserve(Buf *b, size_t extra);
void buf_put(Buf *b, const void *data, size_t n);
void buf_byte(Buf *b, uint8_t c);
void buf_u32le(Buf *b, uint32_t v);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ----------------------------------------------------------------- ptrmap.c */
/* Identity map: pointer -> index in order of insertion (heap memory; ptrmap_free). */
typedef struct PtrMap {
    const void **keys;
    uint32_t *vals;
    size_t cap, count;
} PtrMap;

/* Returns the key's index, or adds it with index `count` and returns -1; -2 when out of memory. */
long long ptrmap_get_or_add(PtrMap *m, const void *key);
void ptrmap_free(PtrMap *m);

/* ------------------------------------------------------------------ error.c */
/* Fills err and returns -1, so stages can write `return error_at(...)`. */
int error_at(cpyc_error *err, cpyc_status st, long long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void error_clear(cpyc_error *err);
/* A Python exception at a source position (CPython's 1-based offsets), keeping err->file. */
int error_syntax_v(cpyc_error *err, const char *exc_type, int line, int col, int end_line,
                   int end_col, const char *fmt, va_list ap);

/* ----------------------------------------------------------------- target.c */
/* The fields a code object can carry in some version; a target lists the ones it marshals. */
typedef enum {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_NLOCALS, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_VARNAMES, CO_FREEVARS, CO_CELLVARS,
    CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS, CO_FILENAME, CO_NAME, CO_QUALNAME,
    CO_FIRSTLINENO, CO_LNOTAB, CO_LINETABLE, CO_EXCEPTIONTABLE,
    CO__COUNT
} CodeField;

/* What a code-object field must hold once read. */
typedef enum { CF_INT, CF_BYTES, CF_TUPLE, CF_STR, CF_STR_TUPLE } CodeFieldKind;

const char *code_field_name(CodeField f);        /* "co_consts" */
CodeFieldKind code_field_kind(CodeField f);

/* Code point ranges (unicode_tables.c); a Unicode version's changes to them (targets/unicode_*.c). */
typedef struct { uint32_t lo, hi; } UnicodeRange;
typedef struct UnicodeDelta {
    const UnicodeRange *ranges;   /* where str.isprintable() differs from unicode_tables.c */
    size_t count;
} UnicodeDelta;

extern const UnicodeDelta cpyc_unicode_12_1_0, cpyc_unicode_13_0_0, cpyc_unicode_14_0_0,
    cpyc_unicode_15_0_0, cpyc_unicode_15_1_0;

/* How `dis` of a version turns an instruction's argument into text (see dis.c). */
typedef enum {
    DA_NONE,        /* the instruction takes no argument */
    DA_RAW,         /* only the number */
    DA_CONST,       /* repr of co_consts[arg] */
    DA_NAME,        /* co_names[arg] */
    DA_GLOBAL,      /* co_names[arg >> 1]; bit 0 pushes NULL (3.11+) */
    DA_ATTR,        /* co_names[arg >> 1]; bit 0 pushes NULL|self (3.12+) */
    DA_SUPER_ATTR,  /* co_names[arg >> 2]; bit 0 as DA_ATTR */
    DA_JABS, DA_JREL, DA_JBACK,   /* absolute, forward and backward jumps */
    DA_LOCAL,       /* co_varnames[arg]; 3.11+: localsplus names */
    DA_FREE,        /* (co_cellvars + co_freevars)[arg] (3.8-3.10) */
    DA_LOCAL_PAIR,  /* two locals, arg >> 4 and arg & 15 (3.13) */
    DA_COMPARE,     /* cmp_op[arg >> compare_shift] */
    DA_FORMAT_VALUE, DA_FUNC_FLAGS, DA_CONVERT, DA_BINOP, DA_INTRINSIC1, DA_INTRINSIC2,
} DisArgKind;

/* One named field of an instruction's inline cache (opcode._cache_format, 3.11+). */
typedef struct DisCacheField {
    const char *name;   /* NULL ends a format */
    int entries;        /* code units it takes */
} DisCacheField;

typedef struct DisOp {
    const char *name;   /* as dis prints it ("<207>" for unused values) */
    uint8_t kind;       /* DisArgKind, taken from the base instruction */
    uint8_t caches;     /* inline cache entries (3.11+) */
    uint8_t deopt;      /* base instruction of a specialized one */
    const DisCacheField *cache_format;  /* the base instruction's cache fields, or NULL */
} DisOp;

/* A version's opcode facts, generated from its dis module by tools/gen_opcodes.py. */
typedef struct DisOpcodes {
    const DisOp *ops;   /* 256 entries */
    int extended_arg;
    const char *const *cmp_op, *const *nb_ops, *const *intrinsic1, *const *intrinsic2,
        *const *func_flags;
    int n_cmp_op, n_nb_ops, n_intrinsic1, n_intrinsic2, n_func_flags;
} DisOpcodes;

extern const DisOpcodes cpyc_opcodes_3_8, cpyc_opcodes_3_9, cpyc_opcodes_3_10,
    cpyc_opcodes_3_11, cpyc_opcodes_3_12, cpyc_opcodes_3_13;

/* Where a code object keeps its line numbers. */
typedef enum {
    LINES_LNOTAB,      /* co_lnotab (3.8, 3.9) */
    LINES_310,         /* co_linetable of 3.10: (bytes, line delta) pairs */
    LINES_LOCATIONS,   /* co_linetable of 3.11+: the location table */
} LineTableFormat;

/* What dis.dis(show_caches=True) prints beside the first CACHE line of each cache field. */
typedef enum {
    CACHE_NO_FIELDS,        /* show_caches does not exist (3.8-3.10): -C changes nothing */
    CACHE_QUICKENED_FIELDS, /* "(name: value)" only under a specialized instruction (3.11) */
    CACHE_FIELDS,           /* "(name: value)", the value read where the field lies (3.12) */
    CACHE_FIELDS_AT_FIRST,  /* "(name: value)", every value read from the first cache unit (3.13) */
} DisCacheStyle;

/* How a version's dis lays out its listing. */
typedef struct DisStyle {
    int jump_unit;          /* bytes per unit of a jump argument: 1 (3.8, 3.9) or 2 */
    bool jabs_shown;        /* absolute jumps print "to N" (3.10+) */
    int compare_shift;      /* COMPARE_OP: cmp_op[arg >> shift] */
    int compare_bool_bit;   /* COMPARE_OP: this bit prints bool(...) (3.13); 0 for none */
    bool null_after;        /* "x + NULL" (3.13) rather than "NULL + x" */
    bool labels;            /* 3.13's layout: L1-style labels and no offsets; ranges without a
                               line start a "--" line; line 0 does not widen the column */
    bool exception_table;   /* prints ExceptionTable: (3.11+) */
    uint8_t caches;         /* DisCacheStyle of `cpyc dis -C` */
    bool code_deoptimized;  /* co_code hands dis base instructions and zeroed caches (3.11+) */
} DisStyle;

/* Everything cpyc knows about one CPython minor version is data here, plus named hooks
   that later stages add. Adding a target means adding a file under src/targets/. */
struct cpyc_target {
    const char *name;           /* "3.13" */
    int major, minor;
    unsigned magic;             /* release magic number (first two bytes of a .pyc, LE) */
    unsigned magic_lo, magic_hi;/* range of magics used by this version's pre-releases */
    int marshal_version;        /* what marshal.dumps uses by default */
    bool hash_siphash13;        /* siphash13 (3.11+) or siphash24, for hash() and source_hash */
    const CodeField *code_fields; /* marshal order of code-object fields */
    int n_code_fields;
    int max_marshal_depth;      /* reader's nesting limit */
    int64_t none_hash;          /* hash(None) when it is a constant (3.12+), else 0 */
    uint32_t none_address;      /* None's and Ellipsis's addresses modulo 2 MiB in the reference */
    uint32_t ellipsis_address;  /* build (libpython maps 2 MiB-aligned, so they hold run to run):
                                   their hashes where those come from the address */
    bool nan_hash_zero;         /* hash(nan) is 0 (3.8, 3.9), not the object's address */
    const UnicodeDelta *unicode;/* its Unicode database's printable characters, as a delta */
    const DisOpcodes *opcodes;  /* opcode names, argument kinds, cache sizes */
    LineTableFormat line_table;
    DisStyle dis;
    bool fstring_tokens;        /* PEP 701: f-strings are FSTRING_START/MIDDLE/END tokens (3.12+) */
    unsigned grammar;           /* GRAM_* features the parser accepts */
    bool compiles;              /* cpyc has a back end (code generator) for this version */
};

/* Grammar features that appeared after 3.8 (cpyc_target.grammar). */
enum {
    GRAM_PAREN_WITH = 1 << 0,     /* with (a as b, c as d): (3.9) */
    GRAM_MATCH = 1 << 1,          /* match statement (3.10) */
    GRAM_EXCEPT_STAR = 1 << 2,    /* except* (3.11) */
    GRAM_TYPE_PARAMS = 1 << 3,    /* PEP 695 type parameters and `type` statements (3.12) */
    GRAM_TYPE_DEFAULTS = 1 << 4,  /* PEP 696 type parameter defaults (3.13) */
};   /* (PEP 701 f-string tokens: cpyc_target.fstring_tokens) */

/* Marshal orders of code-object fields, shared by the targets that use them. */
extern const CodeField code_layout_3_8[16];   /* 3.8, 3.9: ... co_lnotab */
extern const CodeField code_layout_3_10[16];  /* 3.10: ... co_linetable */
extern const CodeField code_layout_3_11[16];  /* 3.11+: localsplus, qualname, exception table */

extern const cpyc_target cpyc_target_3_8, cpyc_target_3_9, cpyc_target_3_10,
    cpyc_target_3_11, cpyc_target_3_12, cpyc_target_3_13;

/* All targets, oldest first, NULL-terminated. */
extern const cpyc_target *const cpyc_targets[];

/* Describes a magic number cpyc has no target for ("Python 3.7"), or NULL if unknown. */
const char *magic_known_foreign(unsigned magic);

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
                          one-character singletons (the '%' of a folded "%%") */
    uint32_t mark;     /* scratch of the graph walks of refs.c and marshal_write.c, which
                          index objects by it instead of hashing pointers; 0 between walks */
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
};

/* Constructors used by the reader and, later, by code generation. */
Value *value_new(Arena *a, ValueKind kind, uint8_t tcode);
Value *value_int_from_i64(Arena *a, int64_t v, uint8_t tcode);
bool value_set_i64(Arena *a, Value *v, int64_t x);   /* false when out of memory */
/* Returns true and sets *out when the int fits in 64 bits. */
bool value_int_to_i64(const Value *v, int64_t *out);
const char *value_kind_name(ValueKind k);
/* A hash of a str's or bytes' data (never 0), computed on the first call and kept in v. */
uint32_t value_data_hash(const Value *v);
uint32_t value_bytes_hash(const uint8_t *s, size_t n);   /* the same of any bytes */

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

/* --------------------------------------------------------------- inspect.c */
void inspect_print(FILE *out, const char *filename, const Pyc *pyc);

/* ------------------------------------------------------------------- dis.c */
/* Appends what `dis.dis(code)` of the pyc's own CPython prints for its module code object.
   Where CPython prints a code object's address, cpyc prints its number in order of
   appearance (0x1, 0x2, ...), so the listing is reproducible. Returns 0, or -1 with err set
   when the bytecode cannot be listed (odd length, argument out of range of its table). */
enum {
    DIS_OFFSETS = 1,    /* dis.dis(show_offsets=True): 3.13 hides offsets by default */
    DIS_CACHES = 2,     /* dis.dis(show_caches=True): inline caches as CACHE lines (3.11+) */
    DIS_COMPILED = 4,   /* the code is compile()'s in memory (`dis FILE.py`): set constants in its order */
};
int dis_pyc(Buf *out, const Pyc *pyc, unsigned flags, cpyc_error *err);

/* --------------------------------------------------------------- cli_dis.c */
/* `cpyc dis`: the sub-command's entry point, called by main.c; returns the exit status. */
int cli_dis(int argc, char **argv);
/* ---------------------------------------------------------------- cli_ast.c */
int cli_ast(int argc, char **argv);   /* `cpyc ast`: prints; returns the exit status */
int cli_unparse(int argc, char **argv);
int cli_compile(int argc, char **argv);   /* `cpyc compile`: sources to pycs (cli_compile.c) */   /* `cpyc unparse`: the annotation unparser's check */
/* ------------------------------------------------------------ cli_codegen.c */
int cli_codegen(int argc, char **argv);   /* `cpyc codegen` (hidden): codegen's view, for tests */
/* --------------------------------------------------------------- cli_asm.c */
/* `cpyc asm-check FILE.pyc...` (hidden): rebuilds each code object's final instruction
   sequence from an oracle pyc, reassembles it and compares every field. */
int cli_asm(int argc, char **argv);
/* --------------------------------------------------------------- cli_refs.c */
int cli_refs(int argc, char **argv);  /* `cpyc refs-check` (hidden): compile/refs.c vs 3.13 pycs */
/* ----------------------------------------------------------- cli_symtable.c */
int cli_symtable(int argc, char **argv);   /* `cpyc symtable`: as python -m symtable */
int cli_cfg(int argc, char **argv);   /* `cpyc cfg-test` (hidden): the CFG stage on oracle text */

/* ------------------------------------------------------------------- cli.c */
/* Prints an error as the command line does: "cpyc: FILE: ..." on stderr. */
void cli_report(const cpyc_error *err);
/* Prints what the end of CPython's traceback shows for a SyntaxError of the source `data`
   (File line, the source line, carets, "Type: message"). */
void cli_print_syntax_error(FILE *f, const cpyc_error *err, const uint8_t *data, size_t len);
/* SyntaxError or a subclass of it (IndentationError, TabError): reported with file and line. */
bool cli_is_syntax_error_type(const char *type);
/* Reads the pyc at path (err->file set to it); *data, the file's bytes, is the caller's to
   free, also on failure. */
int cli_read_pyc(const char *path, Arena *a, Pyc *pyc, uint8_t **data, cpyc_error *err);
/* Calls fn on each non-empty line of the file list ("-": stdin); -1 when it cannot be opened
   (reported). */
int cli_each_listed_path(const char *list, void (*fn)(void *ctx, const char *path), void *ctx);

/* ------------------------------------------------------------------ file.c */
/* Reads a whole file into a heap buffer (free with free()). */
int file_read_all(const char *path, uint8_t **data, size_t *len, cpyc_error *err);
struct stat;
/* The same with the open file's fstat, in as few system calls as it takes; 0, an errno
   value when open or fstat fails, or minus one when reading fails. */
int file_read_st(const char *path, uint8_t **data, size_t *len, struct stat *st);

/* --------------------------------------------------------------- pycache.c */
/* importlib.util.cache_from_source(path, optimization=opt or ''): opt <= 0 gives no
   ".opt-N" tag; legacy (compileall -b) gives path + "c". NUL-terminated in out. */
int pycache_from_source(Buf *out, const char *path, const cpyc_target *t, int opt, bool legacy);
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

/* ---------------------------------------------------------------- reaper.c */
/* Descriptors closed on background threads (nthreads of them, started at the first): the
   pyc writer keeps the pyc it replaces open and closes it here, so that freeing its blocks
   does not stall the compiling. reaper_close(NULL, fd) closes at once; reaper_finish
   closes what is queued, joins the threads and frees r (NULL: nothing). */
typedef struct Reaper Reaper;
Reaper *reaper_new(int nthreads);
void reaper_close(Reaper *r, int fd);
void reaper_finish(Reaper *r);

/* ------------------------------------------------------------- pycompile.c */
enum { INVAL_TIMESTAMP = 1, INVAL_CHECKED_HASH, INVAL_UNCHECKED_HASH };   /* PycInvalidationMode */

typedef struct PyCompileJob {
    const char *file, *cfile;   /* source and pyc paths */
    const char *dfile;          /* the name compiled in and shown in errors; NULL: file */
    const cpyc_target *target;
    int optimize;               /* -1 (the interpreter's: 0), 0, 1, 2 */
    int invalidation;           /* INVAL_* */
    unsigned tmp_id;            /* makes the temporary file's name unique in this process */
    long pid;                   /* getpid(), asked once by the caller (0: asked here) */
    uint64_t *ns;               /* NULL, or 3 counters the steps' nanoseconds are added to:
                                   read, compile, write (mkdir + temporary file + rename) */
    Arena *arena;               /* the calling thread's reused arena, or NULL */
    Reaper *reaper;             /* where the replaced pyc is closed, or NULL */
} PyCompileJob;

enum { PYCOMPILE_OK, PYCOMPILE_COMPILE_ERROR, PYCOMPILE_OS_ERROR };
typedef struct PyCompileResult {
    int status;
    const char *exc_class;      /* an OSError's class name */
    int err_no;
    bool unsupported;           /* the back end cannot compile this yet */
    Buf msg;                    /* PyCompileError's msg or str(OSError), UTF-8 with surrogates */
    cpyc_error error;           /* a compile failure as the back end reported it */
} PyCompileResult;

/* py_compile.compile(file, cfile, dfile, doraise=True, optimize, invalidation_mode).
   Returns 0, or -1 with r describing the exception (free r->msg). */
int pycompile_file(const PyCompileJob *j, PyCompileResult *r);
/* importlib's _write_atomic of data to j->cfile: a temporary file beside it (named by j->pid
   and j->tmp_id) with mode's permission bits, renamed over it; the directory made when it is
   missing. 0, or -1 with r describing the OSError. */
int pycompile_write(const PyCompileJob *j, const Buf *data, unsigned mode, PyCompileResult *r);

/* -------------------------------------------------------------- cli_args.c */
/* argparse as compileall and py_compile use it: options, their values, the positionals. */
enum { ARG_FLAG, ARG_COUNT, ARG_VALUE, ARG_APPEND, ARG_HELP };   /* ArgSpec.kind */
enum { ARGT_STR, ARGT_INT };                                     /* ArgSpec.type */
typedef struct ArgSpec {
    const char *shortopt, *longopt;   /* "-j", "--workers"; either may be NULL */
    int kind, type;
    const char *const *choices;       /* NULL-terminated, or NULL */
} ArgSpec;
typedef struct ArgValue {
    int count;                        /* times given */
    const char *str;                  /* the last value */
    long ival;
    long *ilist;                      /* ARG_APPEND: every value, count of them */
} ArgValue;
typedef struct ArgParse {
    const ArgSpec *specs;
    ArgValue *values;                 /* one per spec, zeroed by the caller */
    int nspecs;
    bool positional_required;         /* nargs='+' (else '*') */
    const char *positional_name;
    const char **positional, **extras;
    int npositional, nextras;
    int help;                         /* -h was given */
    char error[600];                  /* the message after "PROG: error: " */
} ArgParse;
/* 0; 1 when -h was met (print the help, exit 0); -1 with p->error (usage, exit 2). */
int args_parse(ArgParse *p, int argc, char **argv);
void args_free(ArgParse *p);
/* The lines of a text stream as Python's readlines() gives them, without their ends: universal
   newlines for a file Python opens, '\n' alone for its sys.stdin. NULL-terminated (free each
   and the array), NULL when out of memory. */
char **cli_read_lines(FILE *f, bool universal, size_t *n);

/* ----------------------------------------------------------------- regex.c */
/* Python `re` patterns as compileall -x takes them; NULL with a message saying what is not
   supported (or wrong) in err. */
typedef struct Regex Regex;
Regex *regex_compile(const char *pattern, char *err, size_t errsize);
bool regex_search(const Regex *rx, const char *text);   /* re.search(pattern, text) */
void regex_free(Regex *rx);

/* ---------------------------------------- cli_compileall.c, cli_pycompile.c, cli_help.c */
int cli_compileall(int argc, char **argv);   /* `cpyc compileall` */
int cli_pycompile(int argc, char **argv);    /* `cpyc py_compile` */
extern const char cli_compileall_usage[], cli_compileall_help[], cli_pycompile_usage[],
    cli_pycompile_help[];

#endif
