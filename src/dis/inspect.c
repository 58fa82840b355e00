/* inspect.c - a readable description of a .pyc: its header and its tree of code objects. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dis.h"

typedef struct {
    FILE *out;
    Buf line;
    PtrMap seen;   /* code objects already printed: a crafted file may share or nest them */
} Inspector;

static void flush_line(Inspector *in)
{
    if (in->line.len) fwrite(in->line.data, 1, in->line.len, in->out);
    fputc('\n', in->out);
    in->line.len = 0;
}

static void indent(Inspector *in, int depth)
{
    for (int i = 0; i < depth; i++) buf_put(&in->line, "  ", 2);
}

/* Flag names as dis.COMPILER_FLAG_NAMES spells them. */
static void put_flags(Buf *b, uint32_t flags)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        {0x1, "OPTIMIZED"}, {0x2, "NEWLOCALS"}, {0x4, "VARARGS"}, {0x8, "VARKEYWORDS"},
        {0x10, "NESTED"}, {0x20, "GENERATOR"}, {0x40, "NOFREE"}, {0x80, "COROUTINE"},
        {0x100, "ITERABLE_COROUTINE"}, {0x200, "ASYNC_GENERATOR"},
    };
    buf_printf(b, "0x%x", (unsigned)flags);
    const char *sep = " (";
    for (size_t i = 0; i < CPYC_COUNTOF(names); i++) {
        if (!(flags & names[i].bit)) continue;
        buf_printf(b, "%s%s", sep, names[i].name);
        sep = ", ";
    }
    if (sep[0] == ',') buf_byte(b, ')');
}

static void put_localsplus(Buf *b, const Value *names, const Value *kinds)
{
    static const struct { uint8_t bit; const char *name; } kindnames[] = {
        {0x02, "arg"}, {0x04, "kwarg"}, {0x08, "vararg"}, {0x10, "hidden"},
        {0x20, "local"}, {0x40, "cell"}, {0x80, "free"},
    };
    for (size_t i = 0; i < names->u.seq.n; i++) {
        if (i) buf_put(b, ", ", 2);
        repr_value(b, names->u.seq.items[i]);
        if (!kinds || i >= kinds->u.s.len) continue;
        uint8_t k = kinds->u.s.data[i];
        buf_put(b, " [", 2);
        const char *sep = "";
        for (size_t j = 0; j < CPYC_COUNTOF(kindnames); j++) {
            if (!(k & kindnames[j].bit)) continue;
            buf_printf(b, "%s%s", sep, kindnames[j].name);
            sep = " ";
        }
        buf_byte(b, ']');
    }
}

static void print_field(Inspector *in, int depth, const char *label, const Value *v)
{
    if (!v) return;
    indent(in, depth + 1);
    buf_printf(&in->line, "%s ", label);
    repr_value(&in->line, v);
    flush_line(in);
}

static void print_code(Inspector *in, const Code *c, int depth)
{
    Buf *b = &in->line;
    indent(in, depth);
    buf_put(b, "code ", 5);
    repr_value(b, c->oval[CO_NAME]);
    buf_printf(b, " line %d", (int)c->ival[CO_FIRSTLINENO]);
    if (ptrmap_get_or_add(&in->seen, c) != -1) {
        buf_put(b, " (the same code object as above)", 32);
        flush_line(in);
        return;
    }
    flush_line(in);
    print_field(in, depth, "qualname", c->oval[CO_QUALNAME]);
    print_field(in, depth, "filename", c->oval[CO_FILENAME]);
    indent(in, depth + 1);
    buf_printf(b, "argcount %d, posonly %d, kwonly %d, ", (int)c->ival[CO_ARGCOUNT],
               (int)c->ival[CO_POSONLYARGCOUNT], (int)c->ival[CO_KWONLYARGCOUNT]);
    if (c->oval[CO_VARNAMES]) buf_printf(b, "nlocals %d, ", (int)c->ival[CO_NLOCALS]);
    buf_printf(b, "stacksize %d, flags ", (int)c->ival[CO_STACKSIZE]);
    put_flags(b, (uint32_t)c->ival[CO_FLAGS]);
    flush_line(in);
    print_field(in, depth, "names", c->oval[CO_NAMES]);
    print_field(in, depth, "varnames", c->oval[CO_VARNAMES]);
    print_field(in, depth, "freevars", c->oval[CO_FREEVARS]);
    print_field(in, depth, "cellvars", c->oval[CO_CELLVARS]);
    if (c->oval[CO_LOCALSPLUSNAMES]) {
        indent(in, depth + 1);
        buf_put(b, "localsplus (", 12);
        put_localsplus(b, c->oval[CO_LOCALSPLUSNAMES], c->oval[CO_LOCALSPLUSKINDS]);
        buf_byte(b, ')');
        flush_line(in);
    }
    indent(in, depth + 1);
    buf_printf(b, "bytecode %zu bytes", c->oval[CO_CODE]->u.s.len);
    static const CodeField tables[] = {CO_LNOTAB, CO_LINETABLE, CO_EXCEPTIONTABLE};
    for (size_t i = 0; i < CPYC_COUNTOF(tables); i++)
        if (c->oval[tables[i]])
            buf_printf(b, ", %s %zu bytes", code_field_name(tables[i]) + 3, c->oval[tables[i]]->u.s.len);
    flush_line(in);
    const Value *consts = c->oval[CO_CONSTS];
    indent(in, depth + 1);
    buf_printf(b, "consts (%zu)", consts->u.seq.n);
    flush_line(in);
    for (size_t i = 0; i < consts->u.seq.n; i++) {
        const Value *k = consts->u.seq.items[i];
        if (k->kind == V_CODE) {
            indent(in, depth + 2);
            buf_printf(b, "%zu:", i);
            flush_line(in);
            print_code(in, k->u.code, depth + 3);
            continue;
        }
        indent(in, depth + 2);
        buf_printf(b, "%zu: ", i);
        repr_value_as(b, k, c->target);
        flush_line(in);
    }
}

void inspect_print(FILE *out, const char *filename, const Pyc *pyc)
{
    Inspector in = {.out = out};
    const PycHeader *h = &pyc->header;
    Buf *b = &in.line;
    buf_printf(b, "%s: CPython %s (magic %u), ", filename, h->target->name, h->magic);
    if (h->flags & PYC_FLAG_HASH) {
        buf_printf(b, "%s hash-based pyc, source hash ",
                   h->flags & PYC_FLAG_CHECK_SOURCE ? "checked" : "unchecked");
        for (int i = 0; i < 8; i++) buf_printf(b, "%02x", h->source_hash[i]);
    } else {
        time_t t = (time_t)h->mtime;
        struct tm tm;
        char when[40] = "?";
        if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        buf_printf(b, "timestamp pyc, source mtime %u (%s), source size %u",
                   (unsigned)h->mtime, when, (unsigned)h->source_size);
    }
    flush_line(&in);
    print_code(&in, pyc->code->u.code, 1);
    buf_free(&in.line);
    ptrmap_free(&in.seen);
}

int cpyc_inspect_pyc(const uint8_t *data, size_t len, const char *filename, void *out,
                     int verify, int *identical, cpyc_error *err)
{
    error_clear(err);
    err->file = filename;
    Arena a;
    arena_init(&a);
    Pyc pyc;
    int rc = pyc_read(data, len, &a, &pyc, err);
    if (rc == 0 && out) inspect_print(out, filename, &pyc);
    if (rc == 0 && verify) {
        Buf b = {0};
        rc = pyc_write(&b, &pyc, err);
        bool same = rc == 0 && b.len == len && memcmp(b.data, data, len) == 0;
        if (identical) *identical = same;
        if (rc == 0 && !same) {
            if (pyc.noncanonical)
                snprintf(err->msg, sizeof err->msg, "re-serialized bytes differ: offset %zu holds an "
                         "encoding CPython reads but never writes", pyc.noncanonical - 1);
            else if (len > pyc.marshal_end)
                snprintf(err->msg, sizeof err->msg, "re-serialized bytes differ: %zu bytes of trailing "
                         "data after the code object", len - pyc.marshal_end);
            else
                snprintf(err->msg, sizeof err->msg, "re-serialized bytes differ");
        }
        buf_free(&b);
    }
    arena_free(&a);
    return rc;
}
