/* test_repr.c - repr() of values, expected strings as CPython prints them. */
#include <math.h>

#include "test.h"

static bool float_is(double d, const char *want)
{
    Buf b = {0};
    repr_float(&b, d);
    bool ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
    if (!ok) printf("  repr_float: got %.*s want %s\n", (int)b.len, (const char *)b.data, want);
    buf_free(&b);
    return ok;
}

static bool str_is(const char *utf8, const char *want)
{
    Buf b = {0};
    repr_str_utf8(&b, (const uint8_t *)utf8, strlen(utf8));
    bool ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
    if (!ok) printf("  repr_str: got %.*s want %s\n", (int)b.len, (const char *)b.data, want);
    buf_free(&b);
    return ok;
}

void run_repr_tests(void)
{
    CHECK(float_is(0.1, "0.1"));
    CHECK(float_is(1.0, "1.0"));
    CHECK(float_is(-0.0, "-0.0"));
    CHECK(float_is(1e16, "1e+16"));
    CHECK(float_is(1e22, "1e+22"));
    CHECK(float_is(123456789012345678.0, "1.2345678901234568e+17"));
    CHECK(float_is(1234567890123456.0, "1234567890123456.0"));
    /* next to a power of two the nearest 16-digit string does not read back (CPython: repr(2**-24)) */
    CHECK(float_is(0x1p-24, "5.960464477539063e-08"));
    CHECK(float_is(0x1p-1022, "2.2250738585072014e-308"));
    CHECK(float_is(0.0001, "0.0001"));
    CHECK(float_is(0.00001, "1e-05"));
    CHECK(float_is(1.5e-7, "1.5e-07"));
    CHECK(float_is(5e-324, "5e-324"));
    CHECK(float_is(1.7976931348623157e308, "1.7976931348623157e+308"));
    CHECK(float_is(INFINITY, "inf"));
    CHECK(float_is(-INFINITY, "-inf"));
    CHECK(float_is(NAN, "nan"));
    CHECK(float_is(2.5, "2.5"));
    CHECK(float_is(100.0, "100.0"));

    CHECK(str_is("abc", "'abc'"));
    CHECK(str_is("it's", "\"it's\""));
    CHECK(str_is("'\"", "'\\'\"'"));
    CHECK(str_is("a\tb\nc\\", "'a\\tb\\nc\\\\'"));
    CHECK(str_is("\x01\x7f", "'\\x01\\x7f'"));
    CHECK(str_is("\xc2\xa0\xc3\xa9", "'\\xa0\xc3\xa9'"));          /* NBSP escaped, é kept */
    CHECK(str_is("\xed\xb0\x80", "'\\udc00'"));                    /* lone surrogate */
    CHECK(str_is("\xe2\x80\xa8", "'\\u2028'"));                    /* line separator */
    CHECK(str_is("\xf3\xa0\x80\x81", "'\\U000e0001'"));            /* format char, plane 14 */
    CHECK(str_is("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"));
}
