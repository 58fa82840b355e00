/* test_marshal.c - marshal reader/writer round trips and rejection of malformed data. */
#include <stdlib.h>

#include "test.h"

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned x;
        sscanf(hex, "%2x", &x);
        out[n++] = (uint8_t)x;
    }
    return n;
}

/* Reads data, writes it back; returns the value or NULL, and whether bytes matched. */
static Value *roundtrip(Arena *a, const uint8_t *data, size_t len, bool *same, cpyc_error *err)
{
    error_clear(err);
    MarshalReader r = {.data = data, .len = len, .target = &cpyc_target_3_13, .arena = a, .err = err};
    Value *v = marshal_read_object(&r);
    marshal_reader_done(&r);
    *same = false;
    if (!v) return NULL;
    Buf b = {0};
    if (marshal_write_object(&b, v, &cpyc_target_3_13, err) == 0)
        *same = b.len == r.pos && memcmp(b.data, data, b.len) == 0;
    buf_free(&b);
    return v;
}

void run_marshal_tests(void)
{
    Arena a;
    arena_init(&a);
    cpyc_error err;
    bool same;
    uint8_t data[512];
    /* marshal.dumps((1, 'ab', 'ab', 2**70, -3, 1.5, 2j, b'x', frozenset(), None)) by CPython 3.13 */
    size_t n = unhex("290ae901000000da02616272010000006c0500000000000000000000000004e9fdffffffe7000000000000f8"
                     "3ff900000000000000000000000000000040f301000000783e000000004e", data);
    Value *v = roundtrip(&a, data, n, &same, &err);
    CHECK(v && same);
    CHECK(v && v->kind == V_TUPLE && v->u.seq.n == 10);
    if (v && v->kind == V_TUPLE && v->u.seq.n == 10) {
        CHECK(v->u.seq.items[1] == v->u.seq.items[2]); /* the reference resolves to one value */
        int64_t x;
        CHECK(value_int_to_i64(v->u.seq.items[4], &x) && x == -3);
        CHECK(!value_int_to_i64(v->u.seq.items[3], &x));
        Buf b = {0};
        repr_value(&b, v);
        const char *want = "(1, 'ab', 'ab', 1180591620717411303424, -3, 1.5, 2j, b'x', frozenset(), None)";
        CHECK(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0);
        buf_free(&b);
    }

    /* Malformed input: each must fail cleanly with an offset. */
    static const struct { const char *hex; long long offset; } bad[] = {
        {"", 0},                         /* nothing */
        {"29", 1},                       /* small tuple without its size */
        {"2905e9", 3},                   /* tuple of 5, items missing */
        {"99", 0},                       /* unknown type code */
        {"7200000000", 0},               /* reference to nothing */
        {"28ffffff7f", 1},               /* absurd tuple length */
        {"6c0100000000", -2},            /* unnormalized long: top digit 0 */
        {"6c01000000ffff", -2},          /* digit out of range */
        {"7502000000c328", -2},          /* invalid UTF-8 in str */
        {"7a0280ff", -2},                /* non-ASCII in short ascii */
    };
    for (size_t i = 0; i < CPYC_COUNTOF(bad); i++) {
        size_t m = unhex(bad[i].hex, data);
        v = roundtrip(&a, data, m, &same, &err);
        CHECK(v == NULL && err.status == CPYC_ERR_FORMAT && err.offset >= 0);
        if (bad[i].offset >= 0) CHECK(err.offset == bad[i].offset);
    }
    /* Nesting deeper than the limit fails instead of overflowing the stack. */
    uint8_t *deep = malloc(100000);
    memset(deep, '[', 100000);
    for (size_t i = 0; i < 100000; i += 5) { deep[i] = '['; deep[i + 1] = 1; deep[i + 2] = 0; deep[i + 3] = 0; deep[i + 4] = 0; }
    v = roundtrip(&a, deep, 100000, &same, &err);
    CHECK(v == NULL && strstr(err.msg, "recursion limit"));
    free(deep);
    /* A self-referencing tuple (only a crafted file has one) reads and writes back exactly. */
    n = unhex("a90172000000" "00", data);
    v = roundtrip(&a, data, n, &same, &err);
    CHECK(v && same && v->u.seq.items[0] == v);
    arena_free(&a);
}
