/* py3_10.c - target descriptor for CPython 3.10. */
#include "targets.h"

const cpyc_target cpyc_target_3_10 = {
    .name = "3.10",
    .major = 3,
    .minor = 10,
    .magic = 3439,
    .magic_lo = 3430,
    .magic_hi = 3449,
    .marshal_version = 4,
    .hash_siphash13 = false,
    .code_fields = code_layout_3_10,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_10),
    .max_marshal_depth = 2000,
    .none_address = 0x18bc80,
    .ellipsis_address = 0x18dca0,
    .unicode = &cpyc_unicode_13_0_0,
    .opcodes = &cpyc_opcodes_3_10,
    .line_table = LINES_310,
    .dis = {.jump_unit = 2, .jabs_shown = true},
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH,
};
