/* targets.h - what cpyc knows of each CPython version: the cpyc_target descriptor (data and the
   back end's hooks), opcode facts for dis, code-object layouts; one file per version in this folder. */
#ifndef CPYC_TARGETS_H
#define CPYC_TARGETS_H

#include "unicode/unicode.h"

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

/* Each Unicode version's changes to the printable ranges (targets/unicode_*.c). */
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
    /* The back end's part (src/compile/), set where `compiles` is: */
    const struct OpTable *opmeta;   /* opcode metadata of the CFG passes (compile/opmeta.h) */
    const struct RefsEnv *refs_env; /* what a fresh `python -m py_compile` has interned (refs.c) */
    const struct RefsEnv *dis_refs_env; /* and what `python -m dis FILE.py` has (cpyc dis) */
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

/* The back end's tables of 3.13, generated beside its descriptor: py3_13_opmeta.c
   (tools/gen_opmeta.py) and py3_13_interned.c (tools/gen_interned_313.py with the oracle). */
extern const struct OpTable opmeta_3_13;
extern const struct RefsEnv refs_env_py_compile_3_13, refs_env_dis_3_13;

/* All targets, oldest first, NULL-terminated. */
extern const cpyc_target *const cpyc_targets[];

/* Describes a magic number cpyc has no target for ("Python 3.7"), or NULL if unknown. */
const char *magic_known_foreign(unsigned magic);

#endif
