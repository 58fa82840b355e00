/* py3_8.c - target descriptor for CPython 3.8. */
#include "../cpyc_internal.h"

static const CodeField code_fields[] = {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_NLOCALS, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_VARNAMES, CO_FREEVARS, CO_CELLVARS,
    CO_FILENAME, CO_NAME, CO_FIRSTLINENO, CO_LNOTAB,
};

const cpyc_target cpyc_target_3_8 = {
    .name = "3.8",
    .major = 3,
    .minor = 8,
    .magic = 3413,
    .magic_lo = 3400,
    .magic_hi = 3419,
    .marshal_version = 4,
    .hash_siphash13 = false,
    .keyed_hash_siphash13 = false,
    .code_fields = code_fields,
    .n_code_fields = (int)CPYC_COUNTOF(code_fields),
    .max_marshal_depth = 2000,
    .nan_hash_zero = true,
    .unicode = &cpyc_unicode_12_1_0,
    .opcodes = &cpyc_opcodes_3_8,
    .line_table = LINES_LNOTAB,
    .dis = {.jump_unit = 1, .jabs_shown = false},
};
