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
    int depth, max_depth; /* max_depth: the target's max_marshal_depth */
} Writer;

static int bad(Writer *w, const Value *v, const char *what)
{
    return error_at(w->err, CPYC_ERR_FORMAT, -1, "cannot marshal %s with type code '%c': %s",
                    value_kind_name(v->kind), v->tcode & 0x7f, what);
}

/* Room for n more bytes; false (the buffer marked failed) when out of memory. The writers
   below reserve once per object and then store through a pointer. */
static inline bool room(Buf *b, size_t n)
{
    if (b->cap - b->len >= n) return true;
    buf_reserve(b, n);
    return !b->failed;
}

static inline uint8_t *put_le32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)x, p[1] = (uint8_t)(x >> 8), p[2] = (uint8_t)(x >> 16), p[3] = (uint8_t)(x >> 24);
    return p + 4;
}

static inline uint8_t *put_le64(uint8_t *p, uint64_t x)
{
    return put_le32(put_le32(p, (uint32_t)x), (uint32_t)(x >> 32));
}

static inline uint8_t *put_double(uint8_t *p, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    p = put_le32(p, (uint32_t)bits);
    return put_le32(p, (uint32_t)(bits >> 32));
}

static int write_object(Writer *w, const Value *v);

static int write_items(Writer *w, const Value *v, size_t n)
{
    Value *const *items = v->u.seq.items;
    for (size_t k = 0; k < n; k++)
        if (write_object(w, items[k])) return -1;
    return 0;
}

static int nomem(Writer *w) { return error_at(w->err, CPYC_ERR_MEMORY, -1, "out of memory"); }

static int write_code(Writer *w, const Code *c)
{
    const cpyc_target *t = c->target;
    for (int k = 0; k < t->n_code_fields; k++) {
        CodeField f = t->code_fields[k];
        if (w->intfields >> f & 1) {
            if (!room(w->out, 4)) return nomem(w);
            put_le32(w->out->data + w->out->len, (uint32_t)c->ival[f]);
            w->out->len += 4;
        } else if (!c->oval[f]) {
            return error_at(w->err, CPYC_ERR_FORMAT, -1, "code object has no %s", code_field_name(f));
        } else if (write_object(w, c->oval[f])) {
            return -1;
        }
    }
    return 0;
}

/* A text of up to 255 bytes after its length byte ('f', 'x'). */
static uint8_t *put_short_text(uint8_t *p, const char *text, uint8_t len)
{
    *p++ = len;
    memcpy(p, text, len);
    return p + len;
}

/* The payload after the type byte of what write_object leaves (containers, the rarer
   leaves); room for 23 bytes is reserved already. */
static __attribute__((noinline)) int write_payload(Writer *w, const Value *v, uint8_t type)
{
    Buf *b = w->out;
    uint8_t *p = b->data + b->len;
    switch (type) {
    case TYPE_NULL: case TYPE_NONE: case TYPE_FALSE: case TYPE_TRUE:
    case TYPE_STOPITER: case TYPE_ELLIPSIS:
        return 0;
    case TYPE_INT: case TYPE_INT64: {
        int64_t x;
        if (!value_int_to_i64(v, &x) || (type == TYPE_INT && (x < INT32_MIN || x > INT32_MAX)))
            return bad(w, v, "value out of range");
        p = put_le32(p, (uint32_t)x);
        if (type == TYPE_INT64) p = put_le32(p, (uint32_t)((uint64_t)x >> 32));
        break;
    }
    case TYPE_LONG: {
        int32_t n = v->u.i.ndigits;
        size_t count = n < 0 ? (size_t)-(int64_t)n : (size_t)n;
        if (!room(b, 4 + 2 * count)) return nomem(w);
        p = put_le32(b->data + b->len, (uint32_t)n);
        for (size_t k = 0; k < count; k++) {
            *p++ = (uint8_t)v->u.i.digits[k];
            *p++ = (uint8_t)(v->u.i.digits[k] >> 8);
        }
        break;
    }
    case TYPE_FLOAT:
        if (!v->u.f.text) return bad(w, v, "no text form");
        if (!room(b, 1 + (size_t)v->u.f.textlen)) return nomem(w);
        p = put_short_text(b->data + b->len, v->u.f.text, v->u.f.textlen);
        break;
    case TYPE_BINARY_FLOAT: p = put_double(p, v->u.f.v); break;
    case TYPE_COMPLEX:
        if (!v->u.c.retext || !v->u.c.imtext) return bad(w, v, "no text form");
        if (!room(b, 2 + (size_t)v->u.c.relen + v->u.c.imlen)) return nomem(w);
        p = put_short_text(b->data + b->len, v->u.c.retext, v->u.c.relen);
        p = put_short_text(p, v->u.c.imtext, v->u.c.imlen);
        break;
    case TYPE_BINARY_COMPLEX: p = put_double(put_double(p, v->u.c.re), v->u.c.im); break;
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED:
        if (v->u.s.len > 255) return bad(w, v, "longer than 255 bytes");
        if (!room(b, 1 + v->u.s.len)) return nomem(w);
        p = b->data + b->len;
        *p++ = (uint8_t)v->u.s.len;
        if (v->u.s.len) memcpy(p, v->u.s.data, v->u.s.len);
        p += v->u.s.len;
        break;
    case TYPE_STRING: case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED:
        if (v->u.s.len > (size_t)MARSHAL_SIZE32_MAX) return bad(w, v, "too large");
        if (!room(b, 4 + v->u.s.len)) return nomem(w);
        p = put_le32(b->data + b->len, (uint32_t)v->u.s.len);
        if (v->u.s.len) memcpy(p, v->u.s.data, v->u.s.len);
        p += v->u.s.len;
        break;
    case TYPE_SMALL_TUPLE:
        if (v->u.seq.n > 255) return bad(w, v, "more than 255 items");
        b->data[b->len++] = (uint8_t)v->u.seq.n;
        return write_items(w, v, v->u.seq.n);
    case TYPE_TUPLE: case TYPE_LIST: case TYPE_SET: case TYPE_FROZENSET:
        if (v->u.seq.n > (size_t)MARSHAL_SIZE32_MAX) return bad(w, v, "too many items");
        put_le32(p, (uint32_t)v->u.seq.n);
        b->len += 4;
        return write_items(w, v, v->u.seq.n);
    case TYPE_DICT:
        if (write_items(w, v, 2 * v->u.seq.n)) return -1;
        if (!room(b, 1)) return nomem(w);
        b->data[b->len++] = TYPE_NULL;
        return 0;
    case TYPE_CODE:
        return write_code(w, v->u.code);
    default:
        return bad(w, v, "unknown type code");
    }
    b->len = (size_t)(p - b->data);
    return 0;
}

/* The kind (+ 1) each type code carries; 0: not a type code the writer knows. */
static const uint8_t kind_of_code[128] = {
    [TYPE_NULL] = V_NULL + 1, [TYPE_NONE] = V_NONE + 1, [TYPE_FALSE] = V_FALSE + 1,
    [TYPE_TRUE] = V_TRUE + 1, [TYPE_STOPITER] = V_STOPITER + 1, [TYPE_ELLIPSIS] = V_ELLIPSIS + 1,
    [TYPE_INT] = V_INT + 1, [TYPE_INT64] = V_INT + 1, [TYPE_LONG] = V_INT + 1,
    [TYPE_FLOAT] = V_FLOAT + 1, [TYPE_BINARY_FLOAT] = V_FLOAT + 1,
    [TYPE_COMPLEX] = V_COMPLEX + 1, [TYPE_BINARY_COMPLEX] = V_COMPLEX + 1,
    [TYPE_STRING] = V_BYTES + 1,
    [TYPE_INTERNED] = V_STR + 1, [TYPE_UNICODE] = V_STR + 1, [TYPE_ASCII] = V_STR + 1,
    [TYPE_ASCII_INTERNED] = V_STR + 1, [TYPE_SHORT_ASCII] = V_STR + 1,
    [TYPE_SHORT_ASCII_INTERNED] = V_STR + 1,
    [TYPE_TUPLE] = V_TUPLE + 1, [TYPE_SMALL_TUPLE] = V_TUPLE + 1, [TYPE_LIST] = V_LIST + 1,
    [TYPE_DICT] = V_DICT + 1, [TYPE_SET] = V_SET + 1, [TYPE_FROZENSET] = V_FROZENSET + 1,
    [TYPE_CODE] = V_CODE + 1,
};

/* memcpy of n bytes; most texts written are names of up to 16 bytes: two overlapping
   loads and stores, no call (a word loaded and stored back as it was: either byte order). */
static inline void copy_text(uint8_t *p, const uint8_t *s, size_t n)
{
    if (n > 16) {
        memcpy(p, s, n);
    } else if (n >= 8) {
        uint64_t a = value_load_le8(s), b = value_load_le8(s + n - 8);
        put_le64(p, a), put_le64(p + n - 8, b);
    } else if (n >= 4) {
        uint32_t a = (uint32_t)value_load_le4(s), b = (uint32_t)value_load_le4(s + n - 4);
        put_le32(p, a), put_le32(p + n - 4, b);
    } else if (n) {
        uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
        p[0] = a, p[n / 2] = b, p[n - 1] = c;
    }
}

/* A reference to v, written before: its index; room for 5 bytes is there. */
static inline int put_ref(Buf *b, const Value *v)
{
    uint8_t *p = b->data + b->len;
    p[0] = TYPE_REF;
    put_le32(p + 1, v->mark - 1);
    b->len += 5;
    return 0;
}

static int too_deep(Writer *w)
{
    error_at(w->err, CPYC_ERR_FORMAT, -1, "object too deeply nested to marshal");
    if (w->err) snprintf(w->err->exc_type, sizeof w->err->exc_type, "ValueError");   /* as marshal.dumps */
    return -1;
}

/* The type byte (or a reference), then the payload: strs, bytes and small ints here, the
   rest in write_payload. */
static __attribute__((noinline)) int write_new(Writer *w, const Value *v)
{
    Buf *b = w->out;
    if (!room(b, 24)) return nomem(w);   /* the type byte and any fixed-size payload */
    uint8_t *p = b->data + b->len;
    if (v->mark) return put_ref(b, v);   /* write_object found no room for it */
    uint8_t type = v->tcode & (uint8_t)~FLAG_REF;
    if (kind_of_code[type] != v->kind + 1) return bad(w, v, "type code does not fit the value");
    *p++ = v->tcode;
    if (v->kind <= V_STOPITER) {
        b->len++;
        return 0;
    }
    if (v->tcode & FLAG_REF) {
        if (w->nrefs == w->cap) {
            uint32_t cap = w->cap ? w->cap * 2 : 1024;
            Value **refs = realloc(w->refs, cap * sizeof *refs);
            if (!refs) return nomem(w);
            w->refs = refs;
            w->cap = cap;
        }
        w->refs[w->nrefs] = (Value *)v;   /* the mark is scratch, not the value */
        ((Value *)v)->mark = ++w->nrefs;
    }
    if (w->depth >= w->max_depth) return b->len++, too_deep(w);
    size_t len = v->u.s.len;
    switch (type) {
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED:
        if (len > 255) return b->len++, bad(w, v, "longer than 255 bytes");
        if (!room(b, 2 + len)) return nomem(w);
        p = b->data + b->len + 1;
        *p++ = (uint8_t)len;
        break;
    case TYPE_STRING: case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED:
        if (len > (size_t)MARSHAL_SIZE32_MAX) return b->len++, bad(w, v, "too large");
        if (!room(b, 5 + len)) return nomem(w);
        p = put_le32(b->data + b->len + 1, (uint32_t)len);
        break;
    default: {
        b->len++;
        w->depth++;
        int rc = write_payload(w, v, type);
        w->depth--;
        return rc;
    }
    }
    copy_text(p, v->u.s.data, len);
    b->len = (size_t)(p - b->data) + len;
    return 0;
}

/* A value written before with FLAG_REF is a reference (marks are 0 between walks): the
   common case, kept small; the rest in write_new. */
static int write_object(Writer *w, const Value *v)
{
    if (v->mark && w->out->cap - w->out->len >= 5) return put_ref(w->out, v);
    return write_new(w, v);
}

int marshal_write_object(Buf *out, const Value *v, const cpyc_target *t, cpyc_error *err)
{
    Writer w = {.out = out, .target = t, .err = err, .max_depth = t->max_marshal_depth};
    for (int f = 0; f < CO__COUNT; f++)
        if (code_field_kind((CodeField)f) == CF_INT) w.intfields |= 1u << f;
    int rc = out->failed ? nomem(&w) : write_object(&w, v);
    for (uint32_t k = 0; k < w.nrefs; k++) w.refs[k]->mark = 0;
    free(w.refs);
    if (rc == 0 && out->failed) return nomem(&w);
    return rc;
}
