/* codegen_stmt.c - statements: bodies and docstrings, assignments, imports, if/for/while,
   return/break/continue through the frame-block stack, try/except/finally, with. */
#include <string.h>

#include "codegen_internal.h"

static SrcLoc LOC(const AstNode *n) { return loc_of(n); }

/* ------------------------------------------------------------------ docstrings */

const Value *cg_docstring(const AstSeq *body)
{
    if (!seq_len(body)) return NULL;
    const AstNode *st = seq_at(body, 0);
    if (st->kind != AST_Expr) return NULL;
    const AstNode *e = FN(st, Expr, value);
    if (e->kind == AST_Constant && FV(e, Constant, value)->kind == V_STR) return FV(e, Constant, value);
    return NULL;
}

/* The docstring as the code object keeps it (docstring_clean: CPython's _PyCompile_CleanDoc). */
Value *cg_clean_doc(Compiler *c, const Value *doc)
{
    size_t n;
    const char *s = docstring_clean(c->arena, (const char *)doc->u.s.data, doc->u.s.len, &n);
    if (!s) return NULL;
    return s == (const char *)doc->u.s.data ? (Value *)doc : const_str(c->arena, s, n);
}

/* Does a body (not nested functions or classes) contain an annotated assignment? */
static bool find_ann(const AstSeq *stmts)
{
    for (uint32_t i = 0, n_ = seq_len(stmts); i < n_; i++) {
        const AstNode *st = seq_at(stmts, i);
        bool res = false;
        switch (st->kind) {
        case AST_AnnAssign: return true;
        case AST_For: case AST_AsyncFor:
            res = find_ann(FS(st, For, body)) || find_ann(FS(st, For, orelse));
            break;
        case AST_While: res = find_ann(FS(st, While, body)) || find_ann(FS(st, While, orelse)); break;
        case AST_If: res = find_ann(FS(st, If, body)) || find_ann(FS(st, If, orelse)); break;
        case AST_With: case AST_AsyncWith: res = find_ann(FS(st, With, body)); break;
        case AST_Try: case AST_TryStar: {
            const AstSeq *h = FS(st, Try, handlers);
            for (uint32_t j = 0; j < seq_len(h); j++)
                if (find_ann(FS(seq_at(h, j), ExceptHandler, body))) return true;
            res = find_ann(FS(st, Try, body)) || find_ann(FS(st, Try, finalbody)) ||
                  find_ann(FS(st, Try, orelse));
            break;
        }
        case AST_Match: {
            const AstSeq *cs = FS(st, Match, cases);
            for (uint32_t j = 0; j < seq_len(cs); j++)
                if (find_ann(FS(seq_at(cs, j), match_case, body))) return true;
            break;
        }
        default: break;
        }
        if (res) return true;
    }
    return false;
}

int cg_body(Compiler *c, SrcLoc loc, const AstSeq *stmts)
{
    if (c->u->scope_type == SCOPE_MODULE && seq_len(stmts)) loc = LOC(seq_at(stmts, 0));
    if (find_ann(stmts)) RET(cg_op(c, loc, OP_SETUP_ANNOTATIONS));
    if (!seq_len(stmts)) return 0;
    uint32_t first = 0;
    const Value *doc = cg_docstring(stmts);
    if (doc) {
        first = 1;
        if (c->optimize < 2) {
            Value *clean = cg_clean_doc(c, doc);
            if (!clean) return cg_nomem(c);
            RET(cg_load_const(c, LOC(FN(seq_at(stmts, 0), Expr, value)), clean));
            RET(cg_nameop(c, NO_LOC, "__doc__", AST_Store));
        }
    }
    for (uint32_t i = first, n = stmts->n; i < n; i++) RET(cg_stmt(c, seq_at(stmts, i)));
    return 0;
}

int cg_stmts(Compiler *c, const AstSeq *body)
{
    for (uint32_t i = 0, n_ = seq_len(body); i < n_; i++) RET(cg_stmt(c, seq_at(body, i)));
    return 0;
}

/* ------------------------------------------------------------------ unwinding */

int cg_call_exit_with_nones(Compiler *c, SrcLoc loc)
{
    RET(cg_load_none(c, loc));
    RET(cg_load_none(c, loc));
    RET(cg_load_none(c, loc));
    return cg_opi(c, loc, OP_CALL, 2);
}

int cg_add_yield_from(Compiler *c, SrcLoc loc, bool await)
{
    int send = cg_label(c), fail = cg_label(c), exit = cg_label(c);
    if (send < 0 || fail < 0 || exit < 0) return -1;
    RET(cg_use_label(c, send));
    RET(cg_jump(c, loc, OP_SEND, exit));
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, fail));
    RET(cg_opi(c, loc, OP_YIELD_VALUE, 1));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_opi(c, loc, OP_RESUME, await ? RESUME_AFTER_AWAIT : RESUME_AFTER_YIELD_FROM));
    RET(cg_jump(c, loc, OP_JUMP_NO_INTERRUPT, send));
    RET(cg_use_label(c, fail));
    RET(cg_op(c, loc, OP_CLEANUP_THROW));
    RET(cg_use_label(c, exit));
    return cg_op(c, loc, OP_END_SEND);
}

int cg_pop_except_and_reraise(Compiler *c, SrcLoc loc)
{
    RET(cg_opi(c, loc, OP_COPY, 3));
    RET(cg_op(c, loc, OP_POP_EXCEPT));
    return cg_opi(c, loc, OP_RERAISE, 1);
}

static int unwind_fblock(Compiler *c, SrcLoc *ploc, const FBlock *info, bool preserve_tos)
{
    switch (info->type) {
    case FB_WHILE_LOOP: case FB_EXCEPTION_HANDLER: case FB_EXCEPTION_GROUP_HANDLER:
    case FB_ASYNC_COMPREHENSION_GENERATOR: case FB_STOP_ITERATION:
        return 0;
    case FB_FOR_LOOP:
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        return cg_op(c, *ploc, OP_POP_TOP);
    case FB_TRY_EXCEPT:
        return cg_op(c, *ploc, OP_POP_BLOCK);
    case FB_FINALLY_TRY:
        RET(cg_op(c, *ploc, OP_POP_BLOCK));
        if (preserve_tos) RET(cg_push_fblock(c, *ploc, FB_POP_VALUE, NO_LABEL, NO_LABEL, NULL));
        RET(cg_stmts(c, info->datum));
        if (preserve_tos) cg_pop_fblock(c);
        /* the finally body runs after the unwinding statement: artificial from here */
        *ploc = NO_LOC;
        return 0;
    case FB_FINALLY_END:
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        RET(cg_op(c, *ploc, OP_POP_TOP));
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        RET(cg_op(c, *ploc, OP_POP_BLOCK));
        return cg_op(c, *ploc, OP_POP_EXCEPT);
    case FB_WITH: case FB_ASYNC_WITH:
        *ploc = info->loc;
        RET(cg_op(c, *ploc, OP_POP_BLOCK));
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        RET(cg_call_exit_with_nones(c, *ploc));
        if (info->type == FB_ASYNC_WITH) {
            RET(cg_opi(c, *ploc, OP_GET_AWAITABLE, 2));
            RET(cg_load_none(c, *ploc));
            RET(cg_add_yield_from(c, *ploc, true));
        }
        RET(cg_op(c, *ploc, OP_POP_TOP));
        *ploc = NO_LOC;
        return 0;
    case FB_HANDLER_CLEANUP:
        if (info->datum) RET(cg_op(c, *ploc, OP_POP_BLOCK));
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        RET(cg_op(c, *ploc, OP_POP_BLOCK));
        RET(cg_op(c, *ploc, OP_POP_EXCEPT));
        if (info->datum) {
            RET(cg_load_none(c, *ploc));
            RET(cg_nameop(c, *ploc, info->datum, AST_Store));
            RET(cg_nameop(c, *ploc, info->datum, AST_Del));
        }
        return 0;
    case FB_POP_VALUE:
        if (preserve_tos) RET(cg_opi(c, *ploc, OP_SWAP, 2));
        return cg_op(c, *ploc, OP_POP_TOP);
    }
    return 0;
}

int cg_unwind_fblock_stack(Compiler *c, SrcLoc *ploc, bool preserve_tos, FBlock **loop)
{
    Unit *u = c->u;
    if (u->nfblocks == 0) return 0;
    FBlock *top = &u->fblock[u->nfblocks - 1];
    if (top->type == FB_EXCEPTION_GROUP_HANDLER)
        return cg_error(c, *ploc, "'break', 'continue' and 'return' cannot appear in an except* block");
    if (loop && (top->type == FB_WHILE_LOOP || top->type == FB_FOR_LOOP)) {
        *loop = top;
        return 0;
    }
    FBlock copy = *top;
    u->nfblocks--;
    RET(unwind_fblock(c, ploc, &copy, preserve_tos));
    RET(cg_unwind_fblock_stack(c, ploc, preserve_tos, loop));
    u->fblock[u->nfblocks++] = copy;
    return 0;
}

static __attribute__((noinline)) int cg_return(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const AstNode *v = FN(s, Return, value);
    bool preserve_tos = v && v->kind != AST_Constant;
    if (!cg_is_function_like(c->u->ste)) return cg_error(c, loc, "'return' outside function");
    if (v && c->u->ste->coroutine && c->u->ste->generator)
        return cg_error(c, loc, "'return' with value in async generator");
    if (preserve_tos) {
        RET(cg_expr(c, v));
    } else if (v) {
        loc = LOC(v);
        RET(cg_op(c, loc, OP_NOP));
    }
    if (!v || v->lineno != s->lineno) {
        loc = LOC(s);
        RET(cg_op(c, loc, OP_NOP));
    }
    RET(cg_unwind_fblock_stack(c, &loc, preserve_tos, NULL));
    if (!v) RET(cg_load_none(c, loc));
    else if (!preserve_tos) RET(cg_load_const(c, loc, FV(v, Constant, value)));
    return cg_op(c, loc, OP_RETURN_VALUE);
}

static __attribute__((noinline)) int cg_break_continue(Compiler *c, SrcLoc loc, bool is_break)
{
    FBlock *loop = NULL;
    SrcLoc origin = loc;
    RET(cg_op(c, loc, OP_NOP));
    RET(cg_unwind_fblock_stack(c, &loc, false, &loop));
    if (!loop)
        return cg_error(c, origin, is_break ? "'break' outside loop" : "'continue' not properly in loop");
    if (!is_break) return cg_jump(c, loc, OP_JUMP, loop->block);
    RET(unwind_fblock(c, &loc, loop, false));
    return cg_jump(c, loc, OP_JUMP, loop->exit);
}

/* ------------------------------------------------------------------ control flow */

static __attribute__((noinline)) int cg_if(Compiler *c, const AstNode *s)
{
    int end = cg_label(c), next = end;
    RET(end);
    const AstSeq *orelse = FS(s, If, orelse);
    if (seq_len(orelse)) RET(next = cg_label(c));
    RET(cg_jump_if(c, LOC(s), FN(s, If, test), next, false));
    RET(cg_stmts(c, FS(s, If, body)));
    if (seq_len(orelse)) {
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
        RET(cg_use_label(c, next));
        RET(cg_stmts(c, orelse));
    }
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_for(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    int start = cg_label(c), body = cg_label(c), cleanup = cg_label(c), end = cg_label(c);
    if (start < 0 || body < 0 || cleanup < 0 || end < 0) return -1;
    RET(cg_push_fblock(c, loc, FB_FOR_LOOP, start, end, NULL));
    RET(cg_expr(c, FN(s, For, iter)));
    loc = LOC(FN(s, For, iter));
    RET(cg_op(c, loc, OP_GET_ITER));
    RET(cg_use_label(c, start));
    RET(cg_jump(c, loc, OP_FOR_ITER, cleanup));
    RET(cg_op(c, LOC(FN(s, For, target)), OP_NOP));   /* line tracing of multi-line fors */
    RET(cg_use_label(c, body));
    RET(cg_expr(c, FN(s, For, target)));
    RET(cg_stmts(c, FS(s, For, body)));
    RET(cg_jump(c, NO_LOC, OP_JUMP, start));
    RET(cg_use_label(c, cleanup));
    RET(cg_op(c, NO_LOC, OP_END_FOR));
    RET(cg_op(c, NO_LOC, OP_POP_TOP));
    cg_pop_fblock(c);
    RET(cg_stmts(c, FS(s, For, orelse)));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_async_for(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    if (cg_top_level_await(c)) c->u->ste->coroutine = true;
    else if (c->u->scope_type != SCOPE_ASYNC_FUNCTION)
        return cg_error(c, loc, "'async for' outside async function");
    int start = cg_label(c), except = cg_label(c), end = cg_label(c);
    if (start < 0 || except < 0 || end < 0) return -1;
    RET(cg_expr(c, FN(s, AsyncFor, iter)));
    RET(cg_op(c, LOC(FN(s, AsyncFor, iter)), OP_GET_AITER));
    RET(cg_use_label(c, start));
    RET(cg_push_fblock(c, loc, FB_FOR_LOOP, start, end, NULL));
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, except));
    RET(cg_op(c, loc, OP_GET_ANEXT));
    RET(cg_load_none(c, loc));
    RET(cg_add_yield_from(c, loc, true));
    RET(cg_op(c, loc, OP_POP_BLOCK));
    RET(cg_expr(c, FN(s, AsyncFor, target)));
    RET(cg_stmts(c, FS(s, AsyncFor, body)));
    RET(cg_jump(c, NO_LOC, OP_JUMP, start));
    cg_pop_fblock(c);
    RET(cg_use_label(c, except));
    RET(cg_op(c, LOC(FN(s, AsyncFor, iter)), OP_END_ASYNC_FOR));
    RET(cg_stmts(c, FS(s, AsyncFor, orelse)));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_while(Compiler *c, const AstNode *s)
{
    int loop = cg_label(c), body = cg_label(c), end = cg_label(c), anchor = cg_label(c);
    if (loop < 0 || body < 0 || end < 0 || anchor < 0) return -1;
    RET(cg_use_label(c, loop));
    RET(cg_push_fblock(c, LOC(s), FB_WHILE_LOOP, loop, end, NULL));
    RET(cg_jump_if(c, LOC(s), FN(s, While, test), anchor, false));
    RET(cg_use_label(c, body));
    RET(cg_stmts(c, FS(s, While, body)));
    RET(cg_jump_if(c, LOC(s), FN(s, While, test), body, true));
    cg_pop_fblock(c);
    RET(cg_use_label(c, anchor));
    RET(cg_stmts(c, FS(s, While, orelse)));
    return cg_use_label(c, end);
}

/* ------------------------------------------------------------------ try */

/* try-finally and try-star-finally: the body (with its handlers), then the finally body twice. */
static __attribute__((noinline)) int try_finally(Compiler *c, const AstNode *s, bool star)
{
    SrcLoc loc = LOC(s);
    int body = cg_label(c), end = cg_label(c), exit = cg_label(c), cleanup = cg_label(c);
    if (body < 0 || end < 0 || exit < 0 || cleanup < 0) return -1;
    const AstSeq *finalbody = FS(s, Try, finalbody);
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, end));
    RET(cg_use_label(c, body));
    RET(cg_push_fblock(c, loc, FB_FINALLY_TRY, body, end, finalbody));
    if (seq_len(FS(s, Try, handlers))) RET(star ? cg_try_star(c, s) : cg_try(c, s));
    else RET(cg_stmts(c, FS(s, Try, body)));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    cg_pop_fblock(c);
    RET(cg_stmts(c, finalbody));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, exit));
    RET(cg_use_label(c, end));
    RET(cg_jump(c, NO_LOC, OP_SETUP_CLEANUP, cleanup));
    RET(cg_op(c, NO_LOC, OP_PUSH_EXC_INFO));
    RET(cg_push_fblock(c, NO_LOC, FB_FINALLY_END, end, NO_LABEL, NULL));
    RET(cg_stmts(c, finalbody));
    cg_pop_fblock(c);
    RET(cg_opi(c, NO_LOC, OP_RERAISE, 0));
    RET(cg_use_label(c, cleanup));
    RET(cg_pop_except_and_reraise(c, NO_LOC));
    return cg_use_label(c, exit);
}

/* name = None; del name (the artificial end of `except E as name`). */
static int clear_handler_name(Compiler *c, const char *name)
{
    RET(cg_load_none(c, NO_LOC));
    RET(cg_nameop(c, NO_LOC, name, AST_Store));
    return cg_nameop(c, NO_LOC, name, AST_Del);
}

/* An except clause's body under its cleanup handler (try/except and try/except* alike): binds
   `as name` (or pops the exception), runs the body, unbinds the name and jumps to next.
   cleanup_end (NO_LABEL: none, only without a name) is where an exception in the body goes:
   it is left placed, the name unbound, for the caller's reraise. Outside except* the handler
   is left here too (POP_BLOCK, POP_EXCEPT); except* collects the exceptions instead. */
static int handler_body(Compiler *c, const AstNode *h, const char *name, int cleanup_end, int next,
                        bool star)
{
    SrcLoc hloc = LOC(h);
    int cleanup_body = cg_label(c);
    RET(cleanup_body);
    if (name) RET(cg_nameop(c, hloc, name, AST_Store));
    else RET(cg_op(c, hloc, OP_POP_TOP));
    if (cleanup_end != NO_LABEL) RET(cg_jump(c, hloc, OP_SETUP_CLEANUP, cleanup_end));
    RET(cg_use_label(c, cleanup_body));
    RET(cg_push_fblock(c, hloc, FB_HANDLER_CLEANUP, cleanup_body, NO_LABEL, name));
    RET(cg_stmts(c, FS(h, ExceptHandler, body)));
    cg_pop_fblock(c);
    if (cleanup_end != NO_LABEL) RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    if (!star) {
        RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
        RET(cg_op(c, NO_LOC, OP_POP_EXCEPT));
    }
    if (name) RET(clear_handler_name(c, name));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, next));
    if (cleanup_end == NO_LABEL) return 0;
    RET(cg_use_label(c, cleanup_end));
    return name ? clear_handler_name(c, name) : 0;
}

/* try/except (the handlers part; cg_try also handles finally). */
static __attribute__((noinline)) int try_except(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    int body = cg_label(c), except = cg_label(c), end = cg_label(c), cleanup = cg_label(c);
    if (body < 0 || except < 0 || end < 0 || cleanup < 0) return -1;
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, except));
    RET(cg_use_label(c, body));
    RET(cg_push_fblock(c, loc, FB_TRY_EXCEPT, body, NO_LABEL, NULL));
    RET(cg_stmts(c, FS(s, Try, body)));
    cg_pop_fblock(c);
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_stmts(c, FS(s, Try, orelse)));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
    const AstSeq *handlers = FS(s, Try, handlers);
    uint32_t n = seq_len(handlers);
    RET(cg_use_label(c, except));
    RET(cg_jump(c, NO_LOC, OP_SETUP_CLEANUP, cleanup));
    RET(cg_op(c, NO_LOC, OP_PUSH_EXC_INFO));
    RET(cg_push_fblock(c, loc, FB_EXCEPTION_HANDLER, NO_LABEL, NO_LABEL, NULL));
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *h = seq_at(handlers, i);
        SrcLoc hloc = LOC(h);
        const AstNode *type = FN(h, ExceptHandler, type);
        const char *name = FID(h, ExceptHandler, name);
        if (!type && i < n - 1) return cg_error(c, hloc, "default 'except:' must be last");
        RET(except = cg_label(c));
        if (type) {
            RET(cg_expr(c, type));
            RET(cg_op(c, hloc, OP_CHECK_EXC_MATCH));
            RET(cg_jump(c, hloc, OP_POP_JUMP_IF_FALSE, except));
        }
        if (name) {
            int cleanup_end = cg_label(c);
            RET(cleanup_end);
            RET(handler_body(c, h, name, cleanup_end, end, false));
            RET(cg_opi(c, NO_LOC, OP_RERAISE, 1));
        } else {
            RET(handler_body(c, h, NULL, NO_LABEL, end, false));
        }
        RET(cg_use_label(c, except));
    }
    cg_pop_fblock(c);
    RET(cg_opi(c, NO_LOC, OP_RERAISE, 0));
    RET(cg_use_label(c, cleanup));
    RET(cg_pop_except_and_reraise(c, NO_LOC));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int try_star_except(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    int body = cg_label(c), except = cg_label(c), orelse = cg_label(c), end = cg_label(c);
    int cleanup = cg_label(c), reraise_star = cg_label(c);
    if (body < 0 || except < 0 || orelse < 0 || end < 0 || cleanup < 0 || reraise_star < 0) return -1;
    RET(cg_jump(c, loc, OP_SETUP_FINALLY, except));
    RET(cg_use_label(c, body));
    RET(cg_push_fblock(c, loc, FB_TRY_EXCEPT, body, NO_LABEL, NULL));
    RET(cg_stmts(c, FS(s, TryStar, body)));
    cg_pop_fblock(c);
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, orelse));
    const AstSeq *handlers = FS(s, TryStar, handlers);
    uint32_t n = seq_len(handlers);
    RET(cg_use_label(c, except));
    RET(cg_jump(c, NO_LOC, OP_SETUP_CLEANUP, cleanup));
    RET(cg_op(c, NO_LOC, OP_PUSH_EXC_INFO));
    RET(cg_push_fblock(c, loc, FB_EXCEPTION_GROUP_HANDLER, NO_LABEL, NO_LABEL, "except handler"));
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *h = seq_at(handlers, i);
        SrcLoc hloc = LOC(h);
        const AstNode *type = FN(h, ExceptHandler, type);
        const char *name = FID(h, ExceptHandler, name);
        int except_with_error = cg_label(c), no_match = cg_label(c);
        RET(except = cg_label(c));
        if (except_with_error < 0 || no_match < 0) return -1;
        if (i == 0) {
            RET(cg_opi(c, hloc, OP_BUILD_LIST, 0));
            RET(cg_opi(c, hloc, OP_COPY, 2));
        }
        if (type) {
            RET(cg_expr(c, type));
            RET(cg_op(c, hloc, OP_CHECK_EG_MATCH));
            RET(cg_opi(c, hloc, OP_COPY, 1));
            RET(cg_jump(c, hloc, OP_POP_JUMP_IF_NONE, no_match));
        }
        int cleanup_end = cg_label(c);
        RET(cleanup_end);
        RET(handler_body(c, h, name, cleanup_end, except, true));
        RET(cg_opi(c, NO_LOC, OP_LIST_APPEND, 3));
        RET(cg_op(c, NO_LOC, OP_POP_TOP));
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, except_with_error));
        RET(cg_use_label(c, except));
        RET(cg_op(c, NO_LOC, OP_NOP));
        RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, except_with_error));
        RET(cg_use_label(c, no_match));
        RET(cg_op(c, hloc, OP_POP_TOP));
        RET(cg_use_label(c, except_with_error));
        if (i == n - 1) {
            RET(cg_opi(c, NO_LOC, OP_LIST_APPEND, 1));
            RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, reraise_star));
        }
    }
    cg_pop_fblock(c);
    int reraise = cg_label(c);
    RET(reraise);
    RET(cg_use_label(c, reraise_star));
    RET(cg_opi(c, NO_LOC, OP_CALL_INTRINSIC_2, INTRINSIC_PREP_RERAISE_STAR));
    RET(cg_opi(c, NO_LOC, OP_COPY, 1));
    RET(cg_jump(c, NO_LOC, OP_POP_JUMP_IF_NOT_NONE, reraise));
    RET(cg_op(c, NO_LOC, OP_POP_TOP));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_op(c, NO_LOC, OP_POP_EXCEPT));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, end));
    RET(cg_use_label(c, reraise));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_opi(c, NO_LOC, OP_SWAP, 2));
    RET(cg_op(c, NO_LOC, OP_POP_EXCEPT));
    RET(cg_opi(c, NO_LOC, OP_RERAISE, 0));
    RET(cg_use_label(c, cleanup));
    RET(cg_pop_except_and_reraise(c, NO_LOC));
    RET(cg_use_label(c, orelse));
    RET(cg_stmts(c, FS(s, TryStar, orelse)));
    return cg_use_label(c, end);
}

/* Called for the handlers of a try that also has a finally (and by cg_stmt). */
int cg_try(Compiler *c, const AstNode *s) { return try_except(c, s); }
int cg_try_star(Compiler *c, const AstNode *s) { return try_star_except(c, s); }

/* ------------------------------------------------------------------ with */

static int with_except_finish(Compiler *c, int cleanup)
{
    int suppress = cg_label(c), exit = cg_label(c);
    if (suppress < 0 || exit < 0) return -1;
    RET(cg_op(c, NO_LOC, OP_TO_BOOL));
    RET(cg_jump(c, NO_LOC, OP_POP_JUMP_IF_TRUE, suppress));
    RET(cg_opi(c, NO_LOC, OP_RERAISE, 2));
    RET(cg_use_label(c, suppress));
    RET(cg_op(c, NO_LOC, OP_POP_TOP));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    RET(cg_op(c, NO_LOC, OP_POP_EXCEPT));
    RET(cg_op(c, NO_LOC, OP_POP_TOP));
    RET(cg_op(c, NO_LOC, OP_POP_TOP));
    RET(cg_jump(c, NO_LOC, OP_JUMP_NO_INTERRUPT, exit));
    RET(cg_use_label(c, cleanup));
    RET(cg_pop_except_and_reraise(c, NO_LOC));
    return cg_use_label(c, exit);
}

int cg_with(Compiler *c, const AstNode *s, int pos)
{
    const AstSeq *items = FS(s, With, items);
    const AstNode *item = seq_at(items, (uint32_t)pos);
    int block = cg_label(c), final = cg_label(c), exit = cg_label(c), cleanup = cg_label(c);
    if (block < 0 || final < 0 || exit < 0 || cleanup < 0) return -1;
    const AstNode *ctx = FN(item, withitem, context_expr), *vars = FN(item, withitem, optional_vars);
    RET(cg_expr(c, ctx));
    SrcLoc loc = LOC(ctx);
    RET(cg_op(c, loc, OP_BEFORE_WITH));
    RET(cg_jump(c, loc, OP_SETUP_WITH, final));
    RET(cg_use_label(c, block));
    RET(cg_push_fblock(c, loc, FB_WITH, block, final, s));
    if (vars) RET(cg_expr(c, vars));
    else RET(cg_op(c, loc, OP_POP_TOP));
    if ((uint32_t)++pos == items->n) RET(cg_stmts(c, FS(s, With, body)));
    else RET(cg_with(c, s, pos));
    RET(cg_op(c, NO_LOC, OP_POP_BLOCK));
    cg_pop_fblock(c);
    RET(cg_call_exit_with_nones(c, loc));
    RET(cg_op(c, loc, OP_POP_TOP));
    RET(cg_jump(c, loc, OP_JUMP, exit));
    RET(cg_use_label(c, final));
    RET(cg_jump(c, loc, OP_SETUP_CLEANUP, cleanup));
    RET(cg_op(c, loc, OP_PUSH_EXC_INFO));
    RET(cg_op(c, loc, OP_WITH_EXCEPT_START));
    RET(with_except_finish(c, cleanup));
    return cg_use_label(c, exit);
}

int cg_async_with(Compiler *c, const AstNode *s, int pos)
{
    SrcLoc loc = LOC(s);
    const AstSeq *items = FS(s, AsyncWith, items);
    const AstNode *item = seq_at(items, (uint32_t)pos);
    if (cg_top_level_await(c)) c->u->ste->coroutine = true;
    else if (c->u->scope_type != SCOPE_ASYNC_FUNCTION)
        return cg_error(c, loc, "'async with' outside async function");
    int block = cg_label(c), final = cg_label(c), exit = cg_label(c), cleanup = cg_label(c);
    if (block < 0 || final < 0 || exit < 0 || cleanup < 0) return -1;
    const AstNode *ctx = FN(item, withitem, context_expr), *vars = FN(item, withitem, optional_vars);
    RET(cg_expr(c, ctx));
    loc = LOC(ctx);
    RET(cg_op(c, loc, OP_BEFORE_ASYNC_WITH));
    RET(cg_opi(c, loc, OP_GET_AWAITABLE, 1));
    RET(cg_load_none(c, loc));
    RET(cg_add_yield_from(c, loc, true));
    RET(cg_jump(c, loc, OP_SETUP_WITH, final));
    RET(cg_use_label(c, block));
    RET(cg_push_fblock(c, loc, FB_ASYNC_WITH, block, final, s));
    if (vars) RET(cg_expr(c, vars));
    else RET(cg_op(c, loc, OP_POP_TOP));
    if ((uint32_t)++pos == items->n) RET(cg_stmts(c, FS(s, AsyncWith, body)));
    else RET(cg_async_with(c, s, pos));
    cg_pop_fblock(c);
    RET(cg_op(c, loc, OP_POP_BLOCK));
    RET(cg_call_exit_with_nones(c, loc));
    RET(cg_opi(c, loc, OP_GET_AWAITABLE, 2));
    RET(cg_load_none(c, loc));
    RET(cg_add_yield_from(c, loc, true));
    RET(cg_op(c, loc, OP_POP_TOP));
    RET(cg_jump(c, loc, OP_JUMP, exit));
    RET(cg_use_label(c, final));
    RET(cg_jump(c, loc, OP_SETUP_CLEANUP, cleanup));
    RET(cg_op(c, loc, OP_PUSH_EXC_INFO));
    RET(cg_op(c, loc, OP_WITH_EXCEPT_START));
    RET(cg_opi(c, loc, OP_GET_AWAITABLE, 2));
    RET(cg_load_none(c, loc));
    RET(cg_add_yield_from(c, loc, true));
    RET(with_except_finish(c, cleanup));
    return cg_use_label(c, exit);
}

/* ------------------------------------------------------------------ imports */

static int import_as(Compiler *c, SrcLoc loc, const char *name, const char *asname)
{
    const char *dot = strchr(name, '.');
    if (dot) {
        for (;;) {   /* IMPORT_FROM each attribute after the base module */
            const char *pos = dot + 1;
            dot = strchr(pos, '.');
            size_t len = dot ? (size_t)(dot - pos) : strlen(pos);
            const char *attr = arena_strndup(c->arena, pos, len);
            if (!attr) return cg_nomem(c);
            RET(cg_op_o(c, loc, OP_IMPORT_FROM, &c->u->meta.names, attr));
            if (!dot) break;
            RET(cg_opi(c, loc, OP_SWAP, 2));
            RET(cg_op(c, loc, OP_POP_TOP));
        }
        RET(cg_nameop(c, loc, asname, AST_Store));
        return cg_op(c, loc, OP_POP_TOP);
    }
    return cg_nameop(c, loc, asname, AST_Store);
}

static __attribute__((noinline)) int cg_import(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const AstSeq *names = FS(s, Import, names);
    for (uint32_t i = 0, n_ = seq_len(names); i < n_; i++) {
        const AstNode *alias = seq_at(names, i);
        const char *name = FID(alias, alias, name), *asname = FID(alias, alias, asname);
        RET(cg_load_int(c, loc, 0));
        RET(cg_load_none(c, loc));
        RET(cg_op_ident(c, loc, OP_IMPORT_NAME, name));
        if (asname) {
            RET(import_as(c, loc, name, asname));
        } else {
            const char *dot = strchr(name, '.');
            const char *store = dot ? arena_strndup(c->arena, name, (size_t)(dot - name)) : name;
            if (!store) return cg_nomem(c);
            RET(cg_nameop(c, loc, store, AST_Store));
        }
    }
    return 0;
}

static __attribute__((noinline)) int cg_from_import(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const AstSeq *names = FS(s, ImportFrom, names);
    uint32_t n = seq_len(names);
    const char *module = FID(s, ImportFrom, module);
    RET(cg_load_int(c, loc, FI(s, ImportFrom, level)));
    Value **items = arena_alloc(c->arena, (n + 1) * sizeof *items);
    if (!items) return cg_nomem(c);
    for (uint32_t i = 0; i < n; i++)
        if (!(items[i] = cg_ident_id(c, FID(seq_at(names, i), alias, name)))) return cg_nomem(c);
    if (future_check_import(s, &c->future, c->err) < 0) return -1;
    RET(cg_load_const(c, loc, const_tuple(c->arena, items, n)));
    RET(cg_op_name(c, loc, OP_IMPORT_NAME, &c->u->meta.names, module ? module : ""));
    for (uint32_t i = 0; i < n; i++) {
        const AstNode *alias = seq_at(names, i);
        const char *name = FID(alias, alias, name), *asname = FID(alias, alias, asname);
        if (i == 0 && name[0] == '*') {
            RET(cg_opi(c, loc, OP_CALL_INTRINSIC_1, INTRINSIC_IMPORT_STAR));
            return cg_op(c, NO_LOC, OP_POP_TOP);
        }
        RET(cg_op_ident(c, loc, OP_IMPORT_FROM, name));
        RET(cg_nameop(c, loc, asname ? asname : name, AST_Store));
    }
    return cg_op(c, loc, OP_POP_TOP);
}

/* ------------------------------------------------------------------ simple statements */

static __attribute__((noinline)) int cg_assert(Compiler *c, const AstNode *s)
{
    cg_check_assert(c, s);   /* also with -O, which drops the assert */
    if (c->optimize) return 0;
    int end = cg_label(c);
    RET(end);
    RET(cg_jump_if(c, LOC(s), FN(s, Assert, test), end, true));
    RET(cg_op(c, LOC(s), OP_LOAD_ASSERTION_ERROR));
    if (FN(s, Assert, msg)) {
        RET(cg_expr(c, FN(s, Assert, msg)));
        RET(cg_opi(c, LOC(s), OP_CALL, 0));
    }
    RET(cg_opi(c, LOC(FN(s, Assert, test)), OP_RAISE_VARARGS, 1));
    return cg_use_label(c, end);
}

static __attribute__((noinline)) int cg_augassign(Compiler *c, const AstNode *s)
{
    const AstNode *e = FN(s, AugAssign, target);
    SrcLoc loc = LOC(e);
    switch (e->kind) {
    case AST_Attribute:
        RET(cg_expr(c, FN(e, Attribute, value)));
        RET(cg_opi(c, loc, OP_COPY, 1));
        loc = cg_attr_loc(loc, e);
        RET(cg_op_ident(c, loc, OP_LOAD_ATTR, FID(e, Attribute, attr)));
        break;
    case AST_Subscript: {
        const AstNode *sl = FN(e, Subscript, slice);
        RET(cg_expr(c, FN(e, Subscript, value)));
        if (sl->kind == AST_Slice && !FN(sl, Slice, step)) {
            RET(cg_slice(c, sl));
            RET(cg_opi(c, loc, OP_COPY, 3));
            RET(cg_opi(c, loc, OP_COPY, 3));
            RET(cg_opi(c, loc, OP_COPY, 3));
            RET(cg_op(c, loc, OP_BINARY_SLICE));
        } else {
            RET(cg_expr(c, sl));
            RET(cg_opi(c, loc, OP_COPY, 2));
            RET(cg_opi(c, loc, OP_COPY, 2));
            RET(cg_op(c, loc, OP_BINARY_SUBSCR));
        }
        break;
    }
    case AST_Name:
        RET(cg_nameop(c, loc, FID(e, Name, id), AST_Load));
        break;
    default:
        return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "invalid node type for augmented assignment");
    }
    RET(cg_expr(c, FN(s, AugAssign, value)));
    RET(cg_binop(c, LOC(s), (int)FI(s, AugAssign, op), true));
    loc = LOC(e);
    switch (e->kind) {
    case AST_Attribute:
        loc = cg_attr_loc(loc, e);
        RET(cg_opi(c, loc, OP_SWAP, 2));
        return cg_op_ident(c, loc, OP_STORE_ATTR, FID(e, Attribute, attr));
    case AST_Subscript: {
        const AstNode *sl = FN(e, Subscript, slice);
        if (sl->kind == AST_Slice && !FN(sl, Slice, step)) {
            RET(cg_opi(c, loc, OP_SWAP, 4));
            RET(cg_opi(c, loc, OP_SWAP, 3));
            RET(cg_opi(c, loc, OP_SWAP, 2));
            return cg_op(c, loc, OP_STORE_SLICE);
        }
        RET(cg_opi(c, loc, OP_SWAP, 3));
        RET(cg_opi(c, loc, OP_SWAP, 2));
        return cg_op(c, loc, OP_STORE_SUBSCR);
    }
    default:
        return cg_nameop(c, loc, FID(e, Name, id), AST_Store);
    }
}

static int check_ann_subscr(Compiler *c, const AstNode *e)
{
    switch (e->kind) {
    case AST_Slice:
        if (FN(e, Slice, lower)) RET(cg_check_ann_expr(c, FN(e, Slice, lower)));
        if (FN(e, Slice, upper)) RET(cg_check_ann_expr(c, FN(e, Slice, upper)));
        if (FN(e, Slice, step)) RET(cg_check_ann_expr(c, FN(e, Slice, step)));
        return 0;
    case AST_Tuple:
        for (uint32_t i = 0, n_ = seq_len(FS(e, Tuple, elts)); i < n_; i++)
            RET(check_ann_subscr(c, seq_at(FS(e, Tuple, elts), i)));
        return 0;
    default:
        return cg_check_ann_expr(c, e);
    }
}

static __attribute__((noinline)) int cg_annassign(Compiler *c, const AstNode *s)
{
    SrcLoc loc = LOC(s);
    const AstNode *targ = FN(s, AnnAssign, target), *value = FN(s, AnnAssign, value);
    const AstNode *ann = FN(s, AnnAssign, annotation);
    bool simple = FI(s, AnnAssign, simple) != 0;
    bool future_ann = c->future.features & CO_FUTURE_ANNOTATIONS;
    bool mod_or_class = c->u->scope_type == SCOPE_MODULE || c->u->scope_type == SCOPE_CLASS;
    if (value) {
        RET(cg_expr(c, value));
        RET(cg_expr(c, targ));
    }
    switch (targ->kind) {
    case AST_Name:
        if (strcmp(FID(targ, Name, id), "__debug__") == 0)
            return cg_error(c, loc, "cannot assign to __debug__");
        if (simple && mod_or_class) {
            if (future_ann) {
                Value *str = unparse_annotation(c->arena, ann);
                if (!str) return cg_nomem(c);
                RET(cg_load_const(c, LOC(ann), str));
            } else {
                RET(cg_expr(c, ann));
            }
            RET(cg_op_name(c, loc, OP_LOAD_NAME, &c->u->meta.names, "__annotations__"));
            const char *id = FID(targ, Name, id);
            const char *mangled = symtable_maybe_mangle(c->arena, c->u->private_name, c->u->ste, id);
            if (!mangled) return cg_nomem(c);
            RET(cg_load_const(c, loc, cg_mangled(c, mangled, id)));
            RET(cg_op(c, loc, OP_STORE_SUBSCR));
        }
        break;
    case AST_Attribute:
        if (strcmp(FID(targ, Attribute, attr), "__debug__") == 0)
            return cg_error(c, loc, "cannot assign to __debug__");
        if (!value) RET(cg_check_ann_expr(c, FN(targ, Attribute, value)));
        break;
    case AST_Subscript:
        if (!value) {
            RET(cg_check_ann_expr(c, FN(targ, Subscript, value)));
            RET(check_ann_subscr(c, FN(targ, Subscript, slice)));
        }
        break;
    default:
        return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "invalid node type for annotated assignment");
    }
    if (!simple && !future_ann && mod_or_class) RET(cg_check_ann_expr(c, ann));
    return 0;
}

static __attribute__((noinline)) int cg_stmt_expr(Compiler *c, SrcLoc loc, const AstNode *value)
{
    if (value->kind == AST_Constant) return cg_op(c, loc, OP_NOP);   /* a constant is dropped */
    RET(cg_expr(c, value));
    return cg_op(c, NO_LOC, OP_POP_TOP);
}

/* cg_stmt's kinds that make more than one call, apart (and the kinds' functions not inlined
   into it): cg_stmt itself then only jumps, with no frame to set up per statement. */
static __attribute__((noinline)) int cg_assign(Compiler *c, const AstNode *s)
{
    const AstSeq *targets = FS(s, Assign, targets);
    uint32_t n = seq_len(targets);
    RET(cg_expr(c, FN(s, Assign, value)));
    for (uint32_t i = 0; i < n; i++) {
        if (i < n - 1) RET(cg_opi(c, LOC(s), OP_COPY, 1));
        RET(cg_expr(c, seq_at(targets, i)));
    }
    return 0;
}

static __attribute__((noinline)) int cg_raise(Compiler *c, const AstNode *s)
{
    int n = 0;
    if (FN(s, Raise, exc)) {
        RET(cg_expr(c, FN(s, Raise, exc)));
        n++;
        if (FN(s, Raise, cause)) {
            RET(cg_expr(c, FN(s, Raise, cause)));
            n++;
        }
    }
    return cg_opi(c, LOC(s), OP_RAISE_VARARGS, n);
}

static __attribute__((noinline)) int stmt_unknown(Compiler *c, const AstNode *s)
{
    return error_at(c->err, CPYC_ERR_UNSUPPORTED, -1, "codegen: statement kind %d", s->kind);
}

int cg_stmt(Compiler *c, const AstNode *s)
{
    switch (s->kind) {
    case AST_FunctionDef: return cg_function(c, s, false);
    case AST_AsyncFunctionDef: return cg_function(c, s, true);
    case AST_ClassDef: return cg_class(c, s);
    case AST_TypeAlias: return cg_typealias(c, s);
    case AST_Return: return cg_return(c, s);
    case AST_Delete: return cg_exprs(c, FS(s, Delete, targets));
    case AST_Assign: return cg_assign(c, s);
    case AST_AugAssign: return cg_augassign(c, s);
    case AST_AnnAssign: return cg_annassign(c, s);
    case AST_For: return cg_for(c, s);
    case AST_AsyncFor: return cg_async_for(c, s);
    case AST_While: return cg_while(c, s);
    case AST_If: return cg_if(c, s);
    case AST_Match: return cg_match(c, s);
    case AST_Raise: return cg_raise(c, s);
    case AST_Try:
        return seq_len(FS(s, Try, finalbody)) ? try_finally(c, s, false) : try_except(c, s);
    case AST_TryStar:
        return seq_len(FS(s, TryStar, finalbody)) ? try_finally(c, s, true) : try_star_except(c, s);
    case AST_Assert: return cg_assert(c, s);
    case AST_Import: return cg_import(c, s);
    case AST_ImportFrom: return cg_from_import(c, s);
    case AST_Global: case AST_Nonlocal: return 0;
    case AST_Expr: return cg_stmt_expr(c, LOC(s), FN(s, Expr, value));
    case AST_Pass: return cg_op(c, LOC(s), OP_NOP);
    case AST_Break: return cg_break_continue(c, LOC(s), true);
    case AST_Continue: return cg_break_continue(c, LOC(s), false);
    case AST_With: return cg_with(c, s, 0);
    case AST_AsyncWith: return cg_async_with(c, s, 0);
    default: return stmt_unknown(c, s);
    }
}
