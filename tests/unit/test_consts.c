/* test_consts.c - constant keys: what the compiler's constant cache merges and keeps apart. */
#include <math.h>

#include "test.h"
#include "compile/compile.h"

void run_consts_tests(void)
{
    Arena a;
    arena_init(&a);
    Value *zero = const_int(&a, 0), *zero2 = const_int(&a, 0), *f0 = const_float(&a, 0.0),
          *fneg0 = const_float(&a, -0.0), *fals = const_bool(&a, false), *c0 = const_complex(&a, 0, 0),
          *cneg = const_complex(&a, 0, -0.0), *nan1 = const_float(&a, NAN), *nan2 = const_float(&a, NAN),
          *s = const_str(&a, "ab", 2), *b = const_bytes(&a, "ab", 2), *big = const_int(&a, 1LL << 40);
    CHECK(const_key_equal(zero, zero2) && const_key_hash(zero) == const_key_hash(zero2));
    CHECK(!const_key_equal(zero, f0) && !const_key_equal(zero, fals) && !const_key_equal(f0, fneg0));
    CHECK(!const_key_equal(c0, cneg) && !const_key_equal(f0, c0) && !const_key_equal(s, b));
    CHECK(const_key_equal(nan1, nan1) && !const_key_equal(nan1, nan2));
    CHECK(!const_key_equal(big, zero) && const_key_equal(big, const_int(&a, 1LL << 40)));

    Value *t1 = const_tuple(&a, (Value *[]){zero, s}, 2), *t2 = const_tuple(&a, (Value *[]){zero2, s}, 2);
    Value *t3 = const_tuple(&a, (Value *[]){fals, s}, 2);
    CHECK(const_key_equal(t1, t2) && !const_key_equal(t1, t3));
    Value *fs1 = const_frozenset(&a, (Value *[]){zero, s, fneg0}, 3);
    Value *fs2 = const_frozenset(&a, (Value *[]){fneg0, zero2, s}, 3);
    Value *fs3 = const_frozenset(&a, (Value *[]){f0, zero2, s}, 3);
    CHECK(const_key_equal(fs1, fs2) && const_key_hash(fs1) == const_key_hash(fs2));
    CHECK(!const_key_equal(fs1, fs3));

    /* the cache: one object per key, items of a new tuple merged */
    ConstCache *cc = const_cache_new(&a);
    CHECK(const_cache_merge(cc, zero) == zero && const_cache_merge(cc, zero2) == zero);
    CHECK(const_cache_merge(cc, t2) == t2 && t2->u.seq.items[0] == zero);
    CHECK(const_cache_merge(cc, t1) == t2 && const_cache_merge(cc, fneg0) == fneg0);
    CHECK(const_cache_merge(cc, f0) == f0);

    ConstMap m;
    constmap_init(&m, &a);
    CHECK(constmap_add(&m, zero) == 0 && constmap_add(&m, f0) == 1 && constmap_add(&m, zero2) == 0);
    CHECK(constmap_find(&m, fneg0) == -1 && constmap_find(&m, f0) == 1 && m.n == 2);
    for (int i = 0; i < 100; i++) constmap_add(&m, const_int(&a, i));
    CHECK(m.n == 101 && constmap_find(&m, const_int(&a, 57)) == 58 && m.items[0] == zero);
    arena_free(&a);
}
