/* cli_asm.c - `cpyc asm-check`: tests the assembler on oracle pycs. Each code object's final
   instruction sequence and unit metadata are rebuilt from its fields, reassembled, and every
   field of the result compared with the original. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"
#include "pyc/marshal.h"

/* How often the oracle's tables use each encoding the assembler has (--stats): tells whether
   a set of pycs exercises them all. */
typedef struct {
    long loc_kind[16];          /* location entries by kind */
    long jump_ext[4], ext[4];   /* jumps and other instructions by EXTENDED_ARG prefixes */
    long exc_entries, exc_lasti, exc_item_len[6];   /* exception items by bytes */
    long arg_cells, cells, frees, hidden, generators;
} AsmStats;

typedef struct {
    bool verbose, stats, pseudo, marshal;
    long codes, same, files, bad_files;
    AsmStats st;
} AsmRun;

/* One rebuilt code object: what assemble_code takes. */
typedef struct {
    InstrSeq seq;
    CodeUnitMeta meta;
    const char *filename;
} Rebuilt;

static const char *cstr(Arena *a, const Value *v)
{
    return arena_strndup(a, (const char *)v->u.s.data, v->u.s.len);
}

static int bad(cpyc_error *err, const char *what)
{
    return error_at(err, CPYC_ERR_FORMAT, -1, "cannot rebuild: %s", what);
}

static unsigned read_exc_item(const uint8_t **p, const uint8_t *end, AsmStats *st)
{
    unsigned v = 0;
    int len = 0;
    while (*p < end) {
        uint8_t b = *(*p)++;
        v = v << 6 | (b & 63);
        len++;
        if (!(b & 64)) break;
    }
    st->exc_item_len[len < 5 ? len : 5]++;
    return v;
}

static unsigned read_varint(const uint8_t **p, const uint8_t *end)
{
    unsigned v = 0;
    for (int shift = 0; *p < end; shift += 6) {
        uint8_t b = *(*p)++;
        v |= (unsigned)(b & 63) << shift;
        if (!(b & 64)) break;
    }
    return v;
}

static int read_svarint(const uint8_t **p, const uint8_t *end)
{
    unsigned u = read_varint(p, end);
    return u & 1 ? -(int)(u >> 1) : (int)(u >> 1);
}

/* The location of every code unit, from the location table (equal neighbours cannot be
   told apart there, and need not be: the encoder merges them again). */
static int unit_locations(const Value *table, int firstlineno, SrcLoc *locs, int nunits,
                          AsmStats *st, cpyc_error *err)
{
    const uint8_t *p = table->u.s.data, *end = p + table->u.s.len;
    int line = firstlineno, unit = 0;
    while (p < end) {
        uint8_t b = *p++;
        if (!(b & 0x80)) return bad(err, "location entry without its start bit");
        int kind = b >> 3 & 15, len = (b & 7) + 1;
        st->loc_kind[kind]++;
        SrcLoc loc;
        if (kind == 15) {
            loc = NO_LOC;
        } else if (kind == 14) {
            line += read_svarint(&p, end);
            loc.lineno = line;
            loc.end_lineno = (int32_t)((unsigned)line + read_varint(&p, end));
            loc.col = (int32_t)read_varint(&p, end) - 1;
            loc.end_col = (int32_t)read_varint(&p, end) - 1;
        } else if (kind == 13) {
            line += read_svarint(&p, end);
            loc = (SrcLoc){line, line, -1, -1};
        } else if (kind >= 10) {
            line += kind - 10;
            if (end - p < 2) return bad(err, "short one-line entry");
            loc = (SrcLoc){line, line, p[0], p[1]};
            p += 2;
        } else {
            if (p >= end) return bad(err, "short entry");
            int col = kind * 8 + (*p >> 4);
            loc = (SrcLoc){line, line, col, col + (*p & 15)};
            p++;
        }
        for (int k = 0; k < len; k++, unit++) {
            if (unit >= nunits) return bad(err, "location table longer than the code");
            locs[unit] = loc;
        }
    }
    return unit == nunits ? 0 : bad(err, "location table shorter than the code");
}

static bool is_backward(int op) { return op == OP_JUMP_BACKWARD || op == OP_JUMP_BACKWARD_NO_INTERRUPT; }

/* Instructions from co_code: EXTENDED_ARG folded into the instruction it prefixes, caches
   skipped, jump arguments made instruction indices; Instr.offset keeps the start unit. */
static int decode_code(const Value *co_code, Arena *a, InstrSeq *s, int **index_of, bool pseudo,
                       AsmStats *st, cpyc_error *err)
{
    const uint8_t *code = co_code->u.s.data;
    int nunits = (int)(co_code->u.s.len / 2);
    int *index = arena_alloc(a, (size_t)(nunits + 1) * sizeof *index);
    if (!index) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    for (int u = 0; u <= nunits; u++) index[u] = -1;
    unsigned ext = 0;
    int start = -1;
    for (int u = 0; u < nunits; u++) {
        int op = code[2 * u];
        unsigned arg = ext << 8 | code[2 * u + 1];
        if (start < 0) start = u;
        if (op == OP_EXTENDED_ARG) {
            ext = arg;
            continue;
        }
        int i = instrseq_addop(s, op, (int)arg, NO_LOC);
        if (i < 0) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        s->instrs[i].offset = start;
        index[start] = i;
        (opcode_has_target(op) ? st->jump_ext : st->ext)[u - start < 3 ? u - start : 3]++;
        u += cpyc_opcodes_3_13.ops[op].caches;
        ext = 0;
        start = -1;
    }
    if (start >= 0) return bad(err, "code ends in EXTENDED_ARG");
    for (int i = 0; i < s->n; i++) {
        Instr *in = &s->instrs[i];
        if (!opcode_has_target(in->opcode)) continue;
        int after = in->offset + assemble_instr_size(&cpyc_target_3_13, in->opcode, in->oparg);
        int to = is_backward(in->opcode) ? after - in->oparg : after + in->oparg;
        if (to < 0 || to >= nunits || index[to] < 0) return bad(err, "jump to no instruction");
        in->oparg = index[to];
        /* --pseudo: the unconditional jumps as the CFG may leave them, direction to be chosen */
        if (pseudo && (in->opcode == OP_JUMP_FORWARD || in->opcode == OP_JUMP_BACKWARD))
            in->opcode = OP_JUMP;
        else if (pseudo && in->opcode == OP_JUMP_BACKWARD_NO_INTERRUPT)
            in->opcode = OP_JUMP_NO_INTERRUPT;
    }
    *index_of = index;
    return 0;
}

/* Handler, depth and lasti of every instruction from the exception table. */
static int decode_exceptions(const Value *table, InstrSeq *s, const int *index, int nunits,
                             AsmStats *st, cpyc_error *err)
{
    const uint8_t *p = table->u.s.data, *end = p + table->u.s.len;
    int i = 0;
    while (p < end) {
        if (!(*p & 0x80)) return bad(err, "exception entry without its start bit");
        unsigned start = read_exc_item(&p, end, st), size = read_exc_item(&p, end, st);
        unsigned target = read_exc_item(&p, end, st), dl = read_exc_item(&p, end, st);
        st->exc_entries++;
        st->exc_lasti += dl & 1;
        if (target >= (unsigned)nunits || index[target] < 0) return bad(err, "handler at no instruction");
        ExceptHandlerInfo h = {index[target], (int)(dl >> 1) + 1 + (int)(dl & 1), (int)(dl & 1)};
        while (i < s->n && (unsigned)s->instrs[i].offset < start) i++;
        for (; i < s->n && (unsigned)s->instrs[i].offset < start + size; i++) s->instrs[i].eh = h;
    }
    return 0;
}

/* CodeUnitMeta from the code object's names, consts, counts and localsplus kinds. */
static int rebuild_meta(const Code *c, Arena *a, CodeUnitMeta *m, AsmStats *st, cpyc_error *err)
{
    memset(m, 0, sizeof *m);
    namemap_init(&m->names, a);
    namemap_init(&m->varnames, a);
    namemap_init(&m->cellvars, a);
    namemap_init(&m->freevars, a);
    namemap_init(&m->fasthidden, a);
    m->name = cstr(a, c->oval[CO_NAME]);
    m->qualname = cstr(a, c->oval[CO_QUALNAME]);
    m->firstlineno = c->ival[CO_FIRSTLINENO];
    m->posonlyargcount = c->ival[CO_POSONLYARGCOUNT];
    m->argcount = c->ival[CO_ARGCOUNT] - m->posonlyargcount;
    m->kwonlyargcount = c->ival[CO_KWONLYARGCOUNT];
    const Value *consts = c->oval[CO_CONSTS], *names = c->oval[CO_NAMES];
    m->consts.arena = a;
    m->consts.items = consts->u.seq.items;
    m->consts.n = m->consts.cap = (uint32_t)consts->u.seq.n;
    for (size_t i = 0; i < names->u.seq.n; i++)
        if (namemap_set(&m->names, cstr(a, names->u.seq.items[i]), (intptr_t)i) < 0)
            return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    const Value *plus = c->oval[CO_LOCALSPLUSNAMES], *kinds = c->oval[CO_LOCALSPLUSKINDS];
    if (plus->u.seq.n != kinds->u.s.len) return bad(err, "localsplus names and kinds differ in length");
    size_t n = plus->u.seq.n;
    /* Cells that are locals first, then the others: offsets come out the same either way. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < n; i++) {
            int k = kinds->u.s.data[i];
            if (pass == 0) {
                st->arg_cells += (k & (CO_FAST_LOCAL | CO_FAST_CELL)) == (CO_FAST_LOCAL | CO_FAST_CELL);
                st->cells += (k & (CO_FAST_LOCAL | CO_FAST_CELL)) == CO_FAST_CELL;
                st->frees += (k & CO_FAST_FREE) != 0;
                st->hidden += (k & CO_FAST_HIDDEN) != 0;
            }
            const char *name = cstr(a, plus->u.seq.items[i]);
            int rc = 0;
            if (pass == 0 && (k & CO_FAST_LOCAL)) {
                if (i != m->varnames.n) return bad(err, "a local after a cell or free variable");
                rc = namemap_set(&m->varnames, name, (intptr_t)i);
                if (rc >= 0 && (k & CO_FAST_HIDDEN)) rc = namemap_set(&m->fasthidden, name, 1);
                if (rc >= 0 && (k & CO_FAST_CELL)) rc = namemap_add_index(&m->cellvars, name);
            } else if (pass == 1 && (k & CO_FAST_CELL) && !(k & CO_FAST_LOCAL)) {
                rc = namemap_add_index(&m->cellvars, name);
            } else if (pass == 2 && (k & CO_FAST_FREE) && !(k & (CO_FAST_LOCAL | CO_FAST_CELL))) {
                rc = namemap_set(&m->freevars, name, (intptr_t)(m->cellvars.n + m->freevars.n));
            }
            if (rc < 0) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
        }
    return 0;
}

static int rebuild(const Code *c, Arena *a, Rebuilt *r, bool pseudo, AsmStats *st, cpyc_error *err)
{
    instrseq_init(&r->seq, a);
    int *index = NULL;
    const Value *co_code = c->oval[CO_CODE];
    int nunits = (int)(co_code->u.s.len / 2);
    st->generators += (c->ival[CO_FLAGS] & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) != 0;
    if (decode_code(co_code, a, &r->seq, &index, pseudo, st, err)) return -1;
    SrcLoc *locs = arena_alloc(a, (size_t)(nunits ? nunits : 1) * sizeof *locs);
    if (!locs) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    if (unit_locations(c->oval[CO_LINETABLE], c->ival[CO_FIRSTLINENO], locs, nunits, st, err)) return -1;
    for (int i = 0; i < r->seq.n; i++) r->seq.instrs[i].loc = locs[r->seq.instrs[i].offset];
    if (decode_exceptions(c->oval[CO_EXCEPTIONTABLE], &r->seq, index, nunits, st, err)) return -1;
    r->filename = cstr(a, c->oval[CO_FILENAME]);
    return rebuild_meta(c, a, &r->meta, st, err);
}

static bool same_value(const Value *x, const Value *y)
{
    if (x == y) return true;
    if (!x || !y || x->kind != y->kind) return false;
    switch (x->kind) {
    case V_STR: case V_BYTES:
        return x->u.s.len == y->u.s.len && (!x->u.s.len || memcmp(x->u.s.data, y->u.s.data, x->u.s.len) == 0);
    case V_TUPLE:
        if (x->u.seq.n != y->u.seq.n) return false;
        for (size_t i = 0; i < x->u.seq.n; i++)
            if (!same_value(x->u.seq.items[i], y->u.seq.items[i])) return false;
        return true;
    default:
        return false;
    }
}

static void show_bytes(const char *label, const Value *v, size_t at)
{
    size_t from = at > 8 ? at - 8 : 0;
    fprintf(stderr, "    %s (%zu bytes) at %zu:", label, v->u.s.len, from);
    for (size_t i = from; i < v->u.s.len && i < at + 16; i++) fprintf(stderr, " %02x", v->u.s.data[i]);
    fputc('\n', stderr);
}

/* Prints the fields of `got` that differ from `want`; returns their number. */
static int compare_code(const AsmRun *run, const char *path, const Code *want, const Code *got)
{
    int ndiff = 0;
    const cpyc_target *t = want->target;
    for (int k = 0; k < t->n_code_fields; k++) {
        CodeField f = t->code_fields[k];
        if (f == CO_CONSTS && run->marshal) continue;   /* fresh copies: the marshal bytes tell */
        bool same = code_field_kind(f) == CF_INT ? want->ival[f] == got->ival[f]
                                                 : same_value(want->oval[f], got->oval[f]);
        if (same) continue;
        if (!ndiff++) {
            const Value *q = want->oval[CO_QUALNAME];
            printf("%s: %.*s (line %d):", path, (int)q->u.s.len, (const char *)q->u.s.data,
                   want->ival[CO_FIRSTLINENO]);
        }
        printf(" %s", code_field_name(f));
        if (!run->verbose) continue;
        if (code_field_kind(f) == CF_INT) {
            fprintf(stderr, "    %s: want %d got %d\n", code_field_name(f), want->ival[f], got->ival[f]);
        } else if (want->oval[f]->kind == V_BYTES) {
            const Value *x = want->oval[f], *y = got->oval[f];
            size_t at = 0;
            while (at < x->u.s.len && at < y->u.s.len && x->u.s.data[at] == y->u.s.data[at]) at++;
            fprintf(stderr, "  %s:\n", code_field_name(f));
            show_bytes("want", x, at);
            show_bytes("got ", y, at);
        }
    }
    if (ndiff) putchar('\n');
    return ndiff;
}

/* A constant as codegen would make it: a fresh object with tcode 0, except that a string the
   file shows interned is marked as an identifier (what const_name makes). */
static Value *copy_const(Arena *a, const Value *v)
{
    Value *c = arena_memdup(a, v, sizeof *v);
    if (!c) return NULL;
    uint8_t t = v->tcode & (uint8_t)~FLAG_REF;
    bool interned = t == TYPE_INTERNED || t == TYPE_ASCII_INTERNED || t == TYPE_SHORT_ASCII_INTERNED;
    c->tcode = v->kind == V_STR && interned ? TYPE_INTERNED : 0;
    if (v->kind == V_TUPLE || v->kind == V_FROZENSET) {
        c->u.seq.items = arena_alloc(a, (v->u.seq.n ? v->u.seq.n : 1) * sizeof(Value *));
        if (!c->u.seq.items) return NULL;
        for (size_t k = 0; k < v->u.seq.n; k++)
            if (!(c->u.seq.items[k] = copy_const(a, v->u.seq.items[k]))) return NULL;
    }
    return c;
}

/* Reassembles c and, first, its nested code objects (the compiler makes them where their
   constant is). With cc (--marshal) the constants are fresh objects merged through cc as
   codegen adds them, so the result can be marshalled and compared with the file. Returns
   the new code object, NULL when it could not be made. */
static Value *check_code(AsmRun *run, const char *path, const Code *c, Arena *a, ConstCache *cc)
{
    run->codes++;
    cpyc_error err;
    error_clear(&err);
    Rebuilt r;
    Value *got = NULL;
    const Value *consts = c->oval[CO_CONSTS];
    Value **items = arena_alloc(a, (consts->u.seq.n ? consts->u.seq.n : 1) * sizeof *items);
    Value *qualname_obj = NULL;
    bool ok = items != NULL, class_body = false;
    for (size_t i = 0; i < c->oval[CO_NAMES]->u.seq.n; i++)
        class_body |= same_value(c->oval[CO_NAMES]->u.seq.items[i], &(Value){
            .kind = V_STR, .u.s = {.data = (const uint8_t *)"__qualname__", .len = 12}});
    for (size_t i = 0; ok && i < consts->u.seq.n; i++) {
        Value *k = consts->u.seq.items[i];
        if (k->kind == V_CODE) {
            items[i] = check_code(run, path, k->u.code, a, cc);
        } else if (cc) {
            /* a class body loads its u_qualname object, then merged as every constant */
            bool qual = class_body && !qualname_obj && same_value(k, c->oval[CO_QUALNAME]);
            if ((k = copy_const(a, k)) && qual) qualname_obj = k;
            items[i] = k ? const_cache_merge(cc, k) : NULL;
        } else {
            items[i] = k;
        }
        ok = items[i] != NULL;
    }
    if (!ok) error_at(&err, CPYC_ERR_UNSUPPORTED, -1, "a constant could not be made");
    if (ok && rebuild(c, a, &r, run->pseudo, &run->st, &err) == 0) {
        if (cc) r.meta.consts.items = items, r.meta.qualname_obj = qualname_obj;
        CodeFilename file = {r.filename, strlen(r.filename), 0};
        got = assemble_code(c->target, &r.seq, &r.meta, cc, c->ival[CO_STACKSIZE],
                            (int)c->oval[CO_LOCALSPLUSNAMES]->u.seq.n, c->ival[CO_FLAGS],
                            &file, a, &err);
    }
    if (!got) {
        const Value *q = c->oval[CO_QUALNAME];
        printf("%s: %.*s: %s\n", path, (int)q->u.s.len, (const char *)q->u.s.data, err.msg);
    } else if (compare_code(run, path, c, got->u.code) == 0) {
        run->same++;
    }
    return got;
}

/* --marshal: the reassembled module through refs.c and the marshal writer, compared with
   the file's bytes after the header. */
static bool same_marshal(const char *path, Value *mod, const uint8_t *data, size_t len, Arena *a)
{
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    Buf out = {0};
    bool same = false;
    if (refs_assign(mod, &refs_env_py_compile_3_13, a, &err) || marshal_write_object(&out, mod, &cpyc_target_3_13, &err)) {
        cli_report(&err);
    } else {
        size_t n = len - 16, i = 0;
        const uint8_t *want = data + 16;
        while (i < n && i < out.len && want[i] == out.data[i]) i++;
        same = i == n && i == out.len;
        if (!same)
            printf("%s: marshal differs at offset %zu (file %zu bytes, ours %zu)\n", path, i, n, out.len);
        if (!same && getenv("ASM_DUMP")) {   /* our pyc, for tools/marshal_trace.py */
            FILE *f = fopen(getenv("ASM_DUMP"), "wb");
            if (f) { fwrite(data, 1, 16, f); fwrite(out.data, 1, out.len, f); fclose(f); }
        }
    }
    buf_free(&out);
    return same;
}

static void check_file(void *ctx, const char *path)
{
    AsmRun *run = ctx;
    cpyc_error err;
    uint8_t *data;
    Arena a;
    arena_init(&a);
    Pyc pyc;
    run->files++;
    long before = run->codes - run->same;
    if (cli_read_pyc(path, &a, &pyc, &data, &err)) {
        cli_report(&err);
        run->bad_files++;
    } else if (pyc.header.target != &cpyc_target_3_13) {
        fprintf(stderr, "cpyc: %s: not a CPython 3.13 pyc\n", path);
        run->bad_files++;
    } else {
        ConstCache *cc = run->marshal ? const_cache_new(&a) : NULL;
        Value *mod = check_code(run, path, pyc.code->u.code, &a, cc);
        bool same = run->codes - run->same == before;
        if (same && cc) same = same_marshal(path, mod, data, pyc.marshal_end, &a);
        if (!same) run->bad_files++;
    }
    arena_free(&a);
    free(data);
}

/* ---- --cases: sequences the oracle assembled (tools/oracle_asm_cases.py) */

static bool hex_equal(const Value *v, const char *hex)
{
    size_t n = strlen(hex);
    while (n && (hex[n - 1] == '\n' || hex[n - 1] == '\r')) n--;
    if (n != 2 * v->u.s.len) return false;
    for (size_t i = 0; i < v->u.s.len; i++) {
        unsigned b;
        if (sscanf(hex + 2 * i, "%2x", &b) != 1 || b != v->u.s.data[i]) return false;
    }
    return true;
}

/* One case: "case N FIRSTLINENO COUNT", COUNT lines "OPCODE ARG LINE ENDLINE COL ENDCOL",
   then "code HEX" and "lines HEX" as the oracle assembled them. */
static int check_case(AsmRun *run, FILE *f, const char *head, char **line, size_t *cap, Arena *a)
{
    int id, first, count;
    if (sscanf(head, "case %d %d %d", &id, &first, &count) != 3 || count < 0) return -1;
    CodeUnitMeta m;
    memset(&m, 0, sizeof m);
    m.name = "f";
    m.firstlineno = first;
    InstrSeq s;
    instrseq_init(&s, a);
    for (int i = 0; i < count; i++) {
        int op, arg;
        SrcLoc l;
        if (getline(line, cap, f) < 0 ||
            sscanf(*line, "%d %d %d %d %d %d", &op, &arg, &l.lineno, &l.end_lineno, &l.col,
                   &l.end_col) != 6 ||
            instrseq_addop(&s, op, arg, l) < 0)
            return -1;
    }
    char *code = NULL, *lines = NULL;
    size_t c1 = 0, c2 = 0;
    int rc = -1;
    if (getline(&code, &c1, f) > 5 && getline(&lines, &c2, f) > 6 &&
        strncmp(code, "code ", 5) == 0 && strncmp(lines, "lines ", 6) == 0) {
        cpyc_error err;
        error_clear(&err);
        run->codes++;
        static const CodeFilename file = {"cases.py", 8, 0};
        Value *v = assemble_code(&cpyc_target_3_13, &s, &m, NULL, 1, 0, 0, &file, a, &err);
        if (!v) printf("case %d: %s\n", id, err.msg);
        else if (!hex_equal(v->u.code->oval[CO_CODE], code + 5)) printf("case %d: co_code differs\n", id);
        else if (!hex_equal(v->u.code->oval[CO_LINETABLE], lines + 6)) printf("case %d: co_linetable differs\n", id);
        else run->same++;
        rc = 0;
    }
    free(code);
    free(lines);
    return rc;
}

static int check_cases(AsmRun *run, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cpyc: %s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        Arena a;
        arena_init(&a);
        if (check_case(run, f, line, &line, &cap, &a)) {
            fprintf(stderr, "cpyc: %s: malformed case\n", path);
            rc = -1;
        }
        arena_free(&a);
    }
    free(line);
    fclose(f);
    return rc;
}

static void print_stats(const AsmStats *st)
{
    static const char *const kinds[16] = {
        "short0", "short1", "short2", "short3", "short4", "short5", "short6", "short7", "short8",
        "short9", "one_line0", "one_line1", "one_line2", "no_columns", "long", "none"};
    printf("location entries:");
    for (int k = 0; k < 16; k++) printf(" %s=%ld", kinds[k], st->loc_kind[k]);
    printf("\nEXTENDED_ARG prefixes 0/1/2/3: jumps %ld/%ld/%ld/%ld, others %ld/%ld/%ld/%ld\n",
           st->jump_ext[0], st->jump_ext[1], st->jump_ext[2], st->jump_ext[3], st->ext[0],
           st->ext[1], st->ext[2], st->ext[3]);
    printf("exception entries=%ld lasti=%ld, items of 1/2/3/4/5 bytes: %ld/%ld/%ld/%ld/%ld\n",
           st->exc_entries, st->exc_lasti, st->exc_item_len[1], st->exc_item_len[2],
           st->exc_item_len[3], st->exc_item_len[4], st->exc_item_len[5]);
    printf("cells that are locals=%ld other cells=%ld free=%ld hidden=%ld generator-like codes=%ld\n",
           st->arg_cells, st->cells, st->frees, st->hidden, st->generators);
}

int cli_asm(int argc, char **argv)
{
    AsmRun run = {0};
    const char *list = NULL, *cases = NULL;
    int first = 0;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-v") == 0) run.verbose = true;
        else if (strcmp(argv[first], "--stats") == 0) run.stats = true;
        else if (strcmp(argv[first], "--pseudo") == 0) run.pseudo = true;
        else if (strcmp(argv[first], "--marshal") == 0) run.marshal = true;
        else if (strcmp(argv[first], "--cases") == 0 && first + 1 < argc) cases = argv[++first];
        else if (strcmp(argv[first], "--files-from") == 0 && first + 1 < argc) list = argv[++first];
        else {
            fprintf(stderr, "usage: cpyc asm-check [-v] [--stats] [--pseudo] [--marshal] [--files-from LIST] [--cases FILE] "
                            "FILE.pyc...\n");
            return 2;
        }
    }
    for (int i = first; i < argc; i++) check_file(&run, argv[i]);
    if (list && cli_each_listed_path(list, check_file, &run)) return 2;
    if (cases && check_cases(&run, cases)) return 2;
    printf("%ld files, %ld code objects, %ld reassembled identically, %ld differ; %ld files differ\n",
           run.files, run.codes, run.same, run.codes - run.same, run.bad_files);
    if (run.stats) print_stats(&run.st);
    return run.codes == run.same && run.bad_files == 0 ? 0 : 1;
}
