/* test_main.c - unit tests of the library's stages, no oracle needed. */
#include "test.h"

int test_passed, test_failed;

int main(void)
{
    run_hash_tests();
    run_marshal_tests();
    run_repr_tests();
    run_consts_tests();
    run_pycache_tests();
    run_refs_tests();
    run_warn_filter_tests();
    printf("unit: %d passed, %d failed\n", test_passed, test_failed);
    return test_failed != 0;
}
