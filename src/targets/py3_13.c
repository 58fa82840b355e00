/* py3_13.c - target descriptor for CPython 3.13. */
#include "../cpyc_internal.h"

static const CodeField code_fields[] = {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS,
    CO_FILENAME, CO_NAME, CO_QUALNAME, CO_FIRSTLINENO, CO_LINETABLE, CO_EXCEPTIONTABLE,
};

const cpyc_target cpyc_target_3_13 = {
    .name = "3.13",
    .major = 3,
    .minor = 13,
    .magic = 3571,
    .magic_lo = 3550,
    .magic_hi = 3599,
    .marshal_version = 4,
    .hash_siphash13 = true,
    .keyed_hash_siphash13 = true,
    .code_fields = code_fields,
    .n_code_fields = (int)CPYC_COUNTOF(code_fields),
    .max_marshal_depth = 2000,
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH | GRAM_EXCEPT_STAR | GRAM_TYPE_PARAMS |
                GRAM_TYPE_DEFAULTS,
    .fstring_tokens = true,
};
