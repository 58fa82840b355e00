/* py3_12.c - target descriptor for CPython 3.12. */
#include "../cpyc_internal.h"

static const CodeField code_fields[] = {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS,
    CO_FILENAME, CO_NAME, CO_QUALNAME, CO_FIRSTLINENO, CO_LINETABLE, CO_EXCEPTIONTABLE,
};

const cpyc_target cpyc_target_3_12 = {
    .name = "3.12",
    .major = 3,
    .minor = 12,
    .magic = 3531,
    .magic_lo = 3500,
    .magic_hi = 3549,
    .marshal_version = 4,
    .hash_siphash13 = true,
    .keyed_hash_siphash13 = true,
    .code_fields = code_fields,
    .n_code_fields = (int)CPYC_COUNTOF(code_fields),
    .max_marshal_depth = 2000,
    .grammar = GRAM_PAREN_WITH | GRAM_MATCH | GRAM_EXCEPT_STAR | GRAM_TYPE_PARAMS,
    .fstring_tokens = true,
};
