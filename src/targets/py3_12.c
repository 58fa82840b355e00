/* py3_12.c - target descriptor for CPython 3.12. */
#include "targets.h"

const cpyc_target cpyc_target_3_12 = {
    .name = "3.12",
    .major = 3,
    .minor = 12,
    .magic = 3531,
    .magic_lo = 3500,
    .magic_hi = 3549,
    .marshal_version = 4,
    .hash_siphash13 = true,
    .code_fields = code_layout_3_11,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_11),
    .max_marshal_depth = 2000,
    .none_hash = 0xFCA86420,
    .none_address = 0x15d440,
    .ellipsis_address = 0x15f320,
    .unicode = &cpyc_unicode_15_0_0,
    .opcodes = &cpyc_opcodes_3_12,
    .line_table = LINES_LOCATIONS,
    .dis = {.jump_unit = 2, .jabs_shown = true, .compare_shift = 4, .exception_table = true,
            .code_deoptimized = true, .caches = CACHE_FIELDS},
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH | GRAM_EXCEPT_STAR | GRAM_TYPE_PARAMS,
    .fstring_tokens = true,
};
