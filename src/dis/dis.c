/* dis.c - lists a pyc's bytecode exactly as `dis.dis()` of the CPython that wrote it does. */
#include <stdlib.h>
#include <string.h>

#include "dis.h"

/* Per-code-unit marks; line starts use these two values besides real line numbers. */
#define LINE_NOT_START INT64_MIN
#define LINE_NONE (INT64_MIN + 1)   /* starts a range without a line (3.13 prints "--") */

typedef struct {
    const cpyc_target *t;
    const DisOpcodes *ops;
    Buf *out;
    Arena *arena;
    PtrMap ids;         /* code object -> its number, printed where CPython prints an address */
    cpyc_error *err;
    size_t limit;       /* the listing may not grow past this length */
    bool offsets;       /* 3.13: show_offsets=True (older versions always show them) */
    bool caches;        /* show_caches=True (3.11+) */
    bool compiled;      /* DIS_COMPILED: compile()'s code in memory, not read from a pyc */
} Dis;

/* A crafted file can share one code object among many constants, level after level, so that
   listing it (as dis does, once per occurrence) would never end; CPython's own pycs stay far
   below this. */
enum { DIS_MAX_OUTPUT = 256 << 20 };

typedef struct {
    size_t offset;
    int op;             /* as stored */
    int deop;           /* its base instruction, whose facts dis uses */
    bool has_arg;
    int64_t arg;
} Instr;

typedef struct {
    const uint8_t *code;
    size_t len, pos;
    int32_t ext;        /* pending EXTENDED_ARG bits (a C int in CPython) */
    int caches;         /* cache entries still to skip */
} InstrIter;

/* The next instruction, skipping inline caches; false at the end of the code. */
static bool next_instr(const Dis *d, InstrIter *it, Instr *in)
{
    while (it->caches && it->pos + 1 < it->len) {
        it->caches--;
        it->pos += 2;
    }
    if (it->pos + 1 >= it->len) return false;
    in->offset = it->pos;
    in->op = it->code[it->pos];
    in->deop = d->ops->ops[in->op].deopt;
    const DisOp *o = &d->ops->ops[in->deop];
    it->caches = o->caches;
    in->has_arg = o->kind != DA_NONE;
    if (in->has_arg) {
        in->arg = (int64_t)(it->ext | it->code[it->pos + 1]);
        it->ext = in->deop == d->ops->extended_arg ? (int32_t)((uint32_t)in->arg << 8) : 0;
    } else {
        in->arg = 0;
        it->ext = 0;
    }
    it->pos += 2;
    return true;
}

static int64_t jump_target(const Dis *d, const Instr *in)
{
    const DisOp *o = &d->ops->ops[in->deop];
    int64_t unit = d->t->dis.jump_unit;
    int64_t after = (int64_t)in->offset + 2 + 2 * (int64_t)o->caches;
    switch (o->kind) {
    case DA_JABS: return in->arg * unit;
    case DA_JREL: return after + in->arg * unit;
    case DA_JBACK: return after - in->arg * unit;
    default: return -1;
    }
}

static bool is_jump(const Dis *d, const Instr *in)
{
    uint8_t k = d->ops->ops[in->deop].kind;
    return k == DA_JABS || k == DA_JREL || k == DA_JBACK;
}

/* ---- line numbers: the (offset, line) pairs dis.findlinestarts yields, one slot per code unit */

static void set_start(int64_t *starts, size_t nunits, int64_t offset, int64_t line)
{
    if (offset >= 0 && offset % 2 == 0 && (size_t)offset / 2 < nunits) starts[offset / 2] = line;
}

static void lines_lnotab(const Code *c, int64_t *starts, size_t nunits)
{
    const Value *tab = c->oval[CO_LNOTAB];
    size_t codelen = c->oval[CO_CODE]->u.s.len;
    int64_t line = c->ival[CO_FIRSTLINENO], last = LINE_NOT_START, addr = 0;
    for (size_t i = 0; tab && i + 1 < tab->u.s.len; i += 2) {
        uint8_t dbyte = tab->u.s.data[i];
        int8_t dline = (int8_t)tab->u.s.data[i + 1];
        if (dbyte) {
            if (line != last) {
                set_start(starts, nunits, addr, line);
                last = line;
            }
            addr += dbyte;
            if (addr >= (int64_t)codelen) return;
        }
        line += dline;
    }
    if (line != last) set_start(starts, nunits, addr, line);
}

/* Calls back for each range co_lines() yields; line is LINE_NONE for a range without one. */
typedef struct {
    int64_t *starts;
    size_t nunits;
    int64_t last;
    bool keep_none;     /* 3.13 records ranges without a line too */
} LineStarts;

static void on_range(LineStarts *ls, int64_t start, int64_t line)
{
    if (line == LINE_NONE && !ls->keep_none) return;
    if (line == ls->last) return;
    ls->last = line;
    set_start(ls->starts, ls->nunits, start, line);
}

static void lines_310(const Code *c, LineStarts *ls)
{
    const Value *tab = c->oval[CO_LINETABLE];
    int64_t line = c->ival[CO_FIRSTLINENO], end = 0;
    for (size_t i = 0; tab && i + 1 < tab->u.s.len; i += 2) {
        int64_t start = end;
        end += tab->u.s.data[i];
        int8_t dline = (int8_t)tab->u.s.data[i + 1];
        int64_t ar_line = LINE_NONE;
        if (dline != -128) ar_line = line += dline;
        if (start != end) on_range(ls, start, ar_line);
    }
}

static uint64_t read_varint(const uint8_t *p, size_t len, size_t *i)
{
    uint64_t val = 0;
    int shift = 0;
    while (*i < len) {
        uint8_t b = p[(*i)++];
        if (shift < 58) val |= (uint64_t)(b & 63) << shift;
        shift += 6;
        if (!(b & 64)) break;
    }
    return val;
}

static void lines_locations(const Code *c, LineStarts *ls)
{
    const Value *tab = c->oval[CO_LINETABLE];
    const uint8_t *p = tab ? tab->u.s.data : NULL;
    size_t len = tab ? tab->u.s.len : 0, i = 0;
    int64_t line = c->ival[CO_FIRSTLINENO], end = 0;
    int64_t run_start = 0, run_line = LINE_NOT_START;
    while (i < len) {
        uint8_t first = p[i];
        int code = (first >> 3) & 15;
        int64_t start = end;
        end += 2 * ((first & 7) + 1);
        size_t j = i + 1;
        if (code == 13 || code == 14) {
            uint64_t u = read_varint(p, len, &j);
            line += (u & 1) ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
        } else if (code >= 10 && code <= 12) {
            line += code - 10;
        }
        int64_t ar_line = code == 15 ? LINE_NONE : line;
        /* co_lines() merges neighbouring ranges of the same line */
        if (ar_line != run_line) {
            if (run_line != LINE_NOT_START) on_range(ls, run_start, run_line);
            run_start = start;
            run_line = ar_line;
        }
        i++;
        while (i < len && !(p[i] & 128)) i++;
    }
    if (run_line != LINE_NOT_START) on_range(ls, run_start, run_line);
}

static void line_starts(const Dis *d, const Code *c, int64_t *starts, size_t nunits)
{
    for (size_t i = 0; i < nunits; i++) starts[i] = LINE_NOT_START;
    LineStarts ls = {starts, nunits, LINE_NOT_START, d->t->dis.labels};
    switch (d->t->line_table) {
    case LINES_LNOTAB: lines_lnotab(c, starts, nunits); break;
    case LINES_310: lines_310(c, &ls); break;
    case LINES_LOCATIONS: lines_locations(c, &ls); break;
    }
}

/* ---- exception table (3.11+) */

typedef struct { int64_t start, end, target, depth; bool lasti; } ExcEntry;

/* Reads the entries (the last incomplete one is dropped, as dis does); returns their count. */
static size_t exception_entries(const Dis *d, const Code *c, ExcEntry **out)
{
    const Value *tab = c->oval[CO_EXCEPTIONTABLE];
    *out = NULL;
    if (!tab || !tab->u.s.len) return 0;
    const uint8_t *p = tab->u.s.data;
    size_t len = tab->u.s.len, i = 0, n = 0;
    ExcEntry *e = arena_alloc(d->arena, sizeof *e * (len / 4 + 1));
    if (!e) return 0;
    for (;;) {
        uint64_t f[4];
        int k;
        for (k = 0; k < 4 && i < len; k++) {
            uint64_t v = p[i] & 63;
            while (p[i++] & 64 && i < len) v = (v << 6) | (p[i] & 63);
            f[k] = v & 0xffffffffffffull;
        }
        if (k < 4) break;
        e[n].start = (int64_t)f[0] * 2;
        e[n].end = e[n].start + (int64_t)f[1] * 2;
        e[n].target = (int64_t)f[2] * 2;
        e[n].depth = (int64_t)(f[3] >> 1);
        e[n].lasti = f[3] & 1;
        n++;
    }
    *out = e;
    return n;
}

/* The label number at a byte offset (0: none there). */
static int32_t label_at(const int32_t *labels, size_t nunits, int64_t offset)
{
    return offset >= 0 && offset % 2 == 0 && (uint64_t)offset / 2 < nunits ? labels[offset / 2] : 0;
}

/* ---- text */

static void pad_left(Buf *b, size_t width, const char *s, size_t n)
{
    for (size_t i = n; i < width; i++) buf_byte(b, ' ');
    buf_put(b, s, n);
}

static void put_code_repr(Dis *d, const Code *c)
{
    long long id = ptrmap_get_or_add(&d->ids, c);
    if (id < 0) id = (long long)d->ids.count - 1;
    const Value *name = c->oval[CO_NAME], *file = c->oval[CO_FILENAME];
    buf_put(d->out, "<code object ", 13);
    if (name) buf_put(d->out, name->u.s.data, name->u.s.len);
    buf_printf(d->out, " at 0x%llx, file \"", id + 1);
    if (file) buf_put(d->out, file->u.s.data, file->u.s.len);
    buf_printf(d->out, "\", line %d>", (int)c->ival[CO_FIRSTLINENO]);
}

static void put_value(Dis *d, const Value *v)
{
    if (v->kind == V_CODE) put_code_repr(d, v->u.code);
    else if (d->compiled) repr_value_compiled(d->out, v, d->t);
    else repr_value_as(d->out, v, d->t);
}

/* co_names[i] or the like; NULL when i is out of range. */
static const Value *item_at(const Value *tuple, int64_t i)
{
    return tuple && i >= 0 && (uint64_t)i < tuple->u.seq.n ? tuple->u.seq.items[i] : NULL;
}

/* Appends the str co_names[i] (or the like); false when i is out of range. */
static bool put_name(Buf *b, const Value *tuple, int64_t i)
{
    const Value *s = item_at(tuple, i);
    if (s) buf_put(b, s->u.s.data, s->u.s.len);
    return s != NULL;
}

static bool put_table(Buf *b, const char *const *table, int n, int64_t i)
{
    if (i < 0 || i >= n) return false;
    buf_put(b, table[i], strlen(table[i]));
    return true;
}

/* Local variable i: co_varnames, or the localsplus names from 3.11. */
static bool put_local(const Code *c, Buf *b, int64_t i)
{
    return put_name(b, c->oval[CO_LOCALSPLUSNAMES] ? c->oval[CO_LOCALSPLUSNAMES] : c->oval[CO_VARNAMES], i);
}

static bool put_cell(const Code *c, Buf *b, int64_t i)
{
    const Value *cells = c->oval[CO_CELLVARS];
    size_t ncells = cells ? cells->u.seq.n : 0;
    if (i >= 0 && (uint64_t)i < ncells) return put_name(b, cells, i);
    return put_name(b, c->oval[CO_FREEVARS], i - (int64_t)ncells);
}

/* The text dis puts in parentheses after the argument; returns false when the argument
   indexes past its table (CPython's dis raises IndexError there). */
static bool put_argrepr(Dis *d, const Code *c, const Instr *in, const int32_t *labels)
{
    const DisStyle *st = &d->t->dis;
    const DisOpcodes *ops = d->ops;
    Buf *b = d->out;
    int64_t arg = in->arg;
    const Value *names = c->oval[CO_NAMES];
    switch ((DisArgKind)ops->ops[in->deop].kind) {
    case DA_NONE: case DA_RAW: return true;
    case DA_CONST: {
        const Value *consts = c->oval[CO_CONSTS];
        if (arg < 0 || (uint64_t)arg >= consts->u.seq.n) return false;
        put_value(d, consts->u.seq.items[arg]);
        return true;
    }
    case DA_NAME: return put_name(b, names, arg);
    case DA_GLOBAL: case DA_ATTR: case DA_SUPER_ATTR: {
        const char *null = ops->ops[in->deop].kind == DA_GLOBAL ? "NULL" : "NULL|self";
        const Value *name = item_at(names, arg >> (ops->ops[in->deop].kind == DA_SUPER_ATTR ? 2 : 1));
        if (!name) return false;
        bool mark = (arg & 1) && name->u.s.len;   /* dis marks no NULL beside an empty name */
        if (mark && !st->null_after) buf_printf(b, "%s + ", null);
        buf_put(b, name->u.s.data, name->u.s.len);
        if (mark && st->null_after) buf_printf(b, " + %s", null);
        return true;
    }
    case DA_JABS: case DA_JREL: case DA_JBACK: {
        int64_t to = jump_target(d, in);
        if (ops->ops[in->deop].kind == DA_JABS && !st->jabs_shown) return true;
        if (st->labels)
            buf_printf(b, "to L%d", (int)label_at(labels, c->oval[CO_CODE]->u.s.len / 2 + 1, to));
        else
            buf_printf(b, "to %lld", (long long)to);
        return true;
    }
    case DA_LOCAL: return put_local(c, b, arg);
    case DA_FREE: return put_cell(c, b, arg);
    case DA_LOCAL_PAIR:
        if (!put_local(c, b, arg >> 4)) return false;
        buf_put(b, ", ", 2);
        return put_local(c, b, arg & 15);
    case DA_COMPARE: {
        bool as_bool = st->compare_bool_bit && (arg & st->compare_bool_bit);
        if (as_bool) buf_put(b, "bool(", 5);
        if (!put_table(b, ops->cmp_op, ops->n_cmp_op, arg >> st->compare_shift)) return false;
        if (as_bool) buf_byte(b, ')');
        return true;
    }
    case DA_FORMAT_VALUE: case DA_CONVERT: {
        static const char *const conv[] = {"", "str", "repr", "ascii"};
        bool is_format = ops->ops[in->deop].kind == DA_FORMAT_VALUE;
        int64_t which = is_format ? (arg & 3) : arg;
        if (!put_table(b, conv, 4, which)) return false;
        if (is_format && (arg & 4)) buf_printf(b, "%swith format", which ? ", " : "");
        return true;
    }
    case DA_FUNC_FLAGS: {
        const char *sep = "";
        for (int i = 0; i < ops->n_func_flags && i < 63; i++)
            if (arg & ((int64_t)1 << i)) {
                buf_printf(b, "%s%s", sep, ops->func_flags[i]);
                sep = ", ";
            }
        return true;
    }
    case DA_BINOP: return put_table(b, ops->nb_ops, ops->n_nb_ops, arg);
    case DA_INTRINSIC1: return put_table(b, ops->intrinsic1, ops->n_intrinsic1, arg);
    case DA_INTRINSIC2: return put_table(b, ops->intrinsic2, ops->n_intrinsic2, arg);
    }
    return true;
}

static size_t digits(int64_t v)
{
    char tmp[24];
    return (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v);
}

/* The width of the line-number column (0: none), as each version computes it. */
static size_t lineno_width(const Dis *d, const int64_t *starts, size_t nunits)
{
    int64_t max = LINE_NOT_START;
    bool any = false, none = false;
    for (size_t i = 0; i < nunits; i++) {
        if (starts[i] == LINE_NOT_START) continue;
        any = true;
        if (starts[i] == LINE_NONE) none = true;
        else if (starts[i] > max && (starts[i] || !d->t->dis.labels)) max = starts[i];
    }
    if (d->t->dis.labels) {
        if (max == LINE_NOT_START) return 0;
        size_t w = digits(max) > 3 ? digits(max) : 3;
        return w < 4 && none ? 4 : w;
    }
    if (!any) return 0;
    return max >= 1000 ? digits(max) : 3;
}

/* The widths of the columns before the opcode name. */
typedef struct { size_t lineno, label, offset; } Columns;

/* Line number, jump marker or label, and offset columns, as far as the opcode name. */
static void put_columns(Dis *d, const Columns *col, int64_t line, int32_t label, size_t offset)
{
    Buf *b = d->out;
    if (col->lineno) {
        char num[32];
        int n = line == LINE_NOT_START ? 0
                : line == LINE_NONE ? snprintf(num, sizeof num, "  --")
                : snprintf(num, sizeof num, "%lld", (long long)line);
        pad_left(b, col->lineno, num, (size_t)n);
        buf_byte(b, ' ');
    }
    char off[24];
    if (d->t->dis.labels) {
        char lbl[16];
        int n = label ? snprintf(lbl, sizeof lbl, "L%d:", (int)label) : 0;
        pad_left(b, col->label, lbl, (size_t)n);
        if (d->offsets) {
            buf_byte(b, ' ');
            pad_left(b, col->offset, off, (size_t)snprintf(off, sizeof off, "%zu", offset));
            buf_put(b, "  ", 2);
        }
        buf_put(b, "     ", 5);
    } else {
        buf_put(b, label ? "    >> " : "       ", 7);
        pad_left(b, col->offset, off, (size_t)snprintf(off, sizeof off, "%zu", offset));
        buf_byte(b, ' ');
    }
}

/* The opcode name and its argument's number, then " (" for the argument's text; returns
   where that " (" starts, for close_argrepr. */
static size_t put_name_arg(Dis *d, const char *name, int64_t arg)
{
    Buf *b = d->out;
    size_t nlen = strlen(name);
    buf_put(b, name, nlen);
    for (size_t i = nlen; i < 20; i++) buf_byte(b, ' ');
    buf_byte(b, ' ');
    char num[24];
    size_t excess = d->t->dis.labels && nlen > 20 ? nlen - 20 : 0;
    size_t n = (size_t)snprintf(num, sizeof num, "%lld", (long long)arg);
    pad_left(b, excess < 5 ? 5 - excess : 0, num, n);
    size_t before = b->len;
    buf_put(b, " (", 2);
    return before;
}

/* Closes the parenthesis put_name_arg opened, or drops it when no text followed. */
static void close_argrepr(Buf *b, size_t before)
{
    if (b->len == before + 2) b->len = before;
    else buf_byte(b, ')');
}

/* Ends a listing line, without the trailing blanks dis strips. */
static void end_line(Buf *b, size_t line_start)
{
    while (b->len > line_start && b->data[b->len - 1] == ' ') b->len--;
    buf_byte(b, '\n');
}

/* The little-endian number in code units [at, at + units) (as far as the code goes). */
static uint64_t cache_value(const uint8_t *code, size_t len, size_t at, int units)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 2 * (size_t)units && i < 8; i++)
        if (at + i < len) v |= (uint64_t)code[at + i] << (8 * i);
    return v;
}

/* dis.dis(show_caches=True): a CACHE line for every inline cache unit after the instruction,
   the first unit of each named field followed by "(name: value)" where the version shows it. */
static void put_caches(Dis *d, const Columns *col, const uint8_t *code, size_t len, const Instr *in)
{
    const DisCacheField *f = d->ops->ops[in->deop].cache_format;
    DisCacheStyle style = (DisCacheStyle)d->t->dis.caches;
    if (!f || style == CACHE_NO_FIELDS) return;
    size_t offset = in->offset;
    for (; f->name; f++)
        for (int i = 0; i < f->entries; i++) {
            offset += 2;
            size_t line_start = d->out->len;
            put_columns(d, col, LINE_NOT_START, 0, offset);
            size_t before = put_name_arg(d, "CACHE", 0);
            bool named = i == 0 && (style != CACHE_QUICKENED_FIELDS || in->op != in->deop);
            if (named)
                buf_printf(d->out, "%s: %llu", f->name, (unsigned long long)cache_value(
                    code, len, style == CACHE_FIELDS_AT_FIRST ? in->offset + 2 : offset, f->entries));
            close_argrepr(d->out, before);
            end_line(d->out, line_start);
        }
}

/* What co_code gives dis from 3.11 on: every specialized instruction replaced by its base
   instruction and the inline caches zeroed, whatever the file held. NULL: out of memory. */
static uint8_t *deoptimized(const Dis *d, const uint8_t *stored, size_t len)
{
    uint8_t *code = arena_alloc(d->arena, len ? len : 1);
    if (!code) return NULL;
    memcpy(code, stored, len);
    for (size_t i = 0; i + 1 < len; i += 2) {
        const DisOp *o = &d->ops->ops[d->ops->ops[code[i]].deopt];
        code[i] = d->ops->ops[code[i]].deopt;
        for (int k = 0; k < o->caches && i + 3 < len; k++) {
            i += 2;
            code[i] = code[i + 1] = 0;
        }
    }
    return code;
}

static int disassemble(Dis *d, const Code *c)
{
    const Value *codev = c->oval[CO_CODE];
    const DisStyle *st = &d->t->dis;
    size_t len = codev->u.s.len, nunits = len / 2 + 1;
    const uint8_t *code = st->code_deoptimized ? deoptimized(d, codev->u.s.data, len) : codev->u.s.data;
    Buf *b = d->out;
    if (!code) return error_at(d->err, CPYC_ERR_MEMORY, -1, "out of memory");
    int64_t *starts = arena_alloc(d->arena, sizeof *starts * nunits);
    int32_t *labels = arena_alloc(d->arena, sizeof *labels * nunits);
    if (!starts || !labels) return error_at(d->err, CPYC_ERR_MEMORY, -1, "out of memory");
    line_starts(d, c, starts, nunits);
    ExcEntry *exc = NULL;
    size_t nexc = st->exception_table ? exception_entries(d, c, &exc) : 0;

    /* Jump targets, then (3.13) the exception table's offsets, numbered in offset order. */
    InstrIter it = {.code = code, .len = len};
    Instr in;
    while (next_instr(d, &it, &in)) {
        if (!in.has_arg || !is_jump(d, &in)) continue;
        int64_t to = jump_target(d, &in);
        if (to >= 0 && to % 2 == 0 && (size_t)to / 2 < nunits) labels[to / 2] = 1;
    }
    for (size_t i = 0; i < nexc; i++) {
        const int64_t at[3] = {exc[i].start, exc[i].end, exc[i].target};
        for (int k = 0; k < 3; k++) {
            bool wanted = st->labels ? true : (k == 2 && exc[i].end > exc[i].start);
            if (wanted && at[k] >= 0 && (size_t)at[k] / 2 < nunits) labels[at[k] / 2] = 1;
        }
    }
    int32_t nlabels = 0;
    for (size_t i = 0; i < nunits; i++)
        if (labels[i]) labels[i] = ++nlabels;

    size_t lw = lineno_width(d, starts, nunits);
    size_t label_w = st->labels ? 4 + digits(nlabels) : 0;
    size_t offset_w = len >= 10002 ? digits((int64_t)len - 2) : 4;   /* at least "9999" */
    Columns col = {lw, label_w, offset_w};
    it = (InstrIter){.code = code, .len = len};
    while (next_instr(d, &it, &in)) {
        size_t u = in.offset / 2, line_start = b->len;
        int64_t line = starts[u];
        if (lw && line != LINE_NOT_START && in.offset > 0) buf_byte(b, '\n');
        put_columns(d, &col, line, labels[u], in.offset);
        const char *name = d->ops->ops[in.op].name;
        if (in.has_arg) {
            size_t before = put_name_arg(d, name, in.arg);
            if (!put_argrepr(d, c, &in, labels))
                return error_at(d->err, CPYC_ERR_FORMAT, -1, "%s at offset %zu: argument %lld is out "
                                "of range", name, in.offset, (long long)in.arg);
            close_argrepr(b, before);
        } else {
            buf_put(b, name, strlen(name));
        }
        end_line(b, line_start);
        if (d->caches) put_caches(d, &col, code, len, &in);
    }
    if (nexc) {
        buf_put(b, "ExceptionTable:\n", 16);
        for (size_t i = 0; i < nexc; i++) {
            const ExcEntry *e = &exc[i];
            if (st->labels)
                buf_printf(b, "  L%d to L%d -> L%d [%lld]%s\n", (int)label_at(labels, nunits, e->start),
                           (int)label_at(labels, nunits, e->end), (int)label_at(labels, nunits, e->target),
                           (long long)e->depth, e->lasti ? " lasti" : "");
            else
                buf_printf(b, "  %lld to %lld -> %lld [%lld]%s\n", (long long)e->start,
                           (long long)e->end - 2, (long long)e->target, (long long)e->depth,
                           e->lasti ? " lasti" : "");
        }
    }
    return 0;
}

static int disassemble_recursive(Dis *d, const Code *c, int depth)
{
    if (depth > 2000) return error_at(d->err, CPYC_ERR_FORMAT, -1, "code objects nested too deeply");
    if (d->out->failed) return error_at(d->err, CPYC_ERR_MEMORY, -1, "out of memory");
    if (d->out->len > d->limit)
        return error_at(d->err, CPYC_ERR_FORMAT, -1, "listing longer than %d MiB: code objects are "
                        "shared over and over", DIS_MAX_OUTPUT >> 20);
    if (disassemble(d, c)) return -1;
    const Value *consts = c->oval[CO_CONSTS];
    for (size_t i = 0; i < consts->u.seq.n; i++) {
        const Value *k = consts->u.seq.items[i];
        if (k->kind != V_CODE) continue;
        buf_put(d->out, "\nDisassembly of ", 16);
        put_code_repr(d, k->u.code);
        buf_put(d->out, ":\n", 2);
        if (disassemble_recursive(d, k->u.code, depth + 1)) return -1;
    }
    return 0;
}

int dis_pyc(Buf *out, const Pyc *pyc, unsigned flags, cpyc_error *err)
{
    Arena a;
    arena_init(&a);
    const Code *c = pyc->code->u.code;
    Dis d = {.t = c->target, .ops = c->target->opcodes, .out = out, .arena = &a, .err = err,
             .limit = out->len + DIS_MAX_OUTPUT, .offsets = flags & DIS_OFFSETS,
             .caches = flags & DIS_CACHES, .compiled = flags & DIS_COMPILED};
    int rc = disassemble_recursive(&d, c, 0);
    ptrmap_free(&d.ids);
    arena_free(&a);
    return rc;
}
