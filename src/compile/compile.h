/* compile.h - the back end's interfaces, AST to code object, one banner per stage file:
   future → ast_opt → symtable → codegen → flowgraph → assemble (+ consts, names, instrseq).
   The stages keep CPython 3.13's boundaries (Python/future.c, ast_opt.c, symtable.c,
   compile.c, flowgraph.c, assemble.c) so that each can be compared with the oracle's own
   output for that stage (_testinternalcapi.compiler_codegen, optimize_cfg,
   assemble_code_object; symtable; ast.parse(optimize=N)). */
#ifndef CPYC_COMPILE_H
#define CPYC_COMPILE_H

#include "front/ast.h"
#include "pyc/pyc.h"
#include "opcode.h"

/* ------------------------------------------------------------------ names.c */
/* An insertion-ordered map from strings (by content) to an int, in arena memory: the
   symbol table's symbols, a code unit's names/varnames/cellvars/freevars (value = index).
   Keys are not copied: they must outlive the map (interned AST identifiers, arena strings). */
typedef struct NameMap {
    Arena *arena;
    const char **keys;      /* in insertion order */
    uint32_t *klen;
    uint32_t *khash;        /* each key's hash: value_bytes_hash, which names made of it keep */
    intptr_t *vals;
    uint64_t *slots;        /* open addressing: hash << 32 | (index + 1 into keys), 0 = empty;
                               nslots 0 with keys: made by the first lookup (see
                               namemap_start_distinct) */
    uint32_t n, cap, nslots;
} NameMap;

void namemap_init(NameMap *m, Arena *a);
/* Index of key in insertion order, or -1. */
int namemap_find(const NameMap *m, const char *key);
/* Value of key, or dflt when absent. */
intptr_t namemap_get(const NameMap *m, const char *key, intptr_t dflt);
/* Sets key's value (adding it at the end when new); returns its index, -1 out of memory. */
int namemap_set(NameMap *m, const char *key, intptr_t val);
/* Adds key with value = its index when absent (CPython's dict_add_o); returns the index. */
int namemap_add_index(NameMap *m, const char *key);
bool namemap_del(NameMap *m, const char *key);   /* removes; later keys move up one place */
/* A key with its length and hash, for several lookups of one name. */
typedef struct NameKey { const char *s; size_t len; uint32_t hash; } NameKey;
void namemap_key(NameKey *k, const char *s);
intptr_t namemap_get_key(const NameMap *m, const NameKey *k, intptr_t dflt);
/* namemap_set and namemap_find with k's length and hash. */
int namemap_set_key(NameMap *m, const NameKey *k, intptr_t val);
int namemap_find_key(const NameMap *m, const NameKey *k);
/* A map's i-th key with the length and hash it keeps. */
static inline NameKey namemap_key_at(const NameMap *m, uint32_t i)
{
    return (NameKey){m->keys[i], m->klen[i], m->khash[i]};
}
/* Filling an empty map with n keys known to be distinct, without lookups: start gives room
   for n (and vals, when not NULL, becomes the map's value array, kept as it is); each push
   appends one key with its length, its NameKey hash and its value. false: out of memory.
   The slots wait for the first lookup: many maps (a block's symbols) are only walked. */
bool namemap_start_distinct(NameMap *m, uint32_t n, intptr_t *vals);
static inline void namemap_push_distinct(NameMap *m, const char *key, uint32_t len, uint32_t hash,
                                         intptr_t val)
{
    m->keys[m->n] = key, m->klen[m->n] = len, m->khash[m->n] = hash, m->vals[m->n] = val;
    m->n++;
}
/* namemap_add_index with k's length and hash. Inline when the map has room (the slot found,
   the key appended there); namemap_add_index_key_grow does the rest. */
int namemap_add_index_key_grow(NameMap *m, const NameKey *k);
static inline int namemap_add_index_key(NameMap *m, const NameKey *k)
{
    if ((m->n + 1) * 2 > m->nslots || m->n == m->cap) return namemap_add_index_key_grow(m, k);
    uint32_t mask = m->nslots - 1, i = k->hash & mask;
    for (uint64_t s; (s = m->slots[i]); i = (i + 1) & mask) {
        uint32_t j = (uint32_t)s - 1;
        if ((uint32_t)(s >> 32) == k->hash &&
            (m->keys[j] == k->s || (m->klen[j] == k->len && memcmp(m->keys[j], k->s, k->len) == 0)))
            return (int)m->vals[j];
    }
    uint32_t n = m->n;
    m->keys[n] = k->s, m->klen[n] = (uint32_t)k->len, m->khash[n] = k->hash, m->vals[n] = n;
    m->slots[i] = (uint64_t)k->hash << 32 | ++m->n;
    return (int)n;
}
/* dst (initialized here, in a's memory) as a copy of src: same keys, values and order. */
bool namemap_copy(NameMap *dst, const NameMap *src, Arena *a);
/* An empty map with room for room keys (no growing before); false out of memory. */
bool namemap_reserve(NameMap *m, uint32_t room);
/* The same with room for room keys in all (no growing before). */
bool namemap_copy_room(NameMap *dst, const NameMap *src, Arena *a, uint32_t room);

/* A string in arena memory (NUL-terminated), for names the back end makes ("_C__x", ".0"). */
const char *arena_strndup(Arena *a, const char *s, size_t len);
const char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ options */
/* co_flags bits (CPython's values), including the future features. */
enum {
    CO_OPTIMIZED = 0x0001, CO_NEWLOCALS = 0x0002, CO_VARARGS = 0x0004, CO_VARKEYWORDS = 0x0008,
    CO_NESTED = 0x0010, CO_GENERATOR = 0x0020, CO_NOFREE = 0x0040, CO_COROUTINE = 0x0080,
    CO_ITERABLE_COROUTINE = 0x0100, CO_ASYNC_GENERATOR = 0x0200, CO_HAS_DOCSTRING = 0x4000000,
    CO_METHOD = 0x8000000,
    CO_FUTURE_DIVISION = 0x20000, CO_FUTURE_ABSOLUTE_IMPORT = 0x40000,
    CO_FUTURE_WITH_STATEMENT = 0x80000, CO_FUTURE_PRINT_FUNCTION = 0x100000,
    CO_FUTURE_UNICODE_LITERALS = 0x200000, CO_FUTURE_BARRY_AS_BDFL = 0x400000,
    CO_FUTURE_GENERATOR_STOP = 0x800000, CO_FUTURE_ANNOTATIONS = 0x1000000,
};

typedef struct CompileOptions {
    const cpyc_target *target;
    int optimize;           /* 0; 1 (-O: asserts dropped, __debug__ false); 2 (-OO: docstrings too) */
    const char *filename;   /* co_filename, UTF-8 */
    const struct RefsEnv *refs_env;   /* what the compiling interpreter has interned (refs.c);
                                         NULL: a fresh py_compile's */
    struct CompileStats *stats;       /* NULL, or CPU seconds per stage added up (the bench) */
    Warnings *warnings;     /* NULL, or where the SyntaxWarnings go, in CPython's order */
    Arena *arena;           /* compile_to_pyc's working memory, reset after (one per thread,
                               reused across files); NULL: a fresh arena, freed after */
} CompileOptions;

/* Where the pipeline's CPU time goes (compile --bench); seconds, summed over compilations. */
typedef struct CompileStats {
    double parse, astopt, symtable, codegen, cfg, assemble, refs, marshal;
} CompileStats;
double compile_cpu_now(void);   /* this thread's CPU clock, seconds */
/* The clock of the per-unit laps (cfg, assemble: some 80,000 units in the stdlib): the
   monotonic clock, read without a system call, where the thread's CPU clock is one (~0.35 us
   a read, three reads a unit: 9% of a --stages run). Inside one unit the two agree unless
   the thread is preempted there. */
double compile_unit_now(void);

/* ------------------------------------------------------------------ future.c */
/* The `from __future__ import` features of a module (CPython's PyFutureFeatures). */
typedef struct FutureFeatures {
    unsigned features;      /* CO_FUTURE_* bits */
    int lineno, col;        /* where the last leading future import starts and ends */
    int end_lineno, end_col;/* (-1 everywhere: none, as CPython's ff_location) */
} FutureFeatures;

/* Reads the module's leading future imports (after an optional docstring), as
   _PyFuture_FromAST: "future feature X is not defined", "not a chance" as SyntaxErrors. */
int future_parse(const AstNode *mod, FutureFeatures *ff, cpyc_error *err);
/* For codegen at every ImportFrom (CPython checks it in compiler_from_import): a
   `from __future__ import` after the leading ones fails with "from __future__ imports must
   occur at the beginning of the file". 0, or -1 with err set. */
int future_check_import(const AstNode *importfrom, const FutureFeatures *ff, cpyc_error *err);

/* ------------------------------------------------------------------ ast_opt.c */
/* Constant folding and the other AST rewrites of CPython 3.13's ast_opt.c, in place:
   what ast.parse(src, optimize=N) returns. Folded subtrees are replaced by new nodes (the
   parents' pointers change); asserts and docstrings stay (codegen drops them). */
int ast_optimize(AstNode *mod, Arena *a, const CompileOptions *opt, const FutureFeatures *ff,
                 cpyc_error *err);

/* ------------------------------------------------------------------ const_eval.c */
/* Python 3.13's operations on constant Values as ast_opt folds them (op: the operator's
   AstKind). Each returns 0 with *out the result (a new Value or an operand's item), or *out
   NULL when CPython leaves the expression unfolded: the operation raises (ZeroDivisionError,
   OverflowError, TypeError...) or passes ast_opt's limits (MAX_INT_SIZE, MAX_STR_SIZE...);
   -1 only when memory runs out. New Values come from the consts builders (tcode 0). */
int const_unaryop(Arena *a, int op, const Value *v, Value **out);
int const_binop(Arena *a, int op, const Value *l, const Value *r, Value **out);
int const_subscript(Arena *a, const Value *v, const Value *idx, Value **out);
bool const_truth(const Value *v);                   /* bool(v) */
/* frozenset(items) as CPython builds it from a tuple: items equal (==) to an earlier one
   dropped, the rest in insertion order (repr_value_as gives CPython's iteration order). */
Value *const_frozenset_of(Arena *a, const cpyc_target *t, Value **items, size_t n);

/* ------------------------------------------------------------------ docstring.c */
/* _PyCompile_CleanDoc of 3.13: expandtabs(), then the first line's leading spaces and the
   common indentation of the later lines removed (blank lines kept). UTF-8 in and out: s
   itself when nothing changes, else arena memory (NUL-terminated); NULL for a lone
   surrogate (CPython's UnicodeEncodeError) or no memory. */
const char *docstring_clean(Arena *a, const char *s, size_t len, size_t *outlen);

/* ------------------------------------------------------------------ symtable.c */
/* Mirrors CPython 3.13's symtable (Include/internal/pycore_symtable.h): same block types,
   symbol flags and scopes, field meanings as in PySTEntryObject. */
typedef enum {
    ST_FUNCTION, ST_CLASS, ST_MODULE, ST_ANNOTATION, ST_TYPE_ALIAS, ST_TYPE_PARAMETERS,
    ST_TYPE_VARIABLE_BOUND
} StBlockType;

enum {   /* symbol flags */
    DEF_GLOBAL = 1, DEF_LOCAL = 2, DEF_PARAM = 4, DEF_NONLOCAL = 8, DEF_USE = 16,
    DEF_FREE = 32, DEF_FREE_CLASS = 64, DEF_IMPORT = 128, DEF_ANNOT = 256,
    DEF_COMP_ITER = 512, DEF_TYPE_PARAM = 1024, DEF_COMP_CELL = 2048,
    DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT,
    SYM_SCOPE_OFFSET = 12, SYM_SCOPE_MASK = 15 << 12,
};
enum { SC_LOCAL = 1, SC_GLOBAL_EXPLICIT, SC_GLOBAL_IMPLICIT, SC_FREE, SC_CELL };   /* scopes */
enum { COMP_NONE, COMP_LIST, COMP_GENEXP, COMP_SET, COMP_DICT };   /* StEntry.comprehension */

typedef struct StEntry StEntry;
typedef struct StDirective {    /* a name of a global or nonlocal statement, for its errors */
    const char *name;           /* mangled as the symbol */
    int lineno, col_offset, end_lineno, end_col_offset;
} StDirective;

struct StEntry {
    const char *name;           /* "top", the function/class name, "lambda", "listcomp" ... */
    StBlockType type;
    /* The key symtable_lookup finds the entry by: the pointer CPython's symtable_enter_block
       is given, i.e. what compile.c passes to _PySymtable_Lookup:
         ST_MODULE               the Module (or Expression, Interactive) node
         ST_FUNCTION             the FunctionDef / AsyncFunctionDef node; the Lambda node;
                                 the ListComp / SetComp / DictComp / GeneratorExp node (the
                                 expression, not its `comprehension` nodes)
         ST_CLASS                the ClassDef node
         ST_TYPE_PARAMETERS      the AstSeq of type_params (f[F_FunctionDef_type_params].s,
                                 F_ClassDef_type_params, F_TypeAlias_type_params)
         ST_TYPE_ALIAS           the TypeAlias node
         ST_TYPE_VARIABLE_BOUND  the TypeVar / ParamSpec / TypeVarTuple node for a bound,
                                 constraints or a ParamSpec / TypeVarTuple default;
                                 (const char *)TypeVar node + 1 for a TypeVar's default
         ST_ANNOTATION           (from __future__ import annotations only; never a child and
                                 never analyzed) the annotation expression of AnnAssign and of
                                 a return; the FunctionDef node for the argument annotations,
                                 which the function's own block then replaces in the map */
    const void *key;
    StEntry *parent;
    NameMap symbols;            /* name -> flags | scope << SYM_SCOPE_OFFSET, in CPython's order */
    NameMap varnames;           /* parameters, in order (value = index) */
    StEntry **children;         /* after analysis: inlined comprehensions replaced by their
                                   children, as CPython splices them */
    int nchildren, children_cap;
    const char *mangled_private;/* st_private when the block began (for a class: its name):
                                   the class whose names are mangled in it, or NULL */
    NameMap *mangled_names;     /* names that may be mangled in a type-param block, or NULL
                                   (one map shared with the blocks nested in it) */
    int comprehension;          /* COMP_* */
    const char *scope_info;     /* context for error messages ("a TypeVar default") */
    bool nested, free, child_free, generator, coroutine, varargs, varkeywords, returns_value;
    bool needs_class_closure, needs_classdict, comp_inlined, comp_iter_target;
    bool can_see_class_scope;
    int comp_iter_expr;
    int lineno, col_offset, end_lineno, end_col_offset;
    int opt_lineno, opt_col_offset;
    StDirective *directives;    /* ste_directives */
    int ndirectives, directives_cap;
};

typedef struct Symtable {
    Arena *arena;
    const char *filename;
    StEntry *top;               /* the module's block */
    FutureFeatures *future;
    /* + a map from AST node to entry (symtable.c) */
    void *impl;
} Symtable;

/* Builds the symbol table of a module; SyntaxErrors as CPython's symtable raises them (err's
   col and end_col are CPython's 1-based offsets: the byte column + 1). opt may be NULL (3.13). */
Symtable *symtable_build(AstNode *mod, const CompileOptions *opt, FutureFeatures *ff, Arena *a,
                         cpyc_error *err);
StEntry *symtable_lookup(const Symtable *st, const void *key);   /* NULL when not a block */
/* symtable_lookup when the block is likely the one made after prev (code generation meets
   the blocks mostly in the order they were made): that one tried first. */
StEntry *symtable_lookup_after(const Symtable *st, const StEntry *prev, const void *key);
uint32_t symtable_block_count(const Symtable *st);
int st_symbol_flags(const StEntry *e, const char *name);         /* 0 when unknown */
int st_symbol_scope(const StEntry *e, const char *name);         /* SC_*, 0 when unknown */
/* _PyST_IsFunctionLike: function, type alias, type parameters and type variable blocks. */
bool st_is_function_like(const StEntry *e);
/* _Py_Mangle: "_Class__name" for a private name inside a class, else name itself. */
const char *symtable_mangle(Arena *a, const char *privateobj, const char *name);
/* _Py_MaybeMangle (3.13): mangles only the names a type-param block says it may. */
const char *symtable_maybe_mangle(Arena *a, const char *privateobj, const StEntry *e,
                                  const char *name);

/* ------------------------------------------------------------------ consts.c */
/* CPython's constant key (_PyCode_ConstantKey): equal keys are one object in the module
   (the compiler's const cache), so 1, 1.0, True, -0.0 and 0.0 stay apart while equal
   strings, tuples and frozensets are merged. */
typedef struct ConstCache ConstCache;   /* module-wide: constant key -> the one Value */
ConstCache *const_cache_new(Arena *a);
/* The canonical object for v's key (v itself when new; tuples and frozensets merged item by
   item first, as _PyCode_ConstantKey/merge_consts_recursive do). NULL out of memory. */
Value *const_cache_merge(ConstCache *cc, Value *v);
/* The same, with *hash set to the key hash of v (and of the object returned). */
Value *const_cache_merge_hashed(ConstCache *cc, Value *v, uint64_t *hash);
/* The same without the items: _PyCompile_ConstCacheMergeOne, which the back end applies to
   a code object's own co_names, co_consts and localsplus names tuples, co_linetable and
   co_exceptiontable (and co_code), and flowgraph to the tuples it folds. A new tuple's items
   do not enter the cache. */
Value *const_cache_merge_one(ConstCache *cc, Value *v);
/* const_cache_merge_one of a tuple whose items' key hashes are ih[0..n) (a unit's
   ConstMap keeps them: the items are not hashed again). */
Value *const_cache_merge_one_tuple(ConstCache *cc, Value *v, const uint64_t *ih);
/* const_cache_merge_one of a tuple of names: strs whose data hashes are set. */
Value *const_cache_merge_one_names(ConstCache *cc, Value *v);
/* The module's one empty tuple or bytes for the empty v (v itself the first time): refs.c
   makes every one the immortal singleton, so the back end shares them at once (refs then
   walks one, not one per code object). */
Value *const_cache_empty(ConstCache *cc, Value *v);
/* const_cache_empty's objects so far (NULL before the first), for assemble_code. */
void const_cache_empties(const ConstCache *cc, Value **tuple, Value **bytes);
/* Zeroes Value.mark of every object in the cache (codegen's scratch: see unit_const_index). */
void const_cache_clear_marks(ConstCache *cc);
/* A code unit's constants by key, in order of first addition (u_metadata.u_consts). */
typedef struct ConstMap {
    Arena *arena;
    Value **items;
    uint32_t n, cap;
    uint64_t *slots;            /* by key: hash's high half << 32 | index + 1, 0 = empty */
    uint32_t nslots;
    uint64_t *hashes;           /* const_key_hash of items, by index */
} ConstMap;
void constmap_init(ConstMap *m, Arena *a);
int constmap_add(ConstMap *m, Value *v);        /* index of v's key, added at the end if new */
int constmap_find(const ConstMap *m, const Value *v);
/* Appends v, of key hash `hash`, known to be absent (codegen finds its constants by
   object); its index, -1 out of memory. */
int constmap_append_grow(ConstMap *m, Value *v, uint64_t hash);   /* when items is full */
static inline int constmap_append(ConstMap *m, Value *v, uint64_t hash)
{
    if (m->n == m->cap) return constmap_append_grow(m, v, hash);
    m->items[m->n] = v;
    m->hashes[m->n] = hash;
    if (m->nslots) m->slots = NULL, m->nslots = 0;   /* rebuilt by the next lookup */
    return (int)m->n++;
}
bool const_key_equal(const Value *a, const Value *b);
uint64_t const_key_hash(const Value *v);
/* Builders for the values codegen and the optimizers make (tcode 0: refs.c assigns type
   codes). Strings and bytes are copied into the arena; items arrays are copied. */
Value *const_none(Arena *a);
Value *const_ellipsis(Arena *a);
Value *const_bool(Arena *a, bool b);
Value *const_int(Arena *a, int64_t v);
Value *const_float(Arena *a, double d);
Value *const_complex(Arena *a, double re, double im);
Value *const_str(Arena *a, const char *utf8, size_t len);   /* UTF-8, surrogates allowed */
/* An identifier from the AST (names, attributes, keywords, import names, 'a.b' of import
   a.b): the parser interns these, so they stay interned wherever they go (a non-ASCII
   keyword in a kwnames tuple is written 't'). Use it for every string that comes from an
   identifier, also inside constant tuples. */
Value *const_name(Arena *a, const char *utf8, size_t len);
/* const_name over utf8 itself, not a copy: for texts that outlive the value (the parser's
   identifiers, in the compilation's arena, and string literals). */
Value *const_name_ref(Arena *a, const char *utf8, size_t len);
Value *const_bytes(Arena *a, const void *data, size_t len);
Value *const_tuple(Arena *a, Value **items, size_t n);
Value *const_frozenset(Arena *a, Value **items, size_t n);  /* distinct items, any order */

/* ------------------------------------------------------------------ refs.c */
/* Texts already interned in the compiling interpreter before the compile starts: an
   interned string of the module equal to one is that other object, so a constant equal to
   one is replaced rather than interned in place (a frozenset holding it is rebuilt, a class
   body's __qualname__ stays uninterned). Sorted byte-wise. */
typedef struct RefsEnv {
    const char *const *texts;
    const uint16_t *lens;       /* strlen of each */
    size_t n;
    const uint16_t *slots;      /* by value_bytes_hash, linear probing: text index + 1, 0 empty */
    uint32_t nslots;            /* a power of two */
} RefsEnv;
/* A target's refs_env: what `python3.N -m py_compile FILE` has interned when it compiles
   FILE in a fresh interpreter (targets/py3_N_interned.c). */

/* Gives every value of the module's code-object tree (as the back end builds it, tcode 0
   except identifiers from const_name) the marshal type code and FLAG_REF bit CPython 3.13's
   marshal writes, and makes one object of what CPython shares: interned strings (one per
   content, module-wide), small ints, (), b'' and one-byte bytes; co_code and
   co_localspluskinds get objects of their own. Sorts frozensets' items as marshal does.
   Call it once on the module's code object, after every code object is built: flags come
   from sharing across the whole tree. Sharing that comes from the compiler (the const
   cache, const_cache_merge_one of each code object's tuples and tables, the class body's
   __qualname__ constant being the very Value of its co_qualname) must be in the tree.
   env: the target's refs_env to write what py_compile writes; NULL for nothing. */
int refs_assign(Value *module, const RefsEnv *env, Arena *a, cpyc_error *err);
/* refs_assign and marshal_write_object of the module in one walk, appended to out: the
   same bytes (the tree's type codes are not all left as refs_assign leaves them). The tree
   is spent after it: its walk marks (Value.mark) are left set, for the arena to drop. */
int refs_write(Buf *out, Value *module, const RefsEnv *env, Arena *a, cpyc_error *err);
/* Whether a str is at most one character below 256: one of CPython's static singletons
   unless it is marked fresh. */
bool refs_latin1_char(const Value *v);

/* ------------------------------------------------------------------ instrseq.c */
/* A source location; -1 everywhere is CPython's NO_LOCATION. */
typedef struct SrcLoc { int32_t lineno, end_lineno, col, end_col; } SrcLoc;
#define NO_LOC ((SrcLoc){-1, -1, -1, -1})
static inline SrcLoc loc_of(const AstNode *n)
{
    return (SrcLoc){n->lineno, n->end_lineno, n->col_offset, n->end_col_offset};
}
static inline bool loc_same(SrcLoc a, SrcLoc b)
{
    return a.lineno == b.lineno && a.end_lineno == b.end_lineno && a.col == b.col &&
           a.end_col == b.end_col;
}

typedef struct ExceptHandlerInfo {
    int label;          /* handler's label, -1 for none */
    int startdepth;
    int preserve_lasti;
} ExceptHandlerInfo;

typedef struct Instr {
    int opcode;         /* Opcode: real (< 256) or pseudo */
    int oparg;          /* jumps and SETUP_*: a label id until instrseq_apply_labels */
    SrcLoc loc;
    ExceptHandlerInfo eh;
    union { int target, offset; };   /* scratch for the stage that converts a sequence (one
                                        name or the other): 40 bytes, as the CFG's CInstr, so
                                        cfg_optimize takes codegen's array in place */
} Instr;

/* CPython's instruction sequence: what codegen emits (labels in jump arguments) and what
   the CFG stage hands the assembler. Nested sequences are kept for the codegen test view. */
typedef struct InstrSeq {
    Arena *arena;
    Instr *instrs;
    int n, cap;
    int next_label;     /* next free label id */
    int *labelmap;      /* label id -> instruction index, -1 when not yet placed */
    int labelmap_cap;
    struct Cfg *cfg;    /* cfg_optimize's graph, which cfg_finish continues from, or NULL */
} InstrSeq;

void instrseq_init(InstrSeq *s, Arena *a);
int instrseq_new_label(InstrSeq *s);                   /* a fresh label id (-1: no memory) */
/* Places label before the next instruction; -1 for a label not made by instrseq_new_label. */
static inline int instrseq_use_label(InstrSeq *s, int label)
{
    if (label < 0 || label >= s->next_label) return -1;
    s->labelmap[label] = s->n;
    return 0;
}
int instrseq_addop(InstrSeq *s, int opcode, int oparg, SrcLoc loc);   /* index or -1 */
int instrseq_insert(InstrSeq *s, int pos, int opcode, int oparg, SrcLoc loc);
/* Replaces every label argument (jumps, SETUP_*) by the index of its instruction; the
   sequence then has no labels (next_label 0), the form cfg_optimize takes. */
int instrseq_apply_labels(InstrSeq *s);
bool opcode_has_target(int opcode);     /* jumps, FOR_ITER, SEND, SETUP_* ... (3.13's HAS_TARGET) */

/* ------------------------------------------------------------------ unparse.c */
/* An expression as CPython 3.13's C unparser writes it (annotations under
   `from __future__ import annotations`): appended to b, or as a str constant. */
void unparse_expr(Buf *b, const AstNode *e);
Value *unparse_annotation(Arena *a, const AstNode *e);
Value *ast_unparse_annotation(Arena *a, const AstNode *e, cpyc_error *err);   /* err: out of memory */

/* ------------------------------------------------------------------ codegen.c */
/* What a code unit is compiled with besides its instructions (CPython's
   _PyCompile_CodeUnitMetadata). */
typedef struct CodeUnitMeta {
    const char *name, *qualname;
    /* name's length and value_bytes_hash when codegen knows name to be the parser's
       identifier (a def's or class's name: its IdentHead's), qualname's length when codegen
       joined it; 0 when not known (assemble_code measures and refs.c hashes then) */
    uint32_t name_len, name_hash, qualname_len;
    Value *qualname_obj;    /* the str object of qualname when codegen made one (a class body
                               loads it as __qualname__: co_qualname is that very object, as
                               u_qualname is in CPython), else NULL: assemble_code makes one */
    ConstMap consts;
    NameMap names, varnames, cellvars, freevars, fasthidden;
    int argcount, posonlyargcount, kwonlyargcount;
    int firstlineno;
} CodeUnitMeta;

/* Compiles an optimized module AST to its code object (a V_CODE Value with every nested code
   object, constants merged module-wide). Compiler SyntaxErrors as CPython's. */
Value *codegen_module(AstNode *mod, Symtable *st, const CompileOptions *opt,
                      const FutureFeatures *ff, ConstCache *cc, Arena *a, cpyc_error *err);

/* The test view of code generation (`cpyc codegen`, _testinternalcapi.compiler_codegen):
   every unit's sequence as codegen left it (labels resolved to instruction indices, the
   return epilogue included) with its metadata, nested units in the order they ended. */
typedef struct CodegenView CodegenView;
struct CodegenView {
    CodeUnitMeta meta;
    InstrSeq seq;
    CodegenView **nested;
    int nnested, nested_cap;
};
/* As codegen_module, keeping the views; with codegen_only no CFG pass or assembly runs and
   nested code objects are stand-ins (V_CODE values naming their unit). */
Value *codegen_module_view(AstNode *mod, Symtable *st, const CompileOptions *opt,
                           const FutureFeatures *ff, ConstCache *cc, Arena *a,
                           bool codegen_only, CodegenView **view, cpyc_error *err);

/* ------------------------------------------------------------------ flowgraph.c */
/* CPython 3.13's _PyCfg_OptimizeCodeUnit: the CFG passes over codegen's sequence (jump
   threading, dead code, constant folding of tuples, superinstructions, LOAD_FAST checks,
   unused constants...); consts may gain and lose items (indices rewritten).
   - seq: labels applied (next_label 0: jump and SETUP_* arguments are instruction indices,
     as instrseq_apply_labels leaves them; a sequence with labels is an error). On return
     it holds no instructions but the optimized graph (seq->cfg) for cfg_finish, which
     goes on with it as CPython does; cfg_optimized_seq writes it out.
   - consts: items may be appended (folded tuples, TO_BOOL's bools, merged through cc as
     CPython's add_const does: an existing item is reused only when it is the same object)
     and dropped; its lookup slots are reset (rebuilt by the next constmap_add). cc NULL:
     no merging (tests). CPython passes firstlineno but 3.13 reads it nowhere.
   The opcode metadata is the target's opmeta (opmeta.h). */
int cfg_optimize(const cpyc_target *t, InstrSeq *seq, ConstMap *consts, ConstCache *cc,
                 int nlocals, int nparams, int firstlineno, cpyc_error *err);
/* The optimized sequence of seq (from cfg_optimize, before cfg_finish) as optimize_cfg's
   test entry returns it: labels applied, Instr.target 1 on the first instruction of each
   basic block, eh.label/preserve_lasti naming each instruction's handler. */
int cfg_optimized_seq(const InstrSeq *seq, InstrSeq *out);
/* _PyCfg_OptimizedCfgToInstructionSequence: pseudo instructions made real, exception
   handlers labelled, stack depth, cell/free prefix (MAKE_CELL, COPY_FREE_VARS,
   RETURN_GENERATOR), line numbers resolved; out receives the final sequence (initialized
   here): real opcodes only (JUMP and JUMP_NO_INTERRUPT already resolved to JUMP_FORWARD /
   JUMP_BACKWARD[_NO_INTERRUPT] by instruction index, as the assembler's
   resolve_unconditional_jumps does), jump arguments and eh.label instruction indices,
   eh.startdepth/preserve_lasti the handler's. *stackdepth is CPython's (0 possible; the
   code object stores 1). seq must come from cfg_optimize; its graph is used up. */
int cfg_finish(InstrSeq *seq, CodeUnitMeta *meta, int code_flags, InstrSeq *out,
               int *stackdepth, int *nlocalsplus, cpyc_error *err);

/* ------------------------------------------------------------------ assemble.c */
/* The final sequence to a code object: co_code with inline caches and EXTENDED_ARG, the
   location table, the exception table, localsplus names and kinds; string and other
   constants given the type codes and FLAG_REF bits CPython's marshal would write.
   What it expects (CPython's _PyAssemble_MakeCodeObject after ApplyLabelMap):
   - final: real opcodes, or the pseudo jumps JUMP / JUMP_NO_INTERRUPT (their direction is
     chosen here); jump arguments AND eh.label are instruction indices (labels applied),
     eh.label -1 outside any handler; eh.startdepth/preserve_lasti as CPython's handler info.
   - meta: varnames values are localsplus offsets (0..); cellvars values 0.. (a cell that
     is also in varnames keeps its varnames slot, CPython's fix_cell_offsets); freevars
     values start at cellvars.n, as CPython's dictbytype(..., offset = ncellvars) gives them;
     fasthidden: every name present is CO_FAST_HIDDEN, whatever its value (CPython tests
     membership, so names set back to False stay hidden); argcount excludes posonlyargcount
     (u_argcount); qualname NULL means name; qualname_obj, when set, is co_qualname itself.
   - stackdepth 0 is stored as 1, as _PyCode_New does; code_flags are stored as given (3.13
     never adds CO_NOFREE).
   The Values it makes (bytes, str, tuples) carry tcode 0: refs.c assigns type codes and
   FLAG_REF for the whole module. co_code, co_linetable, co_exceptiontable, co_names,
   co_consts and co_localsplusnames go through cc (when not NULL) as CPython merges them;
   co_localspluskinds is a fresh bytes object; names, co_filename, co_name and co_qualname
   (unless qualname_obj) fresh const_name strings; co_filename's text is file's, not a copy
   (one per module, not per code object). */
/* co_filename for assemble_code: its text (NUL-terminated; it outlives the code objects,
   e.g. in their arena), its length and its value_bytes_hash, which the co_filename string
   keeps (hashed once per module, not per code object), or 0: hashed when asked. */
typedef struct CodeFilename { const char *s; size_t len; uint32_t hash; } CodeFilename;
enum { CO_FAST_HIDDEN = 0x10, CO_FAST_LOCAL = 0x20, CO_FAST_CELL = 0x40, CO_FAST_FREE = 0x80 };
Value *assemble_code(const cpyc_target *t, const InstrSeq *final, CodeUnitMeta *meta,
                     ConstCache *cc, int stackdepth, int nlocalsplus, int code_flags,
                     const CodeFilename *file, Arena *a, cpyc_error *err);
/* Code units one instruction takes: EXTENDED_ARG prefixes, itself, its inline caches. */
int assemble_instr_size(const cpyc_target *t, int opcode, int oparg);

/* ------------------------------------------------------------------ compile.c */
/* The whole back end over source bytes: decode, parse, future, optimize, symtable, codegen;
   returns the module code object (arena memory) or NULL with err set. */
Value *compile_source(const uint8_t *src, size_t len, const CompileOptions *opt, Arena *a,
                      cpyc_error *err);
/* The same, as the bytes of a .pyc (header per h, whose magic and target the options give). */
int compile_to_pyc(const uint8_t *src, size_t len, const CompileOptions *opt, PycHeader *h,
                   Buf *out, cpyc_error *err);

#endif
