/* compare.c - locates the first difference between two pycs: which code object, which field. */
#include <math.h>
#include <string.h>

#include "pyc.h"

static bool values_equal(const Value *a, const Value *b, int depth);

static bool items_equal(const Value *a, const Value *b, size_t n, int depth)
{
    for (size_t i = 0; i < n; i++)
        if (!values_equal(a->u.seq.items[i], b->u.seq.items[i], depth + 1)) return false;
    return true;
}

static bool same_double(double x, double y) { return memcmp(&x, &y, sizeof x) == 0; }

/* Deep equality of values as Python sees them, plus their kind (1 != 1.0 != True here). */
static bool values_equal(const Value *a, const Value *b, int depth)
{
    if (a == b) return true;
    if (a->kind != b->kind || depth > 4000) return false;
    switch ((ValueKind)a->kind) {
    case V_NULL: case V_NONE: case V_FALSE: case V_TRUE: case V_ELLIPSIS: case V_STOPITER:
        return true;
    case V_INT:
        return a->u.i.ndigits == b->u.i.ndigits &&
               memcmp(a->u.i.digits, b->u.i.digits,
                      sizeof(uint16_t) * (size_t)(a->u.i.ndigits < 0 ? -a->u.i.ndigits : a->u.i.ndigits)) == 0;
    case V_FLOAT: return same_double(a->u.f.v, b->u.f.v);
    case V_COMPLEX: return same_double(a->u.c.re, b->u.c.re) && same_double(a->u.c.im, b->u.c.im);
    case V_STR: case V_BYTES:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.data, b->u.s.data, a->u.s.len) == 0;
    case V_TUPLE: case V_LIST: case V_SET: case V_FROZENSET:
        return a->u.seq.n == b->u.seq.n && items_equal(a, b, a->u.seq.n, depth);
    case V_DICT:
        return a->u.seq.n == b->u.seq.n && items_equal(a, b, 2 * a->u.seq.n, depth);
    case V_CODE: {
        const Code *x = a->u.code, *y = b->u.code;
        if (x->target != y->target) return false;
        for (int k = 0; k < x->target->n_code_fields; k++) {
            CodeField f = x->target->code_fields[k];
            if (code_field_kind(f) == CF_INT ? x->ival[f] != y->ival[f]
                                             : !values_equal(x->oval[f], y->oval[f], depth + 1))
                return false;
        }
        return true;
    }
    }
    return false;
}

static void put_code_name(Buf *out, const Code *c)
{
    const Value *n = c->oval[CO_QUALNAME] ? c->oval[CO_QUALNAME] : c->oval[CO_NAME];
    buf_put(out, n->u.s.data, n->u.s.len);
}

/* Walks both code trees in parallel; describes the first field that differs. The walk
   descends into a nested code object only when the consts tuples have the same shape. */
static bool diff_code(Buf *out, const Code *x, const Code *y, int depth)
{
    if (depth > 200) return false;
    for (int k = 0; k < x->target->n_code_fields; k++) {
        CodeField f = x->target->code_fields[k];
        if (code_field_kind(f) == CF_INT) {
            if (x->ival[f] == y->ival[f]) continue;
            put_code_name(out, x);
            buf_printf(out, ": %s (%d != %d)", code_field_name(f), (int)x->ival[f], (int)y->ival[f]);
            return true;
        }
        const Value *a = x->oval[f], *b = y->oval[f];
        if (values_equal(a, b, 0)) continue;
        if (f == CO_CONSTS && a->u.seq.n == b->u.seq.n) {
            /* Report inside the first nested code object that differs, if that is where. */
            bool only_code = true;
            for (size_t i = 0; i < a->u.seq.n; i++) {
                const Value *ai = a->u.seq.items[i], *bi = b->u.seq.items[i];
                if (values_equal(ai, bi, 0)) continue;
                if (ai->kind == V_CODE && bi->kind == V_CODE) {
                    if (diff_code(out, ai->u.code, bi->u.code, depth + 1)) return true;
                }
                only_code = false;
                break;
            }
            if (only_code) continue;
        }
        put_code_name(out, x);
        buf_printf(out, ": %s", code_field_name(f));
        return true;
    }
    return false;
}

void pyc_describe_difference(Buf *out, const Pyc *a, const Pyc *b)
{
    const PycHeader *x = &a->header, *y = &b->header;
    if (x->magic != y->magic) { buf_printf(out, "header: magic %u != %u", x->magic, y->magic); return; }
    if (x->flags != y->flags) { buf_printf(out, "header: flags %u != %u", (unsigned)x->flags, (unsigned)y->flags); return; }
    if (memcmp(x->source_hash, y->source_hash, 8) || x->mtime != y->mtime || x->source_size != y->source_size) {
        buf_put(out, "header: source mtime, size or hash", 34);
        return;
    }
    if (diff_code(out, a->code->u.code, b->code->u.code, 0)) return;
    buf_put(out, "marshal encoding: same values, different type codes or references", 66);
}
