/* test.h - a tiny check macro for the unit tests. */
#ifndef CPYC_TEST_H
#define CPYC_TEST_H
#include <stdio.h>
#include <string.h>

#include "pyc/pyc.h"

extern int test_passed, test_failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) test_passed++;                                                 \
        else { test_failed++; printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

void run_hash_tests(void);
void run_marshal_tests(void);
void run_repr_tests(void);
void run_consts_tests(void);
void run_pycache_tests(void);
void run_refs_tests(void);
void run_warn_filter_tests(void);
#endif
