/* dis.h - what the dis folder offers: dis.dis() listings of pycs, and a readable description. */
#ifndef CPYC_DIS_H
#define CPYC_DIS_H

#include "pyc/pyc.h"

/* --------------------------------------------------------------- inspect.c */
void inspect_print(FILE *out, const char *filename, const Pyc *pyc);

/* ------------------------------------------------------------------- dis.c */
/* Appends what `dis.dis(code)` of the pyc's own CPython prints for its module code object.
   Where CPython prints a code object's address, cpyc prints its number in order of
   appearance (0x1, 0x2, ...), so the listing is reproducible. Returns 0, or -1 with err set
   when the bytecode cannot be listed (odd length, argument out of range of its table). */
enum {
    DIS_OFFSETS = 1,    /* dis.dis(show_offsets=True): 3.13 hides offsets by default */
    DIS_CACHES = 2,     /* dis.dis(show_caches=True): inline caches as CACHE lines (3.11+) */
    DIS_COMPILED = 4,   /* the code is compile()'s in memory (`dis FILE.py`): set constants in its order */
};
int dis_pyc(Buf *out, const Pyc *pyc, unsigned flags, cpyc_error *err);

#endif
