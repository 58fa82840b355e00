/* value.c - the value model: constructors and small queries over Value. */
#include <string.h>

#include "pyc.h"

uint32_t value_bytes_hash(const uint8_t *s, size_t n) { return value_bytes_hash_inline(s, n); }

uint32_t value_data_hash(const Value *v)
{
    /* (value_bytes_hash inline: one call, not two, for the strs and bytes hashed here) */
    if (!v->u.s.hash) ((Value *)v)->u.s.hash = value_bytes_hash_inline(v->u.s.data, v->u.s.len);   /* a cache */
    return v->u.s.hash;
}

bool value_set_i64(Arena *a, Value *v, int64_t x)
{
    uint64_t mag = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    uint16_t tmp[5] = {0};
    int32_t n = 0;
    while (mag) {
        tmp[n++] = (uint16_t)(mag & 0x7fff);
        mag >>= 15;
    }
    uint16_t *d = arena_memdup(a, tmp, sizeof(uint16_t) * (size_t)n);
    if (n && !d) return false;
    v->u.i.digits = d;
    v->u.i.ndigits = x < 0 ? -n : n;
    return true;
}

Value *value_int_from_i64(Arena *a, int64_t x, uint8_t tcode)
{
    Value *v = value_new(a, V_INT, tcode);
    return v && value_set_i64(a, v, x) ? v : NULL;
}

bool value_int_to_i64(const Value *v, int64_t *out)
{
    int32_t n = v->u.i.ndigits < 0 ? -v->u.i.ndigits : v->u.i.ndigits;
    if (n > 5) return false;
    uint64_t mag = 0;
    for (int32_t k = n - 1; k >= 0; k--) {
        if (mag >> 49) return false;
        mag = (mag << 15) | v->u.i.digits[k];
    }
    if (v->u.i.ndigits < 0) {
        if (mag > (uint64_t)INT64_MAX + 1) return false;
        *out = (int64_t)(0 - mag);
    } else {
        if (mag > (uint64_t)INT64_MAX) return false;
        *out = (int64_t)mag;
    }
    return true;
}

const char *value_kind_name(ValueKind k)
{
    static const char *const names[] = {
        [V_NULL] = "NULL", [V_NONE] = "NoneType", [V_FALSE] = "bool", [V_TRUE] = "bool",
        [V_ELLIPSIS] = "ellipsis", [V_STOPITER] = "type", [V_INT] = "int", [V_FLOAT] = "float",
        [V_COMPLEX] = "complex", [V_STR] = "str", [V_BYTES] = "bytes", [V_TUPLE] = "tuple",
        [V_LIST] = "list", [V_DICT] = "dict", [V_SET] = "set", [V_FROZENSET] = "frozenset",
        [V_CODE] = "code",
    };
    return k < CPYC_COUNTOF(names) ? names[k] : "?";
}
