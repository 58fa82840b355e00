/* marshal_write.c - writes the value model as marshal data (format version 4). */
#include <stdlib.h>
#include <string.h>

#include "pyc.h"
#include "marshal.h"

/* A value written with FLAG_REF gets its reference index + 1 in Value.mark (cleared when
   the write ends), so a later occurrence is found without hashing its address. */
typedef struct {
    Buf *out;
    const cpyc_target *target;
    cpyc_error *err;
    Value **refs;  /* values written with FLAG_REF, by reference index */
    uint32_t nrefs, cap;
    uint32_t intfields;   /* bit f: code field f is an int (CF_INT) */
    int depth;
} Writer;

static int bad(Writer *w, const Value *v, const char *what)
{
    return error_at(w->err, CPYC_ERR_FORMAT, -1, "cannot marshal %s with type code '%c': %s",
                    value_kind_name(v->kind), v->tcode & 0x7f, what);
}

/* Bytes straight into the buffer while it has room (Buf's functions are the slow path). */
static inline void put_byte(Buf *b, uint8_t c)
{
    if (b->len < b->cap) b->data[b->len++] = c;
    else buf_byte(b, c);
}

static inline void put_u32(Buf *b, uint32_t x)
{
    if (b->cap - b->len < 4) { buf_u32le(b, x); return; }
    uint8_t *p = b->data + b->len;
    p[0] = (uint8_t)x, p[1] = (uint8_t)(x >> 8), p[2] = (uint8_t)(x >> 16), p[3] = (uint8_t)(x >> 24);
    b->len += 4;
}

static inline void put_bytes(Buf *b, const void *p, size_t n)
{
    if (b->cap - b->len < n) { buf_put(b, p, n); return; }
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_double(Buf *b, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    put_u32(b, (uint32_t)bits);
    put_u32(b, (uint32_t)(bits >> 32));
}

static void put_size(Buf *b, size_t n) { put_u32(b, (uint32_t)n); }

static int write_object(Writer *w, const Value *v);

static int write_items(Writer *w, const Value *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (write_object(w, v->u.seq.items[k])) return -1;
    return 0;
}

static int write_code(Writer *w, const Code *c)
{
    const cpyc_target *t = c->target;
    for (int k = 0; k < t->n_code_fields; k++) {
        CodeField f = t->code_fields[k];
        if (w->intfields >> f & 1) {
            put_u32(w->out, (uint32_t)c->ival[f]);
        } else if (!c->oval[f]) {
            return error_at(w->err, CPYC_ERR_FORMAT, -1, "code object has no %s", code_field_name(f));
        } else if (write_object(w, c->oval[f])) {
            return -1;
        }
    }
    return 0;
}

static int write_payload(Writer *w, const Value *v, uint8_t type)
{
    Buf *b = w->out;
    switch (type) {
    case TYPE_NULL: case TYPE_NONE: case TYPE_FALSE: case TYPE_TRUE:
    case TYPE_STOPITER: case TYPE_ELLIPSIS:
        return 0;
    case TYPE_INT: case TYPE_INT64: {
        int64_t x;
        if (!value_int_to_i64(v, &x) || (type == TYPE_INT && (x < INT32_MIN || x > INT32_MAX)))
            return bad(w, v, "value out of range");
        put_u32(b, (uint32_t)x);
        if (type == TYPE_INT64) put_u32(b, (uint32_t)((uint64_t)x >> 32));
        return 0;
    }
    case TYPE_LONG: {
        int32_t n = v->u.i.ndigits;
        put_u32(b, (uint32_t)n);
        size_t count = n < 0 ? (size_t)-(int64_t)n : (size_t)n;
        for (size_t k = 0; k < count; k++) {
            put_byte(b, (uint8_t)v->u.i.digits[k]);
            put_byte(b, (uint8_t)(v->u.i.digits[k] >> 8));
        }
        return 0;
    }
    case TYPE_FLOAT:
        if (!v->u.f.text) return bad(w, v, "no text form");
        put_byte(b, v->u.f.textlen);
        put_bytes(b, v->u.f.text, v->u.f.textlen);
        return 0;
    case TYPE_BINARY_FLOAT: put_double(b, v->u.f.v); return 0;
    case TYPE_COMPLEX:
        if (!v->u.c.retext || !v->u.c.imtext) return bad(w, v, "no text form");
        put_byte(b, v->u.c.relen);
        put_bytes(b, v->u.c.retext, v->u.c.relen);
        put_byte(b, v->u.c.imlen);
        put_bytes(b, v->u.c.imtext, v->u.c.imlen);
        return 0;
    case TYPE_BINARY_COMPLEX: put_double(b, v->u.c.re); put_double(b, v->u.c.im); return 0;
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED:
        if (v->u.s.len > 255) return bad(w, v, "longer than 255 bytes");
        put_byte(b, (uint8_t)v->u.s.len);
        put_bytes(b, v->u.s.data, v->u.s.len);
        return 0;
    case TYPE_STRING: case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED:
        if (v->u.s.len > (size_t)MARSHAL_SIZE32_MAX) return bad(w, v, "too large");
        put_size(b, v->u.s.len);
        put_bytes(b, v->u.s.data, v->u.s.len);
        return 0;
    case TYPE_SMALL_TUPLE:
        if (v->u.seq.n > 255) return bad(w, v, "more than 255 items");
        put_byte(b, (uint8_t)v->u.seq.n);
        return write_items(w, v, v->u.seq.n);
    case TYPE_TUPLE: case TYPE_LIST: case TYPE_SET: case TYPE_FROZENSET:
        if (v->u.seq.n > (size_t)MARSHAL_SIZE32_MAX) return bad(w, v, "too many items");
        put_size(b, v->u.seq.n);
        return write_items(w, v, v->u.seq.n);
    case TYPE_DICT:
        if (write_items(w, v, 2 * v->u.seq.n)) return -1;
        put_byte(b, TYPE_NULL);
        return 0;
    case TYPE_CODE:
        return write_code(w, v->u.code);
    }
    return bad(w, v, "unknown type code");
}

/* Which kinds each type code can carry. */
static bool code_fits_kind(uint8_t type, ValueKind k)
{
    switch (type) {
    case TYPE_NULL: return k == V_NULL;
    case TYPE_NONE: return k == V_NONE;
    case TYPE_FALSE: return k == V_FALSE;
    case TYPE_TRUE: return k == V_TRUE;
    case TYPE_STOPITER: return k == V_STOPITER;
    case TYPE_ELLIPSIS: return k == V_ELLIPSIS;
    case TYPE_INT: case TYPE_INT64: case TYPE_LONG: return k == V_INT;
    case TYPE_FLOAT: case TYPE_BINARY_FLOAT: return k == V_FLOAT;
    case TYPE_COMPLEX: case TYPE_BINARY_COMPLEX: return k == V_COMPLEX;
    case TYPE_STRING: return k == V_BYTES;
    case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED:
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED: return k == V_STR;
    case TYPE_TUPLE: case TYPE_SMALL_TUPLE: return k == V_TUPLE;
    case TYPE_LIST: return k == V_LIST;
    case TYPE_DICT: return k == V_DICT;
    case TYPE_SET: return k == V_SET;
    case TYPE_FROZENSET: return k == V_FROZENSET;
    case TYPE_CODE: return k == V_CODE;
    }
    return false;
}

static int write_object(Writer *w, const Value *v)
{
    uint8_t type = v->tcode & (uint8_t)~FLAG_REF;
    if (!code_fits_kind(type, (ValueKind)v->kind)) return bad(w, v, "type code does not fit the value");
    if ((v->tcode & FLAG_REF) && v->kind > V_STOPITER) {
        if (v->mark) {
            put_byte(w->out, TYPE_REF);
            put_u32(w->out, v->mark - 1);
            return 0;
        }
        if (w->nrefs == w->cap) {
            uint32_t cap = w->cap ? w->cap * 2 : 1024;
            Value **refs = realloc(w->refs, cap * sizeof *refs);
            if (!refs) return error_at(w->err, CPYC_ERR_MEMORY, -1, "out of memory");
            w->refs = refs;
            w->cap = cap;
        }
        w->refs[w->nrefs] = (Value *)v;   /* the mark is scratch, not the value */
        ((Value *)v)->mark = ++w->nrefs;
    }
    put_byte(w->out, v->tcode);
    if (v->kind <= V_STOPITER) return 0;
    if (++w->depth > w->target->max_marshal_depth) {
        w->depth--;
        error_at(w->err, CPYC_ERR_FORMAT, -1, "object too deeply nested to marshal");
        if (w->err) snprintf(w->err->exc_type, sizeof w->err->exc_type, "ValueError");   /* as marshal.dumps */
        return -1;
    }
    int rc = write_payload(w, v, type);
    w->depth--;
    return rc;
}

int marshal_write_object(Buf *out, const Value *v, const cpyc_target *t, cpyc_error *err)
{
    Writer w = {.out = out, .target = t, .err = err};
    for (int f = 0; f < CO__COUNT; f++)
        if (code_field_kind((CodeField)f) == CF_INT) w.intfields |= 1u << f;
    int rc = write_object(&w, v);
    for (uint32_t k = 0; k < w.nrefs; k++) w.refs[k]->mark = 0;
    free(w.refs);
    if (rc == 0 && out->failed) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    return rc;
}
