/* py3_9.c - target descriptor for CPython 3.9. */
#include "targets.h"

const cpyc_target cpyc_target_3_9 = {
    .name = "3.9",
    .major = 3,
    .minor = 9,
    .magic = 3425,
    .magic_lo = 3420,
    .magic_hi = 3429,
    .marshal_version = 4,
    .hash_siphash13 = false,
    .code_fields = code_layout_3_8,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_8),
    .max_marshal_depth = 2000,
    .nan_hash_zero = true,
    .none_address = 0x16b420,
    .ellipsis_address = 0x16d460,
    .unicode = &cpyc_unicode_13_0_0,
    .opcodes = &cpyc_opcodes_3_9,
    .line_table = LINES_LNOTAB,
    .dis = {.jump_unit = 1, .jabs_shown = false},
    .grammar = GRAM_PAREN_WITH,
};
