/* py3_9.c - target descriptor for CPython 3.9. */
#include "../cpyc_internal.h"

static const CodeField code_fields[] = {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_NLOCALS, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_VARNAMES, CO_FREEVARS, CO_CELLVARS,
    CO_FILENAME, CO_NAME, CO_FIRSTLINENO, CO_LNOTAB,
};

const cpyc_target cpyc_target_3_9 = {
    .name = "3.9",
    .major = 3,
    .minor = 9,
    .magic = 3425,
    .magic_lo = 3420,
    .magic_hi = 3429,
    .marshal_version = 4,
    .hash_siphash13 = false,
    .keyed_hash_siphash13 = false,
    .code_fields = code_fields,
    .n_code_fields = (int)CPYC_COUNTOF(code_fields),
    .max_marshal_depth = 2000,
    .nan_hash_zero = true,
    .unicode = &cpyc_unicode_13_0_0,
    .opcodes = &cpyc_opcodes_3_9,
    .line_table = LINES_LNOTAB,
    .dis = {.jump_unit = 1, .jabs_shown = false},
};
