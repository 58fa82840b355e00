/* target.c - finding a target by name or magic number; facts shared by all targets. */
#include <stdlib.h>
#include <string.h>

#include "targets.h"

const cpyc_target *const cpyc_targets[] = {
    &cpyc_target_3_8, &cpyc_target_3_9, &cpyc_target_3_10,
    &cpyc_target_3_11, &cpyc_target_3_12, &cpyc_target_3_13, NULL,
};

#define CODE_FIELDS_UNTIL_3_10                                                                \
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_NLOCALS, CO_STACKSIZE, CO_FLAGS,     \
    CO_CODE, CO_CONSTS, CO_NAMES, CO_VARNAMES, CO_FREEVARS, CO_CELLVARS, CO_FILENAME, CO_NAME, \
    CO_FIRSTLINENO

const CodeField code_layout_3_8[16] = {CODE_FIELDS_UNTIL_3_10, CO_LNOTAB};
const CodeField code_layout_3_10[16] = {CODE_FIELDS_UNTIL_3_10, CO_LINETABLE};
const CodeField code_layout_3_11[16] = {
    CO_ARGCOUNT, CO_POSONLYARGCOUNT, CO_KWONLYARGCOUNT, CO_STACKSIZE, CO_FLAGS,
    CO_CODE, CO_CONSTS, CO_NAMES, CO_LOCALSPLUSNAMES, CO_LOCALSPLUSKINDS,
    CO_FILENAME, CO_NAME, CO_QUALNAME, CO_FIRSTLINENO, CO_LINETABLE, CO_EXCEPTIONTABLE,
};

static const struct { const char *name; CodeFieldKind kind; } code_fields[CO__COUNT] = {
    [CO_ARGCOUNT] = {"co_argcount", CF_INT},
    [CO_POSONLYARGCOUNT] = {"co_posonlyargcount", CF_INT},
    [CO_KWONLYARGCOUNT] = {"co_kwonlyargcount", CF_INT},
    [CO_NLOCALS] = {"co_nlocals", CF_INT},
    [CO_STACKSIZE] = {"co_stacksize", CF_INT},
    [CO_FLAGS] = {"co_flags", CF_INT},
    [CO_CODE] = {"co_code", CF_BYTES},
    [CO_CONSTS] = {"co_consts", CF_TUPLE},
    [CO_NAMES] = {"co_names", CF_STR_TUPLE},
    [CO_VARNAMES] = {"co_varnames", CF_STR_TUPLE},
    [CO_FREEVARS] = {"co_freevars", CF_STR_TUPLE},
    [CO_CELLVARS] = {"co_cellvars", CF_STR_TUPLE},
    [CO_LOCALSPLUSNAMES] = {"co_localsplusnames", CF_STR_TUPLE},
    [CO_LOCALSPLUSKINDS] = {"co_localspluskinds", CF_BYTES},
    [CO_FILENAME] = {"co_filename", CF_STR},
    [CO_NAME] = {"co_name", CF_STR},
    [CO_QUALNAME] = {"co_qualname", CF_STR},
    [CO_FIRSTLINENO] = {"co_firstlineno", CF_INT},
    [CO_LNOTAB] = {"co_lnotab", CF_BYTES},
    [CO_LINETABLE] = {"co_linetable", CF_BYTES},
    [CO_EXCEPTIONTABLE] = {"co_exceptiontable", CF_BYTES},
};

const char *code_field_name(CodeField f) { return code_fields[f].name; }
CodeFieldKind code_field_kind(CodeField f) { return code_fields[f].kind; }

const cpyc_target *cpyc_target_by_name(const char *name)
{
    if (!name) return NULL;
    if (strncmp(name, "cpython-", 8) == 0) name += 8;
    for (int i = 0; cpyc_targets[i]; i++) {
        const cpyc_target *t = cpyc_targets[i];
        char compact[8];
        snprintf(compact, sizeof compact, "%d%d", t->major, t->minor);
        if (strcmp(name, t->name) == 0 || strcmp(name, compact) == 0) return t;
    }
    return NULL;
}

const cpyc_target *cpyc_target_by_magic(unsigned magic)
{
    for (int i = 0; cpyc_targets[i]; i++)
        if (cpyc_targets[i]->magic == magic) return cpyc_targets[i];
    return NULL;
}

const char *cpyc_target_name(const cpyc_target *t) { return t->name; }
unsigned cpyc_target_magic(const cpyc_target *t) { return t->magic; }

/* Magic number ranges of versions cpyc has no target for, as CPython's
   importlib/_bootstrap_external.py history lists them. */
const char *magic_known_foreign(unsigned magic)
{
    static const struct { unsigned lo, hi; const char *what; } ranges[] = {
        {20121, 62211, "Python 2"}, {3000, 3131, "Python 3.0 to 3.2 (pre-release)"},
        {3140, 3189, "Python 3.1 to 3.3"}, {3190, 3230, "Python 3.3"},
        {3250, 3310, "Python 3.4"}, {3320, 3351, "Python 3.5"}, {3360, 3379, "Python 3.6"},
        {3390, 3399, "Python 3.7"}, {3600, 3699, "Python 3.14"}, {3700, 3799, "Python 3.15"},
    };
    for (size_t i = 0; i < CPYC_COUNTOF(ranges); i++)
        if (magic >= ranges[i].lo && magic <= ranges[i].hi) return ranges[i].what;
    for (int i = 0; cpyc_targets[i]; i++)
        if (magic >= cpyc_targets[i]->magic_lo && magic <= cpyc_targets[i]->magic_hi)
            return "a pre-release";
    return NULL;
}
