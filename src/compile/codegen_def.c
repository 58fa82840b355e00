/* codegen_def.c - definitions: functions and lambdas (defaults, annotations, decorators),
   classes (the class body prologue and epilogue), PEP 695 type parameters and `type`. */
#include <stdlib.h>
#include <string.h>

#include "codegen_internal.h"

static SrcLoc LOC(const AstNode *n) { return loc_of(n); }

static inline int check_debug_arg(Compiler *c, const AstNode *arg)
{
    if (arg && FID(arg, arg, arg)[0] == '_' && strcmp(FID(arg, arg, arg), "__debug__") == 0)
        return cg_error(c, LOC(arg), "cannot assign to __debug__");
    return 0;
}

/* check_debug_arg over a list of parameters; *ann |= whether one is annotated. */
static int check_debug_seq(Compiler *c, const AstSeq *s, bool *ann)
{
    for (uint32_t i = 0; i < s->n; i++) {
        const AstNode *a = seq_at(s, i);
        RET(check_debug_arg(c, a));
        *ann |= FN(a, arg, annotation) != NULL;
    }
    return 0;
}

/* The parameters' __debug__ check, in CPython's order; *annotated: whether any of them has
   an annotation (else annotations need not walk them again). */
static int check_debug_args(Compiler *c, const AstNode *args, bool *annotated)
{
    const AstSeq *po = FS(args, arguments, posonlyargs), *as = FS(args, arguments, args);
    const AstSeq *ko = FS(args, arguments, kwonlyargs);
    const AstNode *va = FN(args, arguments, vararg), *kwa = FN(args, arguments, kwarg);
    *annotated = false;
    if (seq_len(po)) RET(check_debug_seq(c, po, annotated));
    if (seq_len(as)) RET(check_debug_seq(c, as, annotated));
    if (va) {
        RET(check_debug_arg(c, va));
        *annotated |= FN(va, arg, annotation) != NULL;
    }
    if (seq_len(ko)) RET(check_debug_seq(c, ko, annotated));
    if (kwa) {
        RET(check_debug_arg(c, kwa));
        *annotated |= FN(kwa, arg, annotation) != NULL;
    }
    return 0;
}

static const char *mangle(Compiler *c, const char *name)
{
    const char *m = symtable_maybe_mangle(c->arena, c->u->private_name, c->u->ste, name);
    if (!m) cg_nomem(c);
    return m;
}

/* Pushes the keyword-only defaults dict: 1 when pushed, 0 when none, -1 on error. */
static int kwonly_defaults(Compiler *c, SrcLoc loc, const AstSeq *kwonlyargs, const AstSeq *kw_defaults)
{
    uint32_t n = seq_len(kwonlyargs), count = 0;
    if (!n) return 0;   /* (most functions) */
    Value **keys = arena_alloc(c->arena, (n + 1) * sizeof *keys);
    if (!keys) return cg_nomem(c);
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *arg = seq_at(kwonlyargs, i), *dflt = seq_at(kw_defaults, i);
        if (!dflt) continue;
        const char *m = mangle(c, FID(arg, arg, arg));
        if (!m || !(keys[count++] = cg_mangled(c, m, FID(arg, arg, arg)))) return cg_nomem(c);
        RET(cg_expr(c, dflt));
    }
    if (!count) return 0;
    RET(cg_load_const(c, loc, const_tuple(c->arena, keys, count)));
    RET(cg_opi(c, loc, OP_BUILD_CONST_KEY_MAP, (int)count));
    return 1;
}

static int default_arguments(Compiler *c, SrcLoc loc, const AstNode *args)
{
    int flags = 0;
    const AstSeq *defaults = FS(args, arguments, defaults);
    if (seq_len(defaults)) {
        RET(cg_exprs(c, defaults));
        RET(cg_opi(c, loc, OP_BUILD_TUPLE, (int)defaults->n));
        flags |= MAKE_FUNCTION_DEFAULTS;
    }
    int r = kwonly_defaults(c, loc, FS(args, arguments, kwonlyargs), FS(args, arguments, kw_defaults));
    RET(r);
    if (r) flags |= MAKE_FUNCTION_KWDEFAULTS;
    return flags;
}

static int annotation_value(Compiler *c, const AstNode *ann, SrcLoc loc)
{
    if (c->future.features & CO_FUTURE_ANNOTATIONS) {
        Value *s = unparse_annotation(c->arena, ann);
        if (!s) return cg_nomem(c);
        return cg_load_const(c, LOC(ann), s);
    }
    if (ann->kind == AST_Starred) {   /* *args: *Ts */
        RET(cg_expr(c, FN(ann, Starred, value)));
        return cg_opi(c, loc, OP_UNPACK_SEQUENCE, 1);
    }
    return cg_expr(c, ann);
}

static int arg_annotation(Compiler *c, const char *id, const AstNode *ann, int *len, SrcLoc loc)
{
    if (!ann) return 0;
    const char *m = mangle(c, id);
    if (!m) return -1;
    RET(cg_load_const(c, loc, cg_mangled(c, m, id)));
    RET(annotation_value(c, ann, loc));
    *len += 2;
    return 0;
}

static int arg_annotations(Compiler *c, const AstSeq *args, int *len, SrcLoc loc)
{
    for (uint32_t i = 0, n_ = seq_len(args); i < n_; i++) {
        const AstNode *a = seq_at(args, i);
        RET(arg_annotation(c, FID(a, arg, arg), FN(a, arg, annotation), len, loc));
    }
    return 0;
}

/* Pushes the annotations tuple (name, value, ...): 1 when pushed, 0 when none. */
static int annotations(Compiler *c, SrcLoc loc, const AstNode *args, const AstNode *returns)
{
    int len = 0;
    RET(arg_annotations(c, FS(args, arguments, args), &len, loc));
    RET(arg_annotations(c, FS(args, arguments, posonlyargs), &len, loc));
    const AstNode *va = FN(args, arguments, vararg), *kwa = FN(args, arguments, kwarg);
    if (va) RET(arg_annotation(c, FID(va, arg, arg), FN(va, arg, annotation), &len, loc));
    RET(arg_annotations(c, FS(args, arguments, kwonlyargs), &len, loc));
    if (kwa) RET(arg_annotation(c, FID(kwa, arg, arg), FN(kwa, arg, annotation), &len, loc));
    RET(arg_annotation(c, "return", returns, &len, loc));
    if (!len) return 0;
    RET(cg_opi(c, loc, OP_BUILD_TUPLE, len));
    return 1;
}

static int decorators(Compiler *c, const AstSeq *decos) { return cg_exprs(c, decos); }

static int apply_decorators(Compiler *c, const AstSeq *decos)
{
    for (uint32_t i = seq_len(decos); i-- > 0;) RET(cg_opi(c, LOC(seq_at(decos, i)), OP_CALL, 0));
    return 0;
}

/* ------------------------------------------------------------------ type parameters */

static int type_param_bound_or_default(Compiler *c, const AstNode *e, const char *name,
                                       const void *key, bool allow_starred)
{
    RET(cg_enter_scope(c, name, SCOPE_TYPEPARAMS, key, e->lineno));
    if (allow_starred && e->kind == AST_Starred) {
        RET(cg_expr(c, FN(e, Starred, value)));
        RET(cg_opi(c, LOC(e), OP_UNPACK_SEQUENCE, 1));
    } else {
        RET(cg_expr(c, e));
    }
    RET(cg_op(c, LOC(e), OP_RETURN_VALUE));
    CodeUnitMeta *m;
    Value *co = cg_exit_scope(c, 1, &m);
    if (!co) return -1;
    return cg_make_closure(c, LOC(e), co, m, 0);
}

static int type_params(Compiler *c, const AstSeq *tps)
{
    uint32_t n = seq_len(tps);
    if (!n) return 0;
    bool seen_default = false;
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *tp = seq_at(tps, i);
        SrcLoc loc = LOC(tp);
        const char *name;
        const AstNode *dflt;
        int intrinsic;
        bool allow_starred = false;
        switch (tp->kind) {
        case AST_TypeVar:
            name = FID(tp, TypeVar, name);
            dflt = FN(tp, TypeVar, default_value);
            RET(cg_load_ident(c, loc, name));
            if (FN(tp, TypeVar, bound)) {
                const AstNode *bound = FN(tp, TypeVar, bound);
                RET(type_param_bound_or_default(c, bound, name, tp, false));
                intrinsic = bound->kind == AST_Tuple ? INTRINSIC_TYPEVAR_WITH_CONSTRAINTS
                                                     : INTRINSIC_TYPEVAR_WITH_BOUND;
                RET(cg_opi(c, loc, OP_CALL_INTRINSIC_2, intrinsic));
            } else {
                RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_TYPEVAR));
            }
            break;
        case AST_TypeVarTuple:
            name = FID(tp, TypeVarTuple, name);
            dflt = FN(tp, TypeVarTuple, default_value);
            allow_starred = true;
            RET(cg_load_ident(c, loc, name));
            RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_TYPEVARTUPLE));
            break;
        default:
            name = FID(tp, ParamSpec, name);
            dflt = FN(tp, ParamSpec, default_value);
            RET(cg_load_ident(c, loc, name));
            RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_PARAMSPEC));
            break;
        }
        if (dflt) {
            seen_default = true;
            /* a TypeVar's default block is keyed one past its node (its bound has the node) */
            const void *key = tp->kind == AST_TypeVar ? (const void *)((const char *)tp + 1) : tp;
            RET(type_param_bound_or_default(c, dflt, name, key, allow_starred));
            RET(cg_opi(c, loc, OP_CALL_INTRINSIC_2, INTRINSIC_SET_TYPEPARAM_DEFAULT));
        } else if (seen_default) {
            return cg_error(c, loc, "non-default type parameter '%s' follows default type parameter", name);
        }
        RET(cg_opi(c, loc, OP_COPY, 1));
        RET(cg_nameop(c, loc, name, AST_Store));
    }
    return cg_opi(c, LOC(seq_at(tps, 0)), OP_BUILD_TUPLE, (int)n);
}

/* ------------------------------------------------------------------ functions */

static int function_body(Compiler *c, const AstNode *s, bool is_async, int funcflags, int firstlineno)
{
    const AstNode *args = FN(s, FunctionDef, args);
    const AstSeq *body = FS(s, FunctionDef, body);
    RET(cg_enter_scope_id(c, FID(s, FunctionDef, name), is_async ? SCOPE_ASYNC_FUNCTION : SCOPE_FUNCTION,
                       s, firstlineno));
    uint32_t first = 0;
    const Value *doc = cg_docstring(body);
    Value *docv = NULL;
    if (doc) {
        first = 1;
        if (c->optimize < 2 && !(docv = cg_clean_doc(c, doc))) return cg_nomem(c);
    }
    RET(docv ? cg_add_const(c, docv) : cg_add_none(c));   /* co_consts[0]: the docstring */
    CodeUnitMeta *m = &c->u->meta;
    m->argcount = (int)seq_len(FS(args, arguments, args));
    m->posonlyargcount = (int)seq_len(FS(args, arguments, posonlyargs));
    m->kwonlyargcount = (int)seq_len(FS(args, arguments, kwonlyargs));
    /* CPython's start label: no jump targets it (the CFG's blocks start at targets only),
       so it is made for the frame block alone, which generators need */
    bool stopiter = c->u->ste->coroutine || c->u->ste->generator;
    if (stopiter) {
        int start = cg_label(c);
        RET(start);
        RET(cg_use_label(c, start));
        RET(cg_push_fblock(c, NO_LOC, FB_STOP_ITERATION, start, NO_LABEL, NULL));
    }
    for (uint32_t i = first, n_ = seq_len(body); i < n_; i++) RET(cg_stmt(c, seq_at(body, i)));
    if (stopiter) {
        RET(cg_wrap_in_stopiteration_handler(c));
        cg_pop_fblock(c);
    }
    CodeUnitMeta *cm;
    Value *co = cg_exit_scope(c, 1, &cm);
    if (!co) return -1;
    return cg_make_closure(c, LOC(s), co, cm, funcflags);
}

int cg_function(Compiler *c, const AstNode *s, bool is_async)
{
    /* FunctionDef and AsyncFunctionDef share their layout */
    const AstNode *args = FN(s, FunctionDef, args), *returns = FN(s, FunctionDef, returns);
    const AstSeq *decos = FS(s, FunctionDef, decorator_list), *tps = FS(s, FunctionDef, type_params);
    const char *name = FID(s, FunctionDef, name);
    bool annotated;
    RET(check_debug_args(c, args, &annotated));
    if (seq_len(decos)) RET(decorators(c, decos));
    int firstlineno = seq_len(decos) ? seq_at(decos, 0)->lineno : s->lineno;
    SrcLoc loc = LOC(s);
    bool generic = seq_len(tps) > 0;
    int funcflags = 0;
    if (seq_len(FS(args, arguments, defaults)) || seq_len(FS(args, arguments, kwonlyargs)))
        RET(funcflags = default_arguments(c, loc, args));
    int ntp_args = 0;
    if (generic) {
        if (funcflags & MAKE_FUNCTION_DEFAULTS) ntp_args++;
        if (funcflags & MAKE_FUNCTION_KWDEFAULTS) ntp_args++;
        if (ntp_args == 2) RET(cg_opi(c, loc, OP_SWAP, 2));
        const char *tpname = arena_printf(c->arena, "<generic parameters of %s>", name);
        if (!tpname) return cg_nomem(c);
        RET(cg_enter_scope(c, tpname, SCOPE_TYPEPARAMS, tps, firstlineno));
        RET(type_params(c, tps));
        for (int i = 0; i < ntp_args; i++) RET(cg_opi(c, loc, OP_LOAD_FAST, i));
    }
    int ann = annotated || returns ? annotations(c, loc, args, returns) : 0;
    RET(ann);
    if (ann) funcflags |= MAKE_FUNCTION_ANNOTATIONS;
    RET(function_body(c, s, is_async, funcflags, firstlineno));
    if (generic) {
        RET(cg_opi(c, loc, OP_SWAP, 2));
        RET(cg_opi(c, loc, OP_CALL_INTRINSIC_2, INTRINSIC_SET_FUNCTION_TYPE_PARAMS));
        c->u->meta.argcount = ntp_args;
        CodeUnitMeta *m;
        Value *co = cg_exit_scope(c, 0, &m);
        if (!co) return -1;
        RET(cg_make_closure(c, loc, co, m, 0));
        if (ntp_args > 0) {
            RET(cg_opi(c, loc, OP_SWAP, ntp_args + 1));
            RET(cg_opi(c, loc, OP_CALL, ntp_args - 1));
        } else {
            RET(cg_op(c, loc, OP_PUSH_NULL));
            RET(cg_opi(c, loc, OP_CALL, 0));
        }
    }
    if (seq_len(decos)) RET(apply_decorators(c, decos));
    return cg_nameop(c, loc, name, AST_Store);
}

int cg_lambda(Compiler *c, const AstNode *e)
{
    const AstNode *args = FN(e, Lambda, args);
    bool annotated;   /* (a lambda's parameters have none) */
    RET(check_debug_args(c, args, &annotated));
    SrcLoc loc = LOC(e);
    int funcflags = default_arguments(c, loc, args);
    RET(funcflags);
    RET(cg_enter_scope(c, "<lambda>", SCOPE_LAMBDA, e, e->lineno));
    RET(cg_add_none(c));   /* no docstring */
    CodeUnitMeta *m = &c->u->meta;
    m->argcount = (int)seq_len(FS(args, arguments, args));
    m->posonlyargcount = (int)seq_len(FS(args, arguments, posonlyargs));
    m->kwonlyargcount = (int)seq_len(FS(args, arguments, kwonlyargs));
    const AstNode *body = FN(e, Lambda, body);
    RET(cg_expr(c, body));
    Value *co;
    if (c->u->ste->generator) {
        co = cg_exit_scope(c, 0, &m);
    } else {
        RET(cg_op(c, LOC(body), OP_RETURN_VALUE));
        co = cg_exit_scope(c, 1, &m);
    }
    if (!co) return -1;
    return cg_make_closure(c, loc, co, m, funcflags);
}

/* ------------------------------------------------------------------ classes */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int class_body(Compiler *c, const AstNode *s, int firstlineno)
{
    const char *name = FID(s, ClassDef, name);
    RET(cg_enter_scope_id(c, name, SCOPE_CLASS, s, firstlineno));
    Unit *u = c->u;
    SrcLoc loc = {firstlineno, firstlineno, 0, 0};
    u->private_name = name;
    RET(cg_class_nameop(c, loc, CK_NAME, AST_Load));
    RET(cg_class_nameop(c, loc, CK_MODULE, AST_Store));
    /* the very object that becomes co_qualname (an identifier when it is the name itself);
       the __qualname__ constant is it, or an equal constant the module had before */
    Value *qual = u->meta.qualname == u->meta.name ? cg_ident_id(c, name)
                 : u->meta.qualname_len ? const_str(c->arena, u->meta.qualname, u->meta.qualname_len)
                                        : cg_str(c, u->meta.qualname);
    Value *qual_const = qual ? const_cache_merge(c->cc, qual) : NULL;
    if (!qual_const) return cg_nomem(c);
    RET(cg_load_const(c, loc, qual_const));
    RET(cg_class_nameop(c, loc, CK_QUALNAME, AST_Store));
    RET(cg_load_int(c, loc, u->meta.firstlineno));
    RET(cg_class_nameop(c, loc, CK_FIRSTLINENO, AST_Store));
    if (seq_len(FS(s, ClassDef, type_params))) {
        RET(cg_nameop(c, loc, ".type_params", AST_Load));
        RET(cg_nameop(c, loc, "__type_params__", AST_Store));
    }
    if (u->ste->needs_classdict) {
        RET(cg_op(c, loc, OP_LOAD_LOCALS));
        RET(cg_op_o(c, loc, OP_STORE_DEREF, &u->meta.cellvars, "__classdict__"));
    }
    RET(cg_body(c, loc, FS(s, ClassDef, body)));
    /* __static_attributes__: the sorted names */
    uint32_t n = u->static_attrs->n;
    const char **names = arena_alloc(c->arena, (n + 1) * sizeof *names);
    Value **items = arena_alloc(c->arena, (n + 1) * sizeof *items);
    if (!names || !items) return cg_nomem(c);
    if (n) memcpy(names, u->static_attrs->keys, n * sizeof *names);
    qsort(names, n, sizeof *names, cmp_names);
    for (uint32_t i = 0; i < n; i++)
        if (!(items[i] = cg_ident_id(c, names[i]))) return cg_nomem(c);   /* (attributes') */
    RET(cg_load_const(c, NO_LOC, const_tuple(c->arena, items, n)));
    RET(cg_class_nameop(c, NO_LOC, CK_STATIC_ATTRIBUTES, AST_Store));
    if (u->ste->needs_classdict) {
        RET(cg_opi(c, NO_LOC, OP_LOAD_CLOSURE, (int)namemap_get(&u->meta.cellvars, "__classdict__", -1)));
        RET(cg_nameop(c, NO_LOC, "__classdictcell__", AST_Store));
    }
    if (u->ste->needs_class_closure) {
        RET(cg_opi(c, NO_LOC, OP_LOAD_CLOSURE, (int)namemap_get(&u->meta.cellvars, "__class__", -1)));
        RET(cg_opi(c, NO_LOC, OP_COPY, 1));
        RET(cg_nameop(c, NO_LOC, "__classcell__", AST_Store));
    } else {
        RET(cg_load_none(c, NO_LOC));
    }
    RET(cg_op(c, NO_LOC, OP_RETURN_VALUE));
    CodeUnitMeta *m;
    Value *co = cg_exit_scope(c, 1, &m);
    if (!co) return -1;
    co->u.code->oval[CO_QUALNAME] = qual;
    loc = LOC(s);
    RET(cg_op(c, loc, OP_LOAD_BUILD_CLASS));
    RET(cg_op(c, loc, OP_PUSH_NULL));
    RET(cg_make_closure(c, loc, co, m, 0));
    return cg_load_ident(c, loc, name);
}

int cg_class(Compiler *c, const AstNode *s)
{
    const AstSeq *decos = FS(s, ClassDef, decorator_list), *tps = FS(s, ClassDef, type_params);
    const char *name = FID(s, ClassDef, name);
    RET(decorators(c, decos));
    int firstlineno = seq_len(decos) ? seq_at(decos, 0)->lineno : s->lineno;
    SrcLoc loc = LOC(s);
    bool generic = seq_len(tps) > 0;
    if (generic) {
        const char *tpname = arena_printf(c->arena, "<generic parameters of %s>", name);
        if (!tpname) return cg_nomem(c);
        RET(cg_enter_scope(c, tpname, SCOPE_TYPEPARAMS, tps, firstlineno));
        c->u->private_name = name;
        RET(type_params(c, tps));
        RET(cg_nameop(c, loc, ".type_params", AST_Store));
    }
    RET(class_body(c, s, firstlineno));
    if (generic) {
        RET(cg_nameop(c, loc, ".type_params", AST_Load));
        RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_SUBSCRIPT_GENERIC));
        RET(cg_nameop(c, loc, ".generic_base", AST_Store));
        /* the bases with a Name .generic_base appended */
        const AstSeq *bases = FS(s, ClassDef, bases);
        uint32_t nb = seq_len(bases);
        AstSeq *nbases = ast_seq(c->arena, nb + 1);
        AstNode *gb = ast_node(c->arena, AST_Name, (AstLoc){loc.lineno, loc.col, loc.end_lineno, loc.end_col});
        if (!nbases || !gb) return cg_nomem(c);
        for (uint32_t i = 0; i < nb; i++) nbases->items[i] = bases->items[i];
        gb->f[F_Name_id].id = ".generic_base";
        gb->f[F_Name_ctx].i = AST_Load;
        nbases->items[nb] = gb;
        RET(cg_call_helper(c, loc, 2, nbases, FS(s, ClassDef, keywords)));
        CodeUnitMeta *m;
        Value *co = cg_exit_scope(c, 0, &m);
        if (!co) return -1;
        RET(cg_make_closure(c, loc, co, m, 0));
        RET(cg_op(c, loc, OP_PUSH_NULL));
        RET(cg_opi(c, loc, OP_CALL, 0));
    } else {
        RET(cg_call_helper(c, loc, 2, FS(s, ClassDef, bases), FS(s, ClassDef, keywords)));
    }
    if (seq_len(decos)) RET(apply_decorators(c, decos));
    return cg_nameop(c, loc, name, AST_Store);
}

/* ------------------------------------------------------------------ type aliases */

static int typealias_body(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const char *name = FID(FN(s, TypeAlias, name), Name, id);
    RET(cg_enter_scope_id(c, name, SCOPE_FUNCTION, s, loc.lineno));
    RET(cg_add_none(c));   /* no docstring */
    RET(cg_expr(c, FN(s, TypeAlias, value)));
    RET(cg_op(c, loc, OP_RETURN_VALUE));
    CodeUnitMeta *m;
    Value *co = cg_exit_scope(c, 0, &m);
    if (!co) return -1;
    RET(cg_make_closure(c, loc, co, m, 0));
    RET(cg_opi(c, loc, OP_BUILD_TUPLE, 3));
    return cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_TYPEALIAS);
}

int cg_typealias(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const AstSeq *tps = FS(s, TypeAlias, type_params);
    bool generic = seq_len(tps) > 0;
    const char *name = FID(FN(s, TypeAlias, name), Name, id);
    if (generic) {
        const char *tpname = arena_printf(c->arena, "<generic parameters of %s>", name);
        if (!tpname) return cg_nomem(c);
        RET(cg_enter_scope(c, tpname, SCOPE_TYPEPARAMS, tps, loc.lineno));
        RET(cg_load_ident(c, loc, name));
        RET(type_params(c, tps));
    } else {
        RET(cg_load_ident(c, loc, name));
        RET(cg_load_none(c, loc));
    }
    RET(typealias_body(c, s));
    if (generic) {
        CodeUnitMeta *m;
        Value *co = cg_exit_scope(c, 0, &m);
        if (!co) return -1;
        RET(cg_make_closure(c, loc, co, m, 0));
        RET(cg_op(c, loc, OP_PUSH_NULL));
        RET(cg_opi(c, loc, OP_CALL, 0));
    }
    return cg_nameop(c, loc, name, AST_Store);
}
