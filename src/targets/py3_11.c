/* py3_11.c - target descriptor for CPython 3.11. */
#include "targets.h"

const cpyc_target cpyc_target_3_11 = {
    .name = "3.11",
    .major = 3,
    .minor = 11,
    .magic = 3495,
    .magic_lo = 3450,
    .magic_hi = 3499,
    .marshal_version = 4,
    .hash_siphash13 = true,
    .code_fields = code_layout_3_11,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_11),
    .max_marshal_depth = 2000,
    .none_address = 0x5bbe0,
    .ellipsis_address = 0x5de60,
    .unicode = &cpyc_unicode_14_0_0,
    .opcodes = &cpyc_opcodes_3_11,
    .line_table = LINES_LOCATIONS,
    .dis = {.jump_unit = 2, .jabs_shown = true, .exception_table = true,
            .code_deoptimized = true, .caches = CACHE_QUICKENED_FIELDS},
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH | GRAM_EXCEPT_STAR,
};
