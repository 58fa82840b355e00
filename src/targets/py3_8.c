/* py3_8.c - target descriptor for CPython 3.8. */
#include "targets.h"

const cpyc_target cpyc_target_3_8 = {
    .name = "3.8",
    .major = 3,
    .minor = 8,
    .magic = 3413,
    .magic_lo = 3400,
    .magic_hi = 3419,
    .marshal_version = 4,
    .hash_siphash13 = false,
    .code_fields = code_layout_3_8,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_8),
    .max_marshal_depth = 2000,
    .nan_hash_zero = true,
    .none_address = 0x132220,
    .ellipsis_address = 0x134420,
    .unicode = &cpyc_unicode_12_1_0,
    .opcodes = &cpyc_opcodes_3_8,
    .line_table = LINES_LNOTAB,
    .dis = {.jump_unit = 1, .jabs_shown = false},
    .grammar = 0,
};
