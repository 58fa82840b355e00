/* py3_13.c - target descriptor for CPython 3.13. */
#include "targets.h"

const cpyc_target cpyc_target_3_13 = {
    .name = "3.13",
    .major = 3,
    .minor = 13,
    .magic = 3571,
    .magic_lo = 3550,
    .magic_hi = 3599,
    .marshal_version = 4,
    .hash_siphash13 = true,
    .code_fields = code_layout_3_11,
    .n_code_fields = (int)CPYC_COUNTOF(code_layout_3_11),
    .max_marshal_depth = 2000,
    .none_hash = 0xFCA86420,
    .none_address = 0x1047a0,
    .ellipsis_address = 0x107c80,
    .unicode = &cpyc_unicode_15_1_0,
    .opcodes = &cpyc_opcodes_3_13,
    .line_table = LINES_LOCATIONS,
    .dis = {.jump_unit = 2, .jabs_shown = true, .compare_shift = 5,
            .compare_bool_bit = 16, .null_after = true, .labels = true, .exception_table = true,
            .code_deoptimized = true, .caches = CACHE_FIELDS_AT_FIRST},
    .compiles = true,
    .opmeta = &opmeta_3_13,
    .refs_env = &refs_env_py_compile_3_13,
    .dis_refs_env = &refs_env_dis_3_13,
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH | GRAM_EXCEPT_STAR | GRAM_TYPE_PARAMS |
                GRAM_TYPE_DEFAULTS,
    .fstring_tokens = true,
};
