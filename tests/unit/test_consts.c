/* test_consts.c - constant keys: what the compiler's constant cache merges and keeps apart. */
#include <math.h>

#include "test.h"
#include "compile/compile.h"
#include "pyc/marshal.h"

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

/* A code object as the back end builds it: every field a fresh Value with tcode 0. */
static Value *mk_code(Arena *a, Value *consts, Value *names, Value *plus, const char *name)
{
    Value *v = value_new(a, V_CODE, 0);
    Code *c = arena_alloc(a, sizeof *c);
    c->target = &cpyc_target_3_13;
    v->u.code = c;
    c->oval[CO_CODE] = const_bytes(a, "\x95\x00", 2);
    c->oval[CO_CONSTS] = consts;
    c->oval[CO_NAMES] = names;
    c->oval[CO_LOCALSPLUSNAMES] = plus;
    c->oval[CO_LOCALSPLUSKINDS] = const_bytes(a, "&&&&", plus->u.seq.n);
    c->oval[CO_FILENAME] = const_str(a, "m.py", 4);
    c->oval[CO_NAME] = const_str(a, name, strlen(name));
    c->oval[CO_QUALNAME] = const_str(a, name, strlen(name));
    c->oval[CO_LINETABLE] = const_bytes(a, "\x80\x00", 2);
    c->oval[CO_EXCEPTIONTABLE] = const_bytes(a, "", 0);
    return v;
}

void run_refs_tests(void)
{
    Arena a;
    arena_init(&a);
    ConstCache *cc = const_cache_new(&a);
    Value *k1000 = const_cache_merge(cc, const_int(&a, 1000));
    Value *text = const_cache_merge(cc, const_str(&a, "a b", 3));
    Value *fs = const_cache_merge(cc, const_frozenset(&a, (Value *[]){const_str(&a, "zz", 2),
                                                                     const_str(&a, "None", 4)}, 2));
    Value *x = const_str(&a, "x", 1);
    Value *f = mk_code(&a, const_tuple(&a, (Value *[]){const_none(&a), k1000, fs}, 3),
                       const_tuple(&a, NULL, 0), const_tuple(&a, (Value *[]){x}, 1), "f");
    Value *mod = mk_code(&a, const_tuple(&a, (Value *[]){f, k1000, text, const_str(&a, "f", 1)}, 4),
                         const_tuple(&a, (Value *[]){const_str(&a, "f", 1)}, 1), const_tuple(&a, NULL, 0),
                         "<module>");
    cpyc_error err;
    error_clear(&err);
    CHECK(refs_assign(mod, &refs_env_py_compile_3_13, &a, &err) == 0);
    Code *m = mod->u.code, *fc = f->u.code;
    CHECK(mod->tcode == (TYPE_CODE | FLAG_REF) && f->tcode == TYPE_CODE);      /* module held */
    CHECK(k1000->tcode == (TYPE_INT | FLAG_REF) && text->tcode == TYPE_SHORT_ASCII);   /* shared; once */
    CHECK(m->oval[CO_NAMES]->u.seq.items[0] == m->oval[CO_CONSTS]->u.seq.items[3]);    /* 'f' interned */
    CHECK(m->oval[CO_NAMES]->u.seq.items[0]->tcode == (TYPE_SHORT_ASCII_INTERNED | FLAG_REF));
    CHECK(m->oval[CO_LOCALSPLUSNAMES] == fc->oval[CO_NAMES]);                /* () is immortal */
    CHECK(m->oval[CO_CODE] != fc->oval[CO_CODE] && fc->oval[CO_CODE]->tcode == (TYPE_STRING | FLAG_REF));
    CHECK(fc->oval[CO_LOCALSPLUSKINDS]->tcode == TYPE_STRING);               /* its own, once */
    CHECK(fc->oval[CO_FILENAME] == m->oval[CO_FILENAME]);                    /* one interned text */
    /* 'None' was interned before the compile: the frozenset is rebuilt; its items are flagged
       and sorted by their marshal bytes (the length byte first: 'zz' before 'None') */
    Value *f2 = fc->oval[CO_CONSTS]->u.seq.items[2];
    CHECK(f2 != fs && f2->tcode == TYPE_FROZENSET && f2->u.seq.n == 2);
    CHECK(f2->u.seq.items[0]->u.s.len == 2 && f2->u.seq.items[1]->u.s.len == 4);
    Buf out = {0}, again = {0};
    CHECK(marshal_write_object(&out, mod, &cpyc_target_3_13, &err) == 0 && out.len > 0);
    /* a second pass over the finished tree changes nothing */
    CHECK(refs_assign(mod, &refs_env_py_compile_3_13, &a, &err) == 0 &&
          marshal_write_object(&again, mod, &cpyc_target_3_13, &err) == 0);
    CHECK(out.len == again.len && memcmp(out.data, again.data, out.len) == 0);
    buf_free(&out);
    buf_free(&again);
    arena_free(&a);
}
