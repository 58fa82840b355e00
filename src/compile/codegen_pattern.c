/* codegen_pattern.c - the match statement (PEP 634): each pattern consumes its subject and
   jumps to a "fail_pop" label that pops what is left on failure; captures wait on the stack
   until the whole pattern has matched. */
#include <limits.h>
#include <string.h>

#include "codegen_internal.h"

static SrcLoc LOC(const AstNode *n) { return loc_of(n); }

typedef struct Names { const char **items; int n, cap; } Names;

typedef struct PatternCtx {
    Names stores;           /* names captured so far, in stack order */
    bool allow_irrefutable;
    int *fail_pop;          /* labels: jumping to fail_pop[i] pops i items */
    int fail_pop_size;
    int on_top;             /* items above the captures that stay on top */
} PatternCtx;

static int names_push(Compiler *c, Names *l, const char *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        const char **p = arena_alloc(c->arena, (size_t)cap * sizeof *p);
        if (!p) return cg_nomem(c);
        if (l->n) memcpy(p, l->items, (size_t)l->n * sizeof *p);
        l->items = p, l->cap = cap;
    }
    l->items[l->n++] = s;
    return 0;
}

static int names_index(const Names *l, const char *s)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0) return i;
    return -1;
}

static bool is_wildcard(const AstNode *p) { return p->kind == AST_MatchAs && !FID(p, MatchAs, name); }
static bool is_star_wildcard(const AstNode *p) { return p->kind == AST_MatchStar && !FID(p, MatchStar, name); }

static int pattern(Compiler *c, const AstNode *p, PatternCtx *pc);

static int ensure_fail_pop(Compiler *c, PatternCtx *pc, int n)
{
    int size = n + 1;
    if (size <= pc->fail_pop_size) return 0;
    int *labels = arena_alloc(c->arena, (size_t)size * sizeof *labels);
    if (!labels) return cg_nomem(c);
    if (pc->fail_pop_size) memcpy(labels, pc->fail_pop, (size_t)pc->fail_pop_size * sizeof *labels);
    pc->fail_pop = labels;
    while (pc->fail_pop_size < size) RET(pc->fail_pop[pc->fail_pop_size++] = cg_label(c));
    return 0;
}

static int jump_to_fail_pop(Compiler *c, SrcLoc loc, PatternCtx *pc, int op)
{
    int pops = pc->on_top + pc->stores.n;
    RET(ensure_fail_pop(c, pc, pops));
    return cg_jump(c, loc, op, pc->fail_pop[pops]);
}

static int emit_and_reset_fail_pop(Compiler *c, SrcLoc loc, PatternCtx *pc)
{
    if (!pc->fail_pop_size) return 0;
    while (--pc->fail_pop_size) {
        RET(cg_use_label(c, pc->fail_pop[pc->fail_pop_size]));
        RET(cg_op(c, loc, OP_POP_TOP));
    }
    RET(cg_use_label(c, pc->fail_pop[0]));
    pc->fail_pop = NULL;
    return 0;
}

static int rotate(Compiler *c, SrcLoc loc, int count)
{
    while (1 < count) RET(cg_opi(c, loc, OP_SWAP, count--));
    return 0;
}

static int store_name(Compiler *c, SrcLoc loc, const char *n, PatternCtx *pc)
{
    if (!n) return cg_op(c, loc, OP_POP_TOP);
    if (strcmp(n, "__debug__") == 0) return cg_error(c, loc, "cannot assign to __debug__");
    if (names_index(&pc->stores, n) >= 0)
        return cg_error(c, loc, "multiple assignments to name '%s' in pattern", n);
    RET(rotate(c, loc, pc->on_top + pc->stores.n + 1));
    return names_push(c, &pc->stores, n);
}

static int subpattern(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    bool allow = pc->allow_irrefutable;
    pc->allow_irrefutable = true;
    RET(pattern(c, p, pc));
    pc->allow_irrefutable = allow;
    return 0;
}

static int sequence_unpack(Compiler *c, SrcLoc loc, const AstSeq *patterns, PatternCtx *pc)
{
    RET(cg_unpack(c, loc, patterns, AST_MatchStar, "sequence pattern"));
    int size = (int)seq_len(patterns);
    pc->on_top += size;
    for (int i = 0; i < size; i++) {
        pc->on_top--;
        RET(subpattern(c, seq_at(patterns, (uint32_t)i), pc));
    }
    return 0;
}

/* [a, *_, b]: BINARY_SUBSCR on the subject instead of unpacking it. */
static int sequence_subscr(Compiler *c, SrcLoc loc, const AstSeq *patterns, int star, PatternCtx *pc)
{
    pc->on_top++;
    int size = (int)seq_len(patterns);
    for (int i = 0; i < size; i++) {
        const AstNode *p = seq_at(patterns, (uint32_t)i);
        if (is_wildcard(p) || i == star) continue;
        RET(cg_opi(c, loc, OP_COPY, 1));
        if (i < star) {
            RET(cg_load_int(c, loc, i));
        } else {
            RET(cg_op(c, loc, OP_GET_LEN));
            RET(cg_load_int(c, loc, size - i));
            RET(cg_binop(c, loc, AST_Sub, false));
        }
        RET(cg_op(c, loc, OP_BINARY_SUBSCR));
        RET(subpattern(c, p, pc));
    }
    pc->on_top--;
    return cg_op(c, loc, OP_POP_TOP);
}

static int pattern_as(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    const AstNode *sub = FN(p, MatchAs, pattern);
    const char *name = FID(p, MatchAs, name);
    if (!sub) {
        if (!pc->allow_irrefutable) {
            if (name) return cg_error(c, LOC(p), "name capture '%s' makes remaining patterns unreachable", name);
            return cg_error(c, LOC(p), "wildcard makes remaining patterns unreachable");
        }
        return store_name(c, LOC(p), name, pc);
    }
    pc->on_top++;
    RET(cg_opi(c, LOC(p), OP_COPY, 1));
    RET(pattern(c, sub, pc));
    pc->on_top--;
    return store_name(c, LOC(p), name, pc);
}

static int pattern_class(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    const AstSeq *patterns = FS(p, MatchClass, patterns), *kwd_attrs = FS(p, MatchClass, kwd_attrs);
    const AstSeq *kwd_patterns = FS(p, MatchClass, kwd_patterns);
    int nargs = (int)seq_len(patterns), nattrs = (int)seq_len(kwd_attrs);
    if (nattrs != (int)seq_len(kwd_patterns))
        return cg_error(c, LOC(p), "kwd_attrs (%d) / kwd_patterns (%d) length mismatch in class pattern",
                        nattrs, (int)seq_len(kwd_patterns));
    for (int i = 0; i < nattrs; i++) {
        const char *attr = kwd_attrs->items[i];
        SrcLoc loc = LOC(seq_at(kwd_patterns, (uint32_t)i));
        if (strcmp(attr, "__debug__") == 0) return cg_error(c, loc, "cannot assign to __debug__");
        for (int j = i + 1; j < nattrs; j++)
            if (strcmp(attr, kwd_attrs->items[j]) == 0)
                return cg_error(c, LOC(seq_at(kwd_patterns, (uint32_t)j)),
                                "attribute name repeated in class pattern: %s", attr);
    }
    RET(cg_expr(c, FN(p, MatchClass, cls)));
    Value **items = arena_alloc(c->arena, ((size_t)nattrs + 1) * sizeof *items);
    if (!items) return cg_nomem(c);
    for (int i = 0; i < nattrs; i++)
        if (!(items[i] = cg_ident_id(c, kwd_attrs->items[i]))) return cg_nomem(c);
    SrcLoc loc = LOC(p);
    RET(cg_load_const(c, loc, const_tuple(c->arena, items, (size_t)nattrs)));
    RET(cg_opi(c, loc, OP_MATCH_CLASS, nargs));
    RET(cg_opi(c, loc, OP_COPY, 1));
    RET(cg_load_none(c, loc));
    RET(cg_opi(c, loc, OP_IS_OP, 1));
    pc->on_top++;
    RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    RET(cg_opi(c, loc, OP_UNPACK_SEQUENCE, nargs + nattrs));
    pc->on_top += nargs + nattrs - 1;
    for (int i = 0; i < nargs + nattrs; i++) {
        pc->on_top--;
        const AstNode *sub = i < nargs ? seq_at(patterns, (uint32_t)i) : seq_at(kwd_patterns, (uint32_t)(i - nargs));
        if (is_wildcard(sub)) {
            RET(cg_op(c, loc, OP_POP_TOP));
            continue;
        }
        RET(subpattern(c, sub, pc));
    }
    return 0;
}

static int pattern_mapping(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    SrcLoc loc = LOC(p);
    const AstSeq *keys = FS(p, MatchMapping, keys), *patterns = FS(p, MatchMapping, patterns);
    int size = (int)seq_len(keys), npatterns = (int)seq_len(patterns);
    if (size != npatterns)
        return cg_error(c, loc, "keys (%d) / patterns (%d) length mismatch in mapping pattern", size, npatterns);
    const char *star_target = FID(p, MatchMapping, rest);
    pc->on_top++;
    RET(cg_op(c, loc, OP_MATCH_MAPPING));
    RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    if (!size && !star_target) {
        pc->on_top--;
        return cg_op(c, loc, OP_POP_TOP);
    }
    if (size) {
        RET(cg_op(c, loc, OP_GET_LEN));
        RET(cg_load_int(c, loc, size));
        RET(cg_addcompare(c, loc, AST_GtE));
        RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    }
    for (int i = 0; i < size; i++) {
        const AstNode *key = seq_at(keys, (uint32_t)i);
        if (!key)
            return cg_error(c, LOC(seq_at(patterns, (uint32_t)i)),
                            "can't use NULL keys in MatchMapping (set 'rest' parameter instead)");
        if (key->kind == AST_Constant) {
            for (int j = 0; j < i; j++) {   /* duplicate literal keys (by constant key) */
                const AstNode *o = seq_at(keys, (uint32_t)j);
                if (o->kind == AST_Constant && const_key_equal(FV(o, Constant, value), FV(key, Constant, value))) {
                    Buf b = {0};
                    repr_value(&b, FV(key, Constant, value));
                    buf_byte(&b, 0);
                    int r = cg_error(c, loc, "mapping pattern checks duplicate key (%s)",
                                     b.data ? (const char *)b.data : "?");
                    buf_free(&b);
                    return r;
                }
            }
        } else if (key->kind != AST_Attribute) {
            return cg_error(c, loc, "mapping pattern keys may only match literals and attribute lookups");
        }
        RET(cg_expr(c, key));
    }
    RET(cg_opi(c, loc, OP_BUILD_TUPLE, size));
    RET(cg_op(c, loc, OP_MATCH_KEYS));
    pc->on_top += 2;
    RET(cg_opi(c, loc, OP_COPY, 1));
    RET(cg_load_none(c, loc));
    RET(cg_opi(c, loc, OP_IS_OP, 1));
    RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    RET(cg_opi(c, loc, OP_UNPACK_SEQUENCE, size));
    pc->on_top += size - 1;
    for (int i = 0; i < size; i++) {
        pc->on_top--;
        RET(subpattern(c, seq_at(patterns, (uint32_t)i), pc));
    }
    pc->on_top -= 2;
    if (star_target) {
        RET(cg_opi(c, loc, OP_BUILD_MAP, 0));
        RET(cg_opi(c, loc, OP_SWAP, 3));
        RET(cg_opi(c, loc, OP_DICT_UPDATE, 2));
        RET(cg_opi(c, loc, OP_UNPACK_SEQUENCE, size));
        while (size) {
            RET(cg_opi(c, loc, OP_COPY, 1 + size--));
            RET(cg_opi(c, loc, OP_SWAP, 2));
            RET(cg_op(c, loc, OP_DELETE_SUBSCR));
        }
        return store_name(c, loc, star_target, pc);
    }
    RET(cg_op(c, loc, OP_POP_TOP));
    return cg_op(c, loc, OP_POP_TOP);
}

static int pattern_or(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    int end = cg_label(c);
    RET(end);
    const AstSeq *alts = FS(p, MatchOr, patterns);
    int size = (int)seq_len(alts);
    PatternCtx old = *pc;
    Names control = {0};
    for (int i = 0; i < size; i++) {
        const AstNode *alt = seq_at(alts, (uint32_t)i);
        pc->stores = (Names){0};
        pc->allow_irrefutable = i == size - 1 && old.allow_irrefutable;
        pc->fail_pop = NULL;
        pc->fail_pop_size = 0;
        pc->on_top = 0;
        RET(cg_opi(c, LOC(alt), OP_COPY, 1));
        RET(pattern(c, alt, pc));
        int nstores = pc->stores.n;
        if (i == 0) {
            control = pc->stores;
        } else if (nstores != control.n) {
            return cg_error(c, LOC(p), "alternative patterns bind different names");
        } else if (nstores) {
            for (int icontrol = nstores; icontrol-- > 0;) {
                int istores = names_index(&pc->stores, control.items[icontrol]);
                if (istores < 0) return cg_error(c, LOC(p), "alternative patterns bind different names");
                if (icontrol != istores) {
                    /* rotated = stores[:istores+1]; del that; insert it at icontrol - istores */
                    int rotations = istores + 1;
                    const char **tmp = arena_alloc(c->arena, (size_t)nstores * sizeof *tmp);
                    if (!tmp) return cg_nomem(c);
                    int at = icontrol - istores, k = 0;
                    const char **rest = pc->stores.items + rotations;
                    int nrest = nstores - rotations;
                    for (int j = 0; j < at && j < nrest; j++) tmp[k++] = rest[j];
                    for (int j = 0; j < rotations; j++) tmp[k++] = pc->stores.items[j];
                    for (int j = at; j < nrest; j++) tmp[k++] = rest[j];
                    memcpy(pc->stores.items, tmp, (size_t)nstores * sizeof *tmp);
                    while (rotations--) RET(rotate(c, LOC(alt), icontrol + 1));
                }
            }
        }
        RET(cg_jump(c, LOC(alt), OP_JUMP, end));
        RET(emit_and_reset_fail_pop(c, LOC(alt), pc));
    }
    *pc = old;
    RET(cg_op(c, LOC(p), OP_POP_TOP));
    RET(jump_to_fail_pop(c, LOC(p), pc, OP_JUMP));
    RET(cg_use_label(c, end));
    int nstores = control.n;
    int nrots = nstores + 1 + pc->on_top + pc->stores.n;
    for (int i = 0; i < nstores; i++) {
        RET(rotate(c, LOC(p), nrots));
        const char *name = control.items[i];
        if (names_index(&pc->stores, name) >= 0)
            return cg_error(c, LOC(p), "multiple assignments to name '%s' in pattern", name);
        RET(names_push(c, &pc->stores, name));
    }
    return cg_op(c, LOC(p), OP_POP_TOP);
}

static int pattern_sequence(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    SrcLoc loc = LOC(p);
    const AstSeq *patterns = FS(p, MatchSequence, patterns);
    int size = (int)seq_len(patterns), star = -1;
    bool only_wildcard = true, star_wildcard = false;
    for (int i = 0; i < size; i++) {
        const AstNode *sub = seq_at(patterns, (uint32_t)i);
        if (sub->kind == AST_MatchStar) {
            if (star >= 0) return cg_error(c, loc, "multiple starred names in sequence pattern");
            star_wildcard = is_star_wildcard(sub);
            only_wildcard &= star_wildcard;
            star = i;
            continue;
        }
        only_wildcard &= is_wildcard(sub);
    }
    pc->on_top++;
    RET(cg_op(c, loc, OP_MATCH_SEQUENCE));
    RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    if (star < 0) {
        RET(cg_op(c, loc, OP_GET_LEN));
        RET(cg_load_int(c, loc, size));
        RET(cg_addcompare(c, loc, AST_Eq));
        RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    } else if (size > 1) {
        RET(cg_op(c, loc, OP_GET_LEN));
        RET(cg_load_int(c, loc, size - 1));
        RET(cg_addcompare(c, loc, AST_GtE));
        RET(jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE));
    }
    pc->on_top--;
    if (only_wildcard) return cg_op(c, loc, OP_POP_TOP);
    if (star_wildcard) return sequence_subscr(c, loc, patterns, star, pc);
    return sequence_unpack(c, loc, patterns, pc);
}

static int pattern(Compiler *c, const AstNode *p, PatternCtx *pc)
{
    SrcLoc loc = LOC(p);
    switch (p->kind) {
    case AST_MatchValue: {
        const AstNode *v = FN(p, MatchValue, value);
        if (v->kind != AST_Constant && v->kind != AST_Attribute)
            return cg_error(c, loc, "patterns may only match literals and attribute lookups");
        RET(cg_expr(c, v));
        RET(cg_addcompare(c, loc, AST_Eq));
        RET(cg_op(c, loc, OP_TO_BOOL));
        return jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE);
    }
    case AST_MatchSingleton:
        RET(cg_load_const(c, loc, FV(p, MatchSingleton, value)));
        RET(cg_addcompare(c, loc, AST_Is));
        return jump_to_fail_pop(c, loc, pc, OP_POP_JUMP_IF_FALSE);
    case AST_MatchSequence: return pattern_sequence(c, p, pc);
    case AST_MatchMapping: return pattern_mapping(c, p, pc);
    case AST_MatchClass: return pattern_class(c, p, pc);
    case AST_MatchStar: return store_name(c, loc, FID(p, MatchStar, name), pc);
    case AST_MatchAs: return pattern_as(c, p, pc);
    case AST_MatchOr: return pattern_or(c, p, pc);
    default: return cg_error(c, loc, "invalid match pattern node in AST (kind=%d)", p->kind);
    }
}

int cg_match(Compiler *c, const AstNode *s)
{
    RET(cg_expr(c, FN(s, Match, subject)));
    int end = cg_label(c);
    RET(end);
    const AstSeq *cases = FS(s, Match, cases);
    uint32_t n = seq_len(cases);
    const AstNode *m = seq_at(cases, n - 1);
    bool has_default = is_wildcard(FN(m, match_case, pattern)) && n > 1;
    PatternCtx pc = {0};
    for (uint32_t i = 0; i < n - has_default; i++) {
        m = seq_at(cases, i);
        const AstNode *pat = FN(m, match_case, pattern), *guard = FN(m, match_case, guard);
        if (i != n - has_default - 1) RET(cg_opi(c, LOC(pat), OP_COPY, 1));
        pc.stores = (Names){0};
        pc.allow_irrefutable = guard != NULL || i == n - 1;
        pc.fail_pop = NULL;
        pc.fail_pop_size = 0;
        pc.on_top = 0;
        RET(pattern(c, pat, &pc));
        for (int k = 0; k < pc.stores.n; k++) RET(cg_nameop(c, LOC(pat), pc.stores.items[k], AST_Store));
        if (guard) {
            RET(ensure_fail_pop(c, &pc, 0));
            RET(cg_jump_if(c, LOC(pat), guard, pc.fail_pop[0], false));
        }
        if (i != n - has_default - 1) RET(cg_op(c, LOC(pat), OP_POP_TOP));
        RET(cg_stmts(c, FS(m, match_case, body)));
        RET(cg_jump(c, NO_LOC, OP_JUMP, end));
        RET(emit_and_reset_fail_pop(c, LOC(pat), &pc));
    }
    if (has_default) {
        m = seq_at(cases, n - 1);
        const AstNode *pat = FN(m, match_case, pattern), *guard = FN(m, match_case, guard);
        if (n == 1) RET(cg_op(c, LOC(pat), OP_POP_TOP));
        else RET(cg_op(c, LOC(pat), OP_NOP));
        if (guard) RET(cg_jump_if(c, LOC(pat), guard, end, false));
        RET(cg_stmts(c, FS(m, match_case, body)));
    }
    return cg_use_label(c, end);
}
