/* codegen_internal.h - the code generator's private state (compiler, units, frame blocks)
   and the emit helpers its files share (codegen*.c). */
#ifndef CPYC_CODEGEN_INTERNAL_H
#define CPYC_CODEGEN_INTERNAL_H

#include "compile.h"

/* CPython's limits and operand encodings (Include/internal/pycore_*.h). */
enum { CO_MAXBLOCKS = 21, STACK_USE_GUIDELINE = 30 };
enum {
    INTRINSIC_PRINT = 1, INTRINSIC_IMPORT_STAR, INTRINSIC_STOPITERATION_ERROR,
    INTRINSIC_ASYNC_GEN_WRAP, INTRINSIC_UNARY_POSITIVE, INTRINSIC_LIST_TO_TUPLE,
    INTRINSIC_TYPEVAR, INTRINSIC_PARAMSPEC, INTRINSIC_TYPEVARTUPLE,
    INTRINSIC_SUBSCRIPT_GENERIC, INTRINSIC_TYPEALIAS,
};
enum {
    INTRINSIC_PREP_RERAISE_STAR = 1, INTRINSIC_TYPEVAR_WITH_BOUND,
    INTRINSIC_TYPEVAR_WITH_CONSTRAINTS, INTRINSIC_SET_FUNCTION_TYPE_PARAMS,
    INTRINSIC_SET_TYPEPARAM_DEFAULT,
};
enum {
    MAKE_FUNCTION_DEFAULTS = 1, MAKE_FUNCTION_KWDEFAULTS = 2, MAKE_FUNCTION_ANNOTATIONS = 4,
    MAKE_FUNCTION_CLOSURE = 8,
};
enum { RESUME_AT_FUNC_START, RESUME_AFTER_YIELD, RESUME_AFTER_YIELD_FROM, RESUME_AFTER_AWAIT };
enum { FVC_STR = 1, FVC_REPR = 2, FVC_ASCII = 3 };

/* Compiler scopes (what kind of code object a unit becomes). */
enum {
    SCOPE_MODULE, SCOPE_CLASS, SCOPE_FUNCTION, SCOPE_ASYNC_FUNCTION, SCOPE_LAMBDA,
    SCOPE_COMPREHENSION, SCOPE_TYPEPARAMS,
};

/* Frame blocks: what return/break/continue must unwind. */
typedef enum {
    FB_WHILE_LOOP, FB_FOR_LOOP, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END, FB_WITH,
    FB_ASYNC_WITH, FB_HANDLER_CLEANUP, FB_POP_VALUE, FB_EXCEPTION_HANDLER,
    FB_EXCEPTION_GROUP_HANDLER, FB_ASYNC_COMPREHENSION_GENERATOR, FB_STOP_ITERATION,
} FBlockType;

typedef struct FBlock {
    FBlockType type;
    int block;              /* label, -1 for none */
    SrcLoc loc;
    int exit;               /* label, -1 for none */
    const void *datum;      /* FINALLY_TRY: the finally body (AstSeq); HANDLER_CLEANUP: the
                               name (const char *) */
} FBlock;

/* What the unit resolved for one name, by the address of the name as written (identifiers
   are interned, so a name is mostly one pointer): cg_nameop's scope and index, valid while
   gen is the unit's (inlined comprehensions change scopes: they start a new generation), and
   the index in co_names of the name's mangled form, valid for good. */
typedef struct NameRes {
    const char *key;    /* NULL: a free slot */
    uint32_t gen;
    int arg;            /* cg_nameop's index in its table */
    int names_arg;      /* index in co_names, or -1 */
    uint8_t scope, kind;
    uint16_t op[3];     /* cg_nameop's instruction for Load, Store, Del (arg its argument)
                           when it needs no other before it; 0 when not known yet */
    uint8_t imported;   /* cg_imported: 0 not known yet, 1 no, 2 yes */
} NameRes;

/* A unit's constant by object (see unit_const_index). */
typedef struct ConstRef { const void *key; int idx; } ConstRef;

enum { UNIT_CONSTS = 8, UNIT_LABELS = 32 };
typedef struct Unit Unit;
struct Unit {
    ConstRef *cref;             /* constants by address past the first few: open addressing,
                                   a power of two long (NULL: none yet) */
    uint32_t cref_cap;
    int none_idx, ellipsis_idx; /* index + 1 of None and Ellipsis in the constants, 0: none */
    Arena *arena;               /* what dies with the unit (see unit_arena); values: c->arena */
    NameRes *res;               /* open addressing, a power of two long (NULL: none yet) */
    uint32_t nres, res_cap;
    uint32_t res_gen, gen_count;/* the resolutions' current generation; the last one made
                                   (from 1: a resolution of generation 0 knows nothing) */
    StEntry *ste;
    int scope_type;
    const char *private_name;   /* class name for mangling, or NULL */
    NameMap *static_attrs;      /* class units: names assigned as self.X */
    InstrSeq seq;
    int *jumps;                 /* indices in seq of the instructions with a label argument */
    int njumps, jumps_cap;
    int nfblocks;
    int in_inlined_comp;
    uint8_t class_syms;         /* class units: bit CK_* set when that name is one of the
                                   block's symbols (see cg_class_nameop) */
    CodeUnitMeta meta;
    Unit *parent;               /* the unit below on the stack */
    CodegenView *view;          /* when views are kept: this unit's */
    FBlock fblock[CO_MAXBLOCKS];/* not zeroed (unit_new), only the first nfblocks are read */
    /* the first UNIT_CONSTS constants' room (meta.consts starts with it: most units have few,
       and growing from none costs more than the unit's other setup); not zeroed either */
    Value *const_items[UNIT_CONSTS];
    uint64_t const_hashes[UNIT_CONSTS];
    int label_room[UNIT_LABELS];/* the first labels' map (cg_label_grow), not zeroed either */
};

/* A constant the cache made the object of its key, with the key's hash. */
typedef struct CachedConst { Value *m; uint64_t h; } CachedConst;
enum { SMALL_INTS = 64 };   /* 0 .. SMALL_INTS - 1 (see cg_add_const) */

/* The names of a class body's prologue and epilogue (see cg_class_nameop). */
enum { CK_NAME, CK_MODULE, CK_QUALNAME, CK_FIRSTLINENO, CK_STATIC_ATTRIBUTES, CK_COUNT };

typedef struct Compiler {
    Arena *arena;
    Symtable *st;
    FutureFeatures future;
    const CompileOptions *opt;
    int optimize;
    ConstCache *cc;
    cpyc_error *err;
    Unit *u;
    Unit *top;                  /* the module's unit */
    int nestlevel;
    bool keep_views;            /* keep every unit's sequence (the codegen test view) */
    bool codegen_only;          /* no CFG passes or assembly: code objects are stand-ins */
    Value **codes;              /* the module's distinct code objects (see canonical_code) */
    uint64_t *code_hashes;      /* code_hash of each */
    uint32_t *code_slots;       /* open addressing: index + 1 into codes, 0 = empty */
    int ncodes, codes_cap, ncode_slots;
    int codes_first_cap;        /* codes' first room: the symbol table's blocks bound them */
    const StEntry *last_ste;    /* the block of the unit entered last (symtable_lookup_after) */
    Value *none;                /* the None constant codegen loads */
    uint64_t none_hash;         /* its key hash (0: not yet) */
    CodeFilename file;          /* co_filename: one arena copy of opt->filename and its hash */
    NameKey class_keys[CK_COUNT];   /* their keys, made at the first class (s NULL: not yet) */
    CachedConst *small_ints;    /* by value, SMALL_INTS of them, then False, True (NULL: none yet) */
    /* the keyword-name tuples made so far, by their identifiers' addresses (see
       cg_load_name_tuple; NULL: none yet) */
    struct NameTuple { uint64_t key; const char **ids; uint32_t n; Value *m; uint64_t h; } *name_tuples;
    uint32_t name_tuples_mask, nname_tuples;
} Compiler;

#define NO_LABEL (-1)

/* Every helper returns 0 or -1 (err set); RET propagates. */
#define RET(x) do { if ((x) < 0) return -1; } while (0)

/* codegen.c: emitting */
int cg_error(Compiler *c, SrcLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cg_nomem(Compiler *c);
int cg_opi_grow(Compiler *c, SrcLoc loc, int op, int oparg);   /* cg_opi when the sequence is full */
static inline int cg_opi(Compiler *c, SrcLoc loc, int op, int oparg)
{
    InstrSeq *s = &c->u->seq;
    if (s->n == s->cap) return cg_opi_grow(c, loc, op, oparg);
    /* instrseq_addop's record, without the call, and its head only: what codegen hands on
       (the CFG, the views, the stand-ins) reads no more than opcode, oparg and loc */
    Instr *in = &s->instrs[s->n++];
    in->opcode = op, in->oparg = oparg, in->loc = loc;
    return 0;
}
static inline int cg_op(Compiler *c, SrcLoc loc, int op) { return cg_opi(c, loc, op, 0); }
int cg_note_jump_grow(Compiler *c, int index);      /* cg_jump's record when jumps is full */
/* Every instruction with a label argument comes from here (and the one instrseq_insert of
   cg_wrap_in_stopiteration_handler): the unit keeps their places, the only ones
   assemble_unit has to resolve. */
static inline int cg_jump(Compiler *c, SrcLoc loc, int op, int label)
{
    if (cg_opi(c, loc, op, label) < 0) return -1;
    Unit *u = c->u;
    if (u->njumps == u->jumps_cap) return cg_note_jump_grow(c, u->seq.n - 1);
    u->jumps[u->njumps++] = u->seq.n - 1;
    return 0;
}
int cg_label_grow(Compiler *c);                     /* cg_label when labelmap is full */
static inline int cg_label(Compiler *c)             /* new label id, -1 out of memory */
{
    InstrSeq *s = &c->u->seq;
    /* labelmap's room past next_label is -1 already (instrseq_new_label fills it so) */
    return s->next_label < s->labelmap_cap ? s->next_label++ : cg_label_grow(c);
}
/* Places label before the next instruction. */
static inline int cg_use_label(Compiler *c, int label)
{
    return instrseq_use_label(&c->u->seq, label) < 0 ? cg_nomem(c) : 0;
}
int cg_add_const(Compiler *c, Value *v);            /* index in the unit's consts */
int cg_load_const(Compiler *c, SrcLoc loc, Value *v);
int cg_add_none(Compiler *c);                       /* cg_add_const of None */
int cg_load_none_new(Compiler *c, SrcLoc loc);       /* cg_load_none when None is no constant yet */
static inline int cg_load_none(Compiler *c, SrcLoc loc)
{
    int idx = c->u->none_idx;   /* mostly there already (a function's docstring slot) */
    return idx ? cg_opi(c, loc, OP_LOAD_CONST, idx - 1) : cg_load_none_new(c, loc);
}
Value *cg_none(Compiler *c);                        /* the compilation's None (NULL: no memory) */
int cg_load_str(Compiler *c, SrcLoc loc, const char *s);
int cg_load_int(Compiler *c, SrcLoc loc, int64_t v);
Value *cg_str(Compiler *c, const char *s);
/* A str constant from an identifier: the parser interned it, so it stays interned (marshal's
   't' even where intern_string_constants would not intern it). */
Value *cg_ident(Compiler *c, const char *s);
/* cg_ident of one of the parser's identifiers: its length and hash from its IdentHead. */
Value *cg_ident_id(Compiler *c, const char *id);
static inline NameKey ident_key(const char *id)
{
    return (NameKey){id, ident_head(id)->len, ident_head(id)->hash};
}
/* The identifier itself when not mangled, else the new (not interned) mangled string. */
Value *cg_mangled(Compiler *c, const char *mangled, const char *name);
/* LOAD_CONST of cg_ident_id(id): id is one of the parser's identifiers. */
int cg_load_ident(Compiler *c, SrcLoc loc, const char *id);
/* LOAD_CONST of the tuple of the n identifiers ids (CALL_KW's names): the cache's object,
   found again by the identifiers' addresses when the file made it before. */
int cg_load_name_tuple(Compiler *c, SrcLoc loc, const char *const *ids, uint32_t n);
/* Names-table ops (IMPORT_NAME, LOAD_ATTR, LOAD_METHOD, LOAD_SUPER_* ...): mangled, encoded. */
int cg_op_name(Compiler *c, SrcLoc loc, int op, NameMap *dict, const char *name);
/* cg_op_name into co_names for an identifier of the parser's (its IdentHead known). */
int cg_op_ident(Compiler *c, SrcLoc loc, int op, const char *id);
int cg_op_o(Compiler *c, SrcLoc loc, int op, NameMap *dict, const char *name);
int cg_nameop(Compiler *c, SrcLoc loc, const char *name, int ctx);   /* ctx: AST_Load/Store/Del */
/* cg_nameop of the class body's name CK_*: each once per class, of a key made once. */
int cg_class_nameop(Compiler *c, SrcLoc loc, int which, int ctx);
/* Whether the module's block binds name by an import (DEF_IMPORT); name is the parser's
   identifier (its IdentHead's key is read). */
bool cg_imported(Compiler *c, const char *name);
/* Forgets cg_nameop's resolutions in the current unit (the scopes of names changed): a new
   generation, which returns the previous one (cg_names_restored) once what changed is as it
   was before, so the resolutions made before count again. */
static inline uint32_t cg_names_changed(Compiler *c)
{
    uint32_t g = c->u->res_gen;
    c->u->res_gen = ++c->u->gen_count;
    return g;
}
static inline void cg_names_restored(Compiler *c, uint32_t gen) { c->u->res_gen = gen; }
int cg_scope(Compiler *c, const char *name);        /* scope of a name in the current unit */
bool cg_is_function_like(const StEntry *ste);
int cg_push_fblock(Compiler *c, SrcLoc loc, FBlockType t, int block, int exit, const void *datum);
void cg_pop_fblock(Compiler *c);
int cg_enter_scope(Compiler *c, const char *name, int scope_type, const void *key, int lineno);
/* cg_enter_scope of a unit named by the parser's identifier id (its IdentHead's length and
   hash kept for co_name) */
int cg_enter_scope_id(Compiler *c, const char *id, int scope_type, const void *key, int lineno);
/* Ends the current unit (return epilogue when add_none >= 0: None first when 1), makes its code
   object and pops it; *meta receives the unit's metadata (for the closure). */
Value *cg_exit_scope(Compiler *c, int add_return, CodeUnitMeta **meta);
void cg_abandon_scope(Compiler *c);
int cg_make_closure(Compiler *c, SrcLoc loc, Value *co, const CodeUnitMeta *m, int flags);
int cg_wrap_in_stopiteration_handler(Compiler *c);
bool cg_top_level_await(Compiler *c);

/* codegen_stmt.c */
int cg_stmt(Compiler *c, const AstNode *s);
int cg_stmts(Compiler *c, const AstSeq *body);
int cg_body(Compiler *c, SrcLoc loc, const AstSeq *stmts);   /* module and class bodies */
const Value *cg_docstring(const AstSeq *body);
Value *cg_clean_doc(Compiler *c, const Value *doc);
int cg_function(Compiler *c, const AstNode *s, bool is_async);
int cg_class(Compiler *c, const AstNode *s);
int cg_typealias(Compiler *c, const AstNode *s);
int cg_unwind_fblock_stack(Compiler *c, SrcLoc *loc, bool preserve_tos, FBlock **loop);
int cg_with(Compiler *c, const AstNode *s, int pos);
int cg_async_with(Compiler *c, const AstNode *s, int pos);
int cg_try(Compiler *c, const AstNode *s);
int cg_try_star(Compiler *c, const AstNode *s);
int cg_add_yield_from(Compiler *c, SrcLoc loc, bool await);
int cg_pop_except_and_reraise(Compiler *c, SrcLoc loc);
int cg_call_exit_with_nones(Compiler *c, SrcLoc loc);

/* codegen_expr.c */
int cg_expr(Compiler *c, const AstNode *e);
int cg_exprs(Compiler *c, const AstSeq *s);
int cg_jump_if(Compiler *c, SrcLoc loc, const AstNode *e, int next, bool cond);
int cg_call_helper(Compiler *c, SrcLoc loc, int n, const AstSeq *args, const AstSeq *keywords);
int cg_slice(Compiler *c, const AstNode *s);        /* values pushed, -1 on error */
int cg_addcompare(Compiler *c, SrcLoc loc, int op); /* op: AST_Eq... */
int cg_binop(Compiler *c, SrcLoc loc, int op, bool inplace);
/* UNPACK_SEQUENCE, or UNPACK_EX around the one element of kind star_kind (AST_Starred,
   AST_MatchStar); what names the construct in the errors ("assignment"). */
int cg_unpack(Compiler *c, SrcLoc loc, const AstSeq *elts, int star_kind, const char *what);
/* A multi-line attribute access starts where its name does (cg_attr_loc_lines: when it is
   one, seldom). */
SrcLoc cg_attr_loc_lines(SrcLoc loc, const AstNode *attr);
static inline SrcLoc cg_attr_loc(SrcLoc loc, const AstNode *attr)
{
    return loc.lineno == attr->end_lineno ? loc : cg_attr_loc_lines(loc, attr);
}
int cg_check_ann_expr(Compiler *c, const AstNode *e);
int cg_lambda(Compiler *c, const AstNode *e);
int cg_comprehension(Compiler *c, const AstNode *e);

/* codegen_warn.c: the compiler's SyntaxWarnings, to opt->warnings (no-ops without) */
void cg_check_caller(Compiler *c, const AstNode *func);   /* a call of a literal */
void cg_check_subscript(Compiler *c, const AstNode *e);   /* a literal subscripted or index (Load) */
void cg_check_compare(Compiler *c, const AstNode *e);     /* "is" with a literal */
void cg_check_assert(Compiler *c, const AstNode *s);      /* assert of a non-empty tuple */

/* codegen_pattern.c */
int cg_match(Compiler *c, const AstNode *s);

/* Field access shorthands. */
#define FN(x, K, F) ((x)->f[F_##K##_##F].n)
#define FS(x, K, F) ((x)->f[F_##K##_##F].s)
#define FI(x, K, F) ((x)->f[F_##K##_##F].i)
#define FID(x, K, F) ((x)->f[F_##K##_##F].id)
#define FV(x, K, F) ((x)->f[F_##K##_##F].v)
static inline uint32_t seq_len(const AstSeq *s) { return s ? s->n : 0; }
static inline AstNode *seq_at(const AstSeq *s, uint32_t i) { return (AstNode *)s->items[i]; }

#endif
