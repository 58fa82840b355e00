/* marshal_read.c - reads marshal data (format version 4) into the value model. */
#include <stdlib.h>
#include <string.h>

#include "pyc.h"
#include "marshal.h"

static Value *fail(MarshalReader *r, long long at, const char *msg)
{
    error_at(r->err, CPYC_ERR_FORMAT, at, "bad marshal data (%s)", msg);
    return NULL;
}

static Value *nomem(MarshalReader *r)
{
    error_at(r->err, CPYC_ERR_MEMORY, (long long)r->pos, "out of memory");
    return NULL;
}

/* Returns a pointer to the next n bytes and advances, or NULL at end of data. */
static const uint8_t *take(MarshalReader *r, size_t n)
{
    if (n > r->len - r->pos) {
        error_at(r->err, CPYC_ERR_FORMAT, (long long)r->pos,
                 "marshal data too short: %zu bytes needed, %zu left", n, r->len - r->pos);
        return NULL;
    }
    const uint8_t *p = r->data + r->pos;
    r->pos += n;
    return p;
}

static bool read_i32(MarshalReader *r, int32_t *out)
{
    const uint8_t *p = take(r, 4);
    if (!p) return false;
    *out = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    return true;
}

/* Reads a 32-bit element count and checks it against the bytes that remain, assuming each
   element takes at least `min_each` bytes: an absurd length fails here, before any allocation. */
static bool read_count(MarshalReader *r, size_t min_each, const char *what, size_t *out)
{
    size_t at = r->pos;
    int32_t n;
    if (!read_i32(r, &n)) return false;
    if (n < 0) {
        error_at(r->err, CPYC_ERR_FORMAT, (long long)at, "bad marshal data (%s size %d out of range)", what, n);
        return false;
    }
    if ((size_t)n > (r->len - r->pos) / min_each) {
        error_at(r->err, CPYC_ERR_FORMAT, (long long)at,
                 "bad marshal data (%s size %d exceeds the %zu bytes left)", what, n, r->len - r->pos);
        return false;
    }
    *out = (size_t)n;
    return true;
}

static bool add_ref(MarshalReader *r, Value *v)
{
    if (r->nrefs == r->refcap) {
        size_t cap = r->refcap ? r->refcap * 2 : 64;
        Value **refs = realloc(r->refs, cap * sizeof *refs);
        if (!refs) return false;
        r->refs = refs;
        r->refcap = cap;
    }
    r->refs[r->nrefs++] = v;
    return true;
}

void marshal_reader_done(MarshalReader *r)
{
    free(r->refs);
    r->refs = NULL;
    r->nrefs = r->refcap = 0;
}

/* The text form of floats (marshal versions before 2): a length byte, then repr() text. */
static bool read_float_text(MarshalReader *r, const char **text, uint8_t *textlen, double *out)
{
    const uint8_t *n = take(r, 1);
    if (!n) return false;
    const uint8_t *p = take(r, *n);
    if (!p) return false;
    char tmp[257];
    memcpy(tmp, p, *n);
    tmp[*n] = 0;
    char *end;
    *out = strtod(tmp, &end);
    if (end != tmp + *n || *n == 0) return fail(r, (long long)(p - r->data), "invalid float text") != NULL;
    *text = (const char *)p;
    *textlen = *n;
    return true;
}

static double load_double(const uint8_t *p)
{
    uint64_t bits = 0;
    for (int i = 7; i >= 0; i--) bits = (bits << 8) | p[i];
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static Value *read_seq(MarshalReader *r, Value *v, size_t n)
{
    v->u.seq.n = n;
    if (n) {
        v->u.seq.items = arena_alloc(r->arena, n * sizeof(Value *));
        if (!v->u.seq.items) return nomem(r);
    }
    for (size_t k = 0; k < n; k++) {
        Value *item = marshal_read_object(r);
        if (!item) return NULL;
        if (item->kind == V_NULL) return fail(r, (long long)r->pos - 1, "NULL object in marshal data for a sequence");
        v->u.seq.items[k] = item;
    }
    return v;
}

static Value *read_dict(MarshalReader *r, Value *v)
{
    Value *stack[16], **items = stack;
    size_t n = 0, cap = CPYC_COUNTOF(stack);
    for (;;) {
        Value *key = marshal_read_object(r);
        if (!key) return NULL;
        if (key->kind == V_NULL) {
            if (key->tcode != TYPE_NULL && !r->noncanonical) r->noncanonical = r->pos;
            break;
        }
        Value *val = marshal_read_object(r);
        if (!val) return NULL;
        if (n + 2 > cap) {
            Value **bigger = arena_alloc(r->arena, 2 * cap * sizeof *bigger);
            if (!bigger) return nomem(r);
            memcpy(bigger, items, n * sizeof *items);
            items = bigger;
            cap *= 2;
        }
        items[n++] = key;
        items[n++] = val;
    }
    v->u.seq.n = n / 2;
    v->u.seq.items = items == stack ? arena_memdup(r->arena, stack, n * sizeof *items) : items;
    if (n && !v->u.seq.items) return nomem(r);
    return v;
}

static bool kind_ok(const Value *v, CodeFieldKind k)
{
    switch (k) {
    case CF_INT: return true;
    case CF_BYTES: return v->kind == V_BYTES;
    case CF_STR: return v->kind == V_STR;
    case CF_TUPLE: return v->kind == V_TUPLE;
    case CF_STR_TUPLE:
        if (v->kind != V_TUPLE) return false;
        /* A reference can name a tuple still being read: its later items are NULL. */
        for (size_t i = 0; i < v->u.seq.n; i++)
            if (!v->u.seq.items[i] || v->u.seq.items[i]->kind != V_STR) return false;
        return true;
    }
    return false;
}

static Value *read_code(MarshalReader *r, Value *v)
{
    Code *c = arena_alloc(r->arena, sizeof *c);
    if (!c) return nomem(r);
    c->target = r->target;
    v->u.code = c;
    for (int k = 0; k < r->target->n_code_fields; k++) {
        CodeField f = r->target->code_fields[k];
        size_t at = r->pos;
        if (code_field_kind(f) == CF_INT) {
            if (!read_i32(r, &c->ival[f])) return NULL;
            continue;
        }
        Value *o = marshal_read_object(r);
        if (!o) return NULL;
        if (!kind_ok(o, code_field_kind(f))) {
            error_at(r->err, CPYC_ERR_FORMAT, (long long)at, "bad marshal data (code object field %s is %s)",
                     code_field_name(f), value_kind_name(o->kind));
            return NULL;
        }
        c->oval[f] = o;
    }
    return v;
}

static Value *read_long(MarshalReader *r, Value *v)
{
    size_t at = r->pos;
    int32_t n;
    if (!read_i32(r, &n)) return NULL;
    if (n == INT32_MIN) return fail(r, (long long)at, "long size out of range");
    size_t count = n < 0 ? (size_t)-(int64_t)n : (size_t)n;
    if (count > (r->len - r->pos) / 2) return fail(r, (long long)at, "long size exceeds the data left");
    const uint8_t *p = take(r, 2 * count);
    if (!p) return NULL;
    uint16_t *digits = count ? arena_alloc(r->arena, count * sizeof *digits) : NULL;
    if (count && !digits) return nomem(r);
    for (size_t k = 0; k < count; k++) {
        unsigned d = p[2 * k] | (unsigned)p[2 * k + 1] << 8;
        if (d >= 0x8000) return fail(r, (long long)(p - r->data + 2 * k), "digit out of range in long");
        digits[k] = (uint16_t)d;
    }
    if (count && digits[count - 1] == 0) return fail(r, (long long)at, "unnormalized long data");
    v->u.i.ndigits = n;
    v->u.i.digits = digits;
    return v;
}

static Value *read_str(MarshalReader *r, Value *v, size_t n, bool ascii)
{
    const uint8_t *p = take(r, n);
    if (!p) return NULL;
    if (ascii) {
        for (size_t k = 0; k < n; k++)
            if (p[k] >= 0x80) return fail(r, (long long)(p - r->data + k), "non-ASCII byte in an ASCII string");
    } else if (v->kind == V_STR) {
        size_t ncp;
        uint32_t max;
        if (!utf8_scan(p, n, &ncp, &max)) return fail(r, (long long)(p - r->data), "invalid UTF-8 in a str");
    }
    v->u.s.data = p;
    v->u.s.len = n;
    return v;
}

Value *marshal_read_object(MarshalReader *r)
{
    size_t start = r->pos;
    const uint8_t *cp = take(r, 1);
    if (!cp) {
        error_at(r->err, CPYC_ERR_FORMAT, (long long)start, "EOF read where object expected");
        return NULL;
    }
    uint8_t code = *cp, type = code & (uint8_t)~FLAG_REF;
    bool flag = (code & FLAG_REF) != 0;

    if (type == TYPE_REF) {
        if (flag && !r->noncanonical) r->noncanonical = start + 1;
        int32_t idx;
        if (!read_i32(r, &idx)) return NULL;
        if (idx < 0 || (size_t)idx >= r->nrefs) {
            error_at(r->err, CPYC_ERR_FORMAT, (long long)start,
                     "bad marshal data (invalid reference %d; %zu objects so far)", idx, r->nrefs);
            return NULL;
        }
        return r->refs[idx];
    }

    ValueKind kind;
    switch (type) {
    case TYPE_NULL: kind = V_NULL; break;
    case TYPE_NONE: kind = V_NONE; break;
    case TYPE_FALSE: kind = V_FALSE; break;
    case TYPE_TRUE: kind = V_TRUE; break;
    case TYPE_STOPITER: kind = V_STOPITER; break;
    case TYPE_ELLIPSIS: kind = V_ELLIPSIS; break;
    case TYPE_INT: case TYPE_INT64: case TYPE_LONG: kind = V_INT; break;
    case TYPE_FLOAT: case TYPE_BINARY_FLOAT: kind = V_FLOAT; break;
    case TYPE_COMPLEX: case TYPE_BINARY_COMPLEX: kind = V_COMPLEX; break;
    case TYPE_STRING: kind = V_BYTES; break;
    case TYPE_INTERNED: case TYPE_UNICODE: case TYPE_ASCII: case TYPE_ASCII_INTERNED:
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED: kind = V_STR; break;
    case TYPE_TUPLE: case TYPE_SMALL_TUPLE: kind = V_TUPLE; break;
    case TYPE_LIST: kind = V_LIST; break;
    case TYPE_DICT: kind = V_DICT; break;
    case TYPE_SET: kind = V_SET; break;
    case TYPE_FROZENSET: kind = V_FROZENSET; break;
    case TYPE_CODE: kind = V_CODE; break;
    default:
        error_at(r->err, CPYC_ERR_FORMAT, (long long)start, "bad marshal data (unknown type code 0x%02x)", code);
        return NULL;
    }

    Value *v = value_new(r->arena, kind, code);
    if (!v) return nomem(r);
    /* Singletons never enter the reference table, whatever their flag says. */
    if (flag && kind > V_STOPITER && !add_ref(r, v)) return nomem(r);
    if (kind <= V_STOPITER) return v;

    if (++r->depth > r->target->max_marshal_depth) {
        r->depth--;
        return fail(r, (long long)start, "recursion limit exceeded");
    }
    Value *res = v;
    size_t n;
    const uint8_t *p;
    switch (type) {
    case TYPE_INT: {
        int32_t x;
        if (!read_i32(r, &x)) res = NULL;
        else if (!value_set_i64(r->arena, v, x)) res = nomem(r);
        break;
    }
    case TYPE_INT64:
        if (!(p = take(r, 8))) { res = NULL; break; }
        {
            uint64_t x = 0;
            for (int i = 7; i >= 0; i--) x = (x << 8) | p[i];
            if (!value_set_i64(r->arena, v, (int64_t)x)) res = nomem(r);
        }
        break;
    case TYPE_LONG: res = read_long(r, v); break;
    case TYPE_FLOAT:
        if (!read_float_text(r, &v->u.f.text, &v->u.f.textlen, &v->u.f.v)) res = NULL;
        break;
    case TYPE_BINARY_FLOAT:
        if ((p = take(r, 8))) v->u.f.v = load_double(p); else res = NULL;
        break;
    case TYPE_COMPLEX:
        if (!read_float_text(r, &v->u.c.retext, &v->u.c.relen, &v->u.c.re) ||
            !read_float_text(r, &v->u.c.imtext, &v->u.c.imlen, &v->u.c.im))
            res = NULL;
        break;
    case TYPE_BINARY_COMPLEX:
        if ((p = take(r, 16))) { v->u.c.re = load_double(p); v->u.c.im = load_double(p + 8); }
        else res = NULL;
        break;
    case TYPE_STRING: case TYPE_INTERNED: case TYPE_UNICODE:
    case TYPE_ASCII: case TYPE_ASCII_INTERNED:
        res = read_count(r, 1, kind == V_BYTES ? "bytes" : "str", &n)
                  ? read_str(r, v, n, type == TYPE_ASCII || type == TYPE_ASCII_INTERNED) : NULL;
        break;
    case TYPE_SHORT_ASCII: case TYPE_SHORT_ASCII_INTERNED:
        res = (p = take(r, 1)) ? read_str(r, v, *p, true) : NULL;
        break;
    case TYPE_SMALL_TUPLE:
        res = (p = take(r, 1)) ? read_seq(r, v, *p) : NULL;
        break;
    case TYPE_TUPLE: case TYPE_LIST: case TYPE_SET: case TYPE_FROZENSET:
        res = read_count(r, 1, value_kind_name(kind), &n) ? read_seq(r, v, n) : NULL;
        break;
    case TYPE_DICT: res = read_dict(r, v); break;
    case TYPE_CODE: res = read_code(r, v); break;
    }
    r->depth--;
    return res;
}
