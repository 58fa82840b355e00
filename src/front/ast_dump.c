/* ast_dump.c - ast.dump(tree, include_attributes=True, indent=1) exactly as CPython 3.13. */
#include <string.h>

#include "ast.h"

static void newline_indent(Buf *b, int level)
{
    buf_byte(b, '\n');
    for (int i = 0; i < level; i++) buf_byte(b, ' ');
}

static void dump_ident(Buf *b, const char *s)
{
    repr_str_utf8(b, (const uint8_t *)s, strlen(s));
}

/* Whether a node prints with no arguments (it is then "simple" for its parent). */
static bool node_is_empty(const AstNode *n)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    if (d->has_attributes) return false;
    for (int i = 0; i < d->nfields; i++) {
        AstField f = n->f[i];
        switch (d->fields[i].type) {
        case AF_OPT_NODE: case AF_OPT_IDENT: if (f.n) return false; break;
        case AF_SEQ: case AF_SEQ_IDENT: case AF_SEQ_ENUM: if (f.s && f.s->n) return false; break;
        default: return false;
        }
    }
    return true;
}

static void dump_node(Buf *b, const AstNode *n, int level);

typedef enum { SEQ_NODES, SEQ_IDENTS, SEQ_ENUMS } SeqItems;

static void dump_seq(Buf *b, const AstSeq *s, SeqItems what, int level)
{
    if (!s || !s->n) { buf_put(b, "[]", 2); return; }
    level++;
    buf_byte(b, '[');
    for (uint32_t i = 0; i < s->n; i++) {
        if (i) buf_byte(b, ',');
        newline_indent(b, level);
        if (!s->items[i] && what != SEQ_ENUMS) buf_put(b, "None", 4);
        else if (what == SEQ_IDENTS) dump_ident(b, s->items[i]);
        else if (what == SEQ_ENUMS) buf_printf(b, "%s()", ast_kinds[(intptr_t)s->items[i]].name);
        else dump_node(b, s->items[i], level);
    }
    buf_byte(b, ']');
}

/* A field's value is printed unless it is None or [] (Constant and MatchSingleton always
   show their value). */
static bool field_shown(const AstNode *n, int i)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    AstField f = n->f[i];
    switch (d->fields[i].type) {
    case AF_OPT_NODE: case AF_OPT_IDENT: case AF_NODE: case AF_IDENT: return f.n != NULL;
    case AF_SEQ: case AF_SEQ_IDENT: case AF_SEQ_ENUM: return f.s && f.s->n;
    default: return true;
    }
}

/* Whether the formatted field is "simple" (a plain repr or an empty node). */
static bool field_simple(const AstNode *n, int i)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    switch (d->fields[i].type) {
    case AF_NODE: case AF_OPT_NODE: return node_is_empty(n->f[i].n);
    case AF_SEQ: case AF_SEQ_IDENT: case AF_SEQ_ENUM: return false;
    default: return true;
    }
}

static void dump_field(Buf *b, const AstNode *n, int i, int level)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    AstField f = n->f[i];
    switch (d->fields[i].type) {
    case AF_NODE: case AF_OPT_NODE: dump_node(b, f.n, level); break;
    case AF_SEQ: dump_seq(b, f.s, SEQ_NODES, level); break;
    case AF_SEQ_IDENT: dump_seq(b, f.s, SEQ_IDENTS, level); break;
    case AF_SEQ_ENUM: dump_seq(b, f.s, SEQ_ENUMS, level); break;
    case AF_IDENT: case AF_OPT_IDENT: dump_ident(b, f.id); break;
    case AF_CONST: repr_value_as(b, f.v, &cpyc_target_3_13); break;   /* frozensets in 3.13's order */
    case AF_INT: case AF_OPT_INT: buf_printf(b, "%lld", (long long)f.i); break;
    case AF_ENUM: buf_printf(b, "%s()", ast_kinds[f.i].name); break;
    }
}

static void dump_node(Buf *b, const AstNode *n, int level)
{
    const AstKindDesc *d = &ast_kinds[n->kind];
    level++;
    int nargs = 0;
    bool simple = true;
    for (int i = 0; i < d->nfields; i++) {
        if (!field_shown(n, i)) continue;
        nargs++;
        simple = simple && field_simple(n, i);
    }
    if (d->has_attributes) nargs += 4;
    buf_put(b, d->name, strlen(d->name));
    buf_byte(b, '(');
    bool one_line = simple && nargs <= 3;
    int k = 0;
    for (int i = 0; i < d->nfields; i++) {
        if (!field_shown(n, i)) continue;
        if (k++) buf_byte(b, ',');
        if (one_line) { if (k > 1) buf_byte(b, ' '); }
        else newline_indent(b, level);
        buf_printf(b, "%s=", d->fields[i].name);
        dump_field(b, n, i, level);
    }
    if (d->has_attributes) {
        static const char *const names[4] = {"lineno", "col_offset", "end_lineno", "end_col_offset"};
        int32_t vals[4] = {n->lineno, n->col_offset, n->end_lineno, n->end_col_offset};
        for (int i = 0; i < 4; i++) {
            if (k++) buf_byte(b, ',');
            newline_indent(b, level);
            buf_printf(b, "%s=%d", names[i], (int)vals[i]);
        }
    }
    buf_byte(b, ')');
}

void ast_dump(Buf *out, const AstNode *tree)
{
    dump_node(out, tree, 0);
}
