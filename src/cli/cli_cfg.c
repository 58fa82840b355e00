/* cli_cfg.c - `cpyc cfg-test [--final] FILE`: runs the CFG stage on the codegen text of
   tools/oracle_cfg.py and prints what tools/oracle_cfg.py opt (or final) prints, so each half
   of the stage can be compared with the oracle on the same input. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"
#include "compile/opmeta.h"

typedef struct Reader {
    char *p;            /* the rest of the text */
    int line;
    Arena *arena;
    PtrMap texts;       /* Value -> index into text[] (the token it was read from) */
    const char **text;
    size_t ntext, captext;
    const OpTable *ops;
    cpyc_error *err;
} Reader;

static char *next_line(Reader *r)
{
    if (!*r->p) return NULL;
    char *s = r->p, *e = strchr(s, '\n');
    if (e) *e = 0, r->p = e + 1;
    else r->p = s + strlen(s);
    r->line++;
    return s;
}

static int bad(Reader *r, const char *what)
{
    return error_at(r->err, CPYC_ERR_FORMAT, -1, "line %d: %s", r->line, what);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Hex text to bytes (arena); -1 when malformed. */
static long unhex(Reader *r, const char *s, size_t n, uint8_t **out)
{
    if (n % 2) return -1;
    uint8_t *b = arena_alloc(r->arena, n / 2 + 1);
    for (size_t k = 0; k < n; k += 2) {
        int hi = hexval(s[k]), lo = hexval(s[k + 1]);
        if (hi < 0 || lo < 0) return -1;
        b[k / 2] = (uint8_t)(hi << 4 | lo);
    }
    *out = b;
    return (long)(n / 2);
}

/* An int from hex digits ("-1f") as base 2**15 digits. */
static Value *int_from_hex(Reader *r, const char *s, size_t n)
{
    bool neg = n && s[0] == '-';
    if (neg) s++, n--;
    size_t nbits = n * 4, nd = (nbits + 14) / 15;
    uint16_t *d = arena_alloc(r->arena, (nd + 1) * sizeof *d);
    for (size_t k = 0; k < n; k++) {   /* k-th hex digit from the right */
        int v = hexval(s[n - 1 - k]);
        if (v < 0) return NULL;
        for (int bit = 0; bit < 4; bit++)
            if (v >> bit & 1) {
                size_t pos = k * 4 + bit;
                d[pos / 15] |= (uint16_t)(1u << (pos % 15));
            }
    }
    while (nd && d[nd - 1] == 0) nd--;
    Value *v = value_new(r->arena, V_INT, 0);
    v->u.i.ndigits = neg ? -(int32_t)nd : (int32_t)nd;
    v->u.i.digits = d;
    return v;
}

static void remember(Reader *r, Value *v, const char *tok)
{
    if (ptrmap_get_or_add(&r->texts, v) != -1) return;
    if (r->ntext == r->captext) {
        r->captext = r->captext ? r->captext * 2 : 64;
        r->text = realloc(r->text, r->captext * sizeof *r->text);
    }
    r->text[r->ntext++] = arena_strndup(r->arena, tok, strlen(tok));
}

/* One constant from the tokens at *pp (see tools/oracle_cfg.py's const_text). */
static Value *read_const(Reader *r, char **pp)
{
    char *s = *pp;
    while (*s == ' ') s++;
    char *e = s;
    while (*e && *e != ' ') e++;
    char save = *e;
    *e = 0;
    *pp = save ? e + 1 : e;
    const char *body = s[1] == ':' ? s + 2 : NULL;
    size_t blen = body ? strlen(body) : 0;
    Value *v = NULL;
    uint8_t *bytes;
    long n;
    switch (s[0]) {
    case 'N': return const_none(r->arena);
    case 'T': return const_bool(r->arena, true);
    case 'F': return const_bool(r->arena, false);
    case 'E': return const_ellipsis(r->arena);
    case 'i': if (body) v = int_from_hex(r, body, blen); break;
    case 'f': if (body) v = const_float(r->arena, strtod(body, NULL)); break;
    case 'c':
        if (body) {
            char *end;
            double re = strtod(body, &end);
            v = const_complex(r->arena, re, *end == ':' ? strtod(end + 1, NULL) : 0);
        }
        break;
    case 's': case 'b':
        if (body && (n = unhex(r, body, blen, &bytes)) >= 0)
            v = s[0] == 's' ? const_str(r->arena, (const char *)bytes, (size_t)n)
                            : const_bytes(r->arena, bytes, (size_t)n);
        break;
    case 'C': case '?':   /* code objects and unknown constants: by identity, true */
        if (body) v = value_new(r->arena, V_CODE, 0);
        break;
    case 't': case 'z': {
        if (!body) break;
        long k = strtol(body, NULL, 10);
        Value **items = arena_alloc(r->arena, ((size_t)k + 1) * sizeof *items);
        for (long j = 0; j < k; j++)
            if (!(items[j] = read_const(r, pp))) return NULL;
        return s[0] == 't' ? const_tuple(r->arena, items, (size_t)k)
                           : const_frozenset(r->arena, items, (size_t)k);
    }
    }
    if (v) remember(r, v, s);
    return v;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_const(Reader *r, Buf *b, const Value *v)
{
    switch ((ValueKind)v->kind) {
    case V_NONE: buf_printf(b, "N"); return;
    case V_TRUE: buf_printf(b, "T"); return;
    case V_FALSE: buf_printf(b, "F"); return;
    case V_ELLIPSIS: buf_printf(b, "E"); return;
    case V_TUPLE:
        buf_printf(b, "t:%zu", v->u.seq.n);
        for (size_t k = 0; k < v->u.seq.n; k++) {
            buf_printf(b, " ");
            print_const(r, b, v->u.seq.items[k]);
        }
        return;
    case V_FROZENSET: {   /* items sorted by text, as the oracle tool prints them */
        size_t n = v->u.seq.n;
        Buf *items = calloc(n + 1, sizeof *items);
        char **texts = calloc(n + 1, sizeof *texts);
        for (size_t k = 0; k < n; k++) {
            print_const(r, &items[k], v->u.seq.items[k]);
            buf_byte(&items[k], 0);
            texts[k] = (char *)items[k].data;
        }
        qsort(texts, n, sizeof *texts, cmp_text);
        buf_printf(b, "z:%zu", n);
        for (size_t k = 0; k < n; k++) buf_printf(b, " %s", texts[k]);
        for (size_t k = 0; k < n; k++) buf_free(&items[k]);
        free(items);
        free(texts);
        return;
    }
    default: {
        long long i = ptrmap_get_or_add(&r->texts, v);
        buf_printf(b, "%s", i >= 0 && (size_t)i < r->ntext ? r->text[i] : "<?>");
    }
    }
}

static int opcode_named(Reader *r, const char *name)
{
    for (int op = 0; op < OP__COUNT; op++)
        if (r->ops->ops[op].name && strcmp(r->ops->ops[op].name, name) == 0) return op;
    return -1;
}

static void read_names(Reader *r, const char *line, const char *key, NameMap *m)
{
    namemap_init(m, r->arena);
    const char *s = line + strlen(key);
    while (*s == ' ') {
        s++;
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        uint8_t *bytes;
        long k = n == 1 && *s == '-' ? 0 : unhex(r, s, n, &bytes);
        const char *name = k > 0 ? arena_strndup(r->arena, (const char *)bytes, (size_t)k) : "";
        namemap_add_index(m, name);
        s += n;
    }
}

typedef struct Unit {
    char path[64];
    int nlocals, nparams, firstlineno, flags;
    CodeUnitMeta meta;
    InstrSeq seq;
} Unit;

/* Reads one unit; 1 when there is none left, -1 on error. */
static int read_unit(Reader *r, Unit *u, ConstCache *cc)
{
    char *line = next_line(r);
    if (!line) return 1;
    if (strncmp(line, "unit ", 5) != 0) return bad(r, "expected 'unit'");
    memset(u, 0, sizeof *u);
    snprintf(u->path, sizeof u->path, "%s", line + 5);
    constmap_init(&u->meta.consts, r->arena);
    instrseq_init(&u->seq, r->arena);
    while ((line = next_line(r))) {
        if (sscanf(line, "nlocals %d", &u->nlocals) == 1) continue;
        if (sscanf(line, "nparams %d", &u->nparams) == 1) continue;
        if (sscanf(line, "firstlineno %d", &u->firstlineno) == 1) continue;
        if (sscanf(line, "flags %d", &u->flags) == 1) continue;
        if (strncmp(line, "varnames", 8) == 0) { read_names(r, line, "varnames", &u->meta.varnames); continue; }
        if (strncmp(line, "cellvars", 8) == 0) { read_names(r, line, "cellvars", &u->meta.cellvars); continue; }
        if (strncmp(line, "freevars", 8) == 0) { read_names(r, line, "freevars", &u->meta.freevars); continue; }
        if (strcmp(line, "approx") == 0) continue;
        int n;
        if (sscanf(line, "consts %d", &n) == 1) {
            ConstMap *m = &u->meta.consts;
            m->items = arena_alloc(r->arena, ((size_t)n + 1) * sizeof *m->items);
            m->hashes = arena_alloc(r->arena, ((size_t)n + 1) * sizeof *m->hashes);
            m->cap = (uint32_t)n + 1;
            for (int k = 0; k < n; k++) {
                char *l = next_line(r);
                Value *v = l ? read_const(r, &l) : NULL;
                if (!v) return bad(r, "bad constant");
                if (cc && !(v = const_cache_merge(cc, v))) return bad(r, "out of memory");
                m->items[m->n] = v;
                m->hashes[m->n++] = const_key_hash(v);
            }
            continue;
        }
        if (sscanf(line, "instrs %d", &n) == 1) {
            for (int k = 0; k < n; k++) {
                char *l = next_line(r), name[64], arg[32];
                SrcLoc loc;
                if (!l || sscanf(l, "%63s %31s %d %d %d %d", name, arg, &loc.lineno, &loc.end_lineno,
                                 &loc.col, &loc.end_col) != 6)
                    return bad(r, "bad instruction");
                int op = opcode_named(r, name);
                if (op < 0) return bad(r, "unknown opcode");
                instrseq_addop(&u->seq, op, strcmp(arg, "-") ? atoi(arg) : 0, loc);
            }
            return 0;   /* jump arguments are instruction indices already (labels applied) */
        }
        return bad(r, "unexpected line");
    }
    return bad(r, "unit without instructions");
}

static void print_consts(Reader *r, Buf *b, const ConstMap *m)
{
    buf_printf(b, "consts %u\n", m->n);
    for (uint32_t k = 0; k < m->n; k++) {
        print_const(r, b, m->items[k]);
        buf_printf(b, "\n");
    }
}

/* The location as the location table keeps it (assemble.c's entry forms). */
static SrcLoc as_stored(SrcLoc l)
{
    if (l.lineno < 0) return NO_LOC;
    if (l.col < 0 || l.end_col < 0) {
        if (l.end_lineno == l.lineno || l.end_lineno < 0) return (SrcLoc){l.lineno, l.lineno, -1, -1};
        if (l.col < 0) l.col = -1;
        if (l.end_col < 0) l.end_col = -1;
    }
    return l;
}

static void print_instrs(Reader *r, Buf *b, const InstrSeq *s, bool final)
{
    buf_printf(b, "instrs %d\n", s->n);
    for (int k = 0; k < s->n; k++) {
        const Instr *in = &s->instrs[k];
        SrcLoc l = final ? as_stored(in->loc) : in->loc;
        buf_printf(b, "%s ", r->ops->ops[in->opcode].name);
        if (op_has(r->ops, in->opcode, OPF_ARG)) buf_printf(b, "%d", in->oparg);
        else buf_printf(b, "-");
        buf_printf(b, " %d %d %d %d", l.lineno, l.end_lineno, l.col, l.end_col);
        if (final && in->eh.label >= 0)
            buf_printf(b, " eh %d %d %d", in->eh.label,
                       in->eh.startdepth - 1 - (in->eh.preserve_lasti ? 1 : 0),
                       in->eh.preserve_lasti ? 1 : 0);
        buf_printf(b, "\n");
    }
}

int cli_cfg(int argc, char **argv)
{
    bool final = argc >= 1 && strcmp(argv[0], "--final") == 0;
    if (final) argc--, argv++;
    if (argc != 1) {
        fputs("usage: cpyc cfg-test [--final] FILE\n", stderr);
        return 2;
    }
    cpyc_error err;
    error_clear(&err);
    err.file = argv[0];
    uint8_t *data;
    size_t len;
    if (file_read_all(argv[0], &data, &len, &err)) { cli_report(&err); return 1; }
    char *text = malloc(len + 1);
    memcpy(text, data, len);
    text[len] = 0;
    free(data);
    Arena arena;
    arena_init(&arena);
    Reader r = {.p = text, .arena = &arena, .ops = cpyc_target_3_13.opmeta, .err = &err};
    /* optimize_cfg's test entry has a fresh cache per unit; a real compile one per module */
    ConstCache *module_cache = final ? const_cache_new(&arena) : NULL;
    Buf out = {0};
    int rc = 0, got;
    Unit u;
    while ((got = read_unit(&r, &u, module_cache)) == 0) {
        ConstCache *cc = final ? module_cache : const_cache_new(&arena);
        int nparams = final ? u.nparams : 0, first = final ? u.firstlineno : 1;
        buf_printf(&out, "unit %s\n", u.path);
        if (cfg_optimize(&cpyc_target_3_13, &u.seq, &u.meta.consts, cc, u.nlocals, nparams, first, &err)) {
            buf_printf(&out, "error %s\n", err.msg);
            rc = 1;
            continue;
        }
        if (!final) {
            InstrSeq opt;
            if (cfg_optimized_seq(&u.seq, &opt)) {
                buf_printf(&out, "error %s\n", err.msg);
                rc = 1;
                continue;
            }
            print_consts(&r, &out, &u.meta.consts);
            print_instrs(&r, &out, &opt, false);
            continue;
        }
        u.meta.firstlineno = u.firstlineno;
        InstrSeq fin;
        int depth, nplus;
        if (cfg_finish(&u.seq, &u.meta, u.flags, &fin, &depth, &nplus, &err)) {
            buf_printf(&out, "error %s\n", err.msg);
            rc = 1;
            continue;
        }
        /* the code object's constructor makes a depth of 0 one */
        buf_printf(&out, "stacksize %d\nnlocalsplus %d\n", depth ? depth : 1, nplus);
        print_consts(&r, &out, &u.meta.consts);
        print_instrs(&r, &out, &fin, true);
    }
    if (got < 0) { cli_report(&err); rc = 1; }
    fwrite(out.data, 1, out.len, stdout);
    buf_free(&out);
    ptrmap_free(&r.texts);
    free(r.text);
    free(text);
    arena_free(&arena);
    return rc;
}
