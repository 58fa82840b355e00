/* cpyc.h - public interface of libcpyc: read, inspect and write CPython .pyc files. */
#ifndef CPYC_H
#define CPYC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An error is a value: the failing stage fills it in and returns non-zero.
   `offset` is a byte offset for binary input (-1 when unknown); `line`/`col`
   locate errors in source text (0 when unknown). */
typedef enum {
    CPYC_OK = 0,
    CPYC_ERR_IO,          /* cannot open, read or write a file */
    CPYC_ERR_FORMAT,      /* malformed .pyc / marshal data */
    CPYC_ERR_UNSUPPORTED, /* valid input of a version or feature cpyc does not handle */
    CPYC_ERR_SYNTAX,      /* source rejected (exc_type names CPython's exception) */
    CPYC_ERR_MEMORY,
    CPYC_ERR_USAGE
} cpyc_status;

typedef struct cpyc_error {
    cpyc_status status;
    const char *file;     /* borrowed from the caller; may be NULL */
    long long offset;
    int line, col, end_line, end_col;
    char exc_type[32];    /* e.g. "SyntaxError"; empty for non-Python errors */
    char msg[512];
} cpyc_error;

/* Formats an error as one line: "FILE: offset N: message" (or "FILE:LINE:COL: ..."). */
void cpyc_error_format(const cpyc_error *err, char *out, size_t outsize);

/* Targets: one per supported CPython minor version. */
typedef struct cpyc_target cpyc_target;
const cpyc_target *cpyc_target_by_name(const char *name);   /* "3.13", "313", "cpython-313" */
const cpyc_target *cpyc_target_by_magic(unsigned magic);    /* exact release magic number */
const char *cpyc_target_name(const cpyc_target *t);          /* "3.13" */
unsigned cpyc_target_magic(const cpyc_target *t);

/* Hashes exactly as CPython computes them with PYTHONHASHSEED=0 (64-bit builds). */
uint64_t cpyc_siphash13(uint64_t k0, uint64_t k1, const void *data, size_t len);
uint64_t cpyc_siphash24(uint64_t k0, uint64_t k1, const void *data, size_t len);
/* importlib.util.source_hash(source) of the target: 8 bytes written to out. */
void cpyc_source_hash(const cpyc_target *t, const void *src, size_t len, uint8_t out[8]);
/* hash(bytes) and hash(str) (str given as UTF-8, surrogates allowed). Returns 0 and sets *out,
   or -1 when the UTF-8 is invalid. */
int64_t cpyc_hash_bytes(const cpyc_target *t, const void *data, size_t len);
int cpyc_hash_str_utf8(const cpyc_target *t, const char *utf8, size_t len, int64_t *out);

/* Inspection of a .pyc image in memory. Writes a readable description to `out` (a FILE *,
   passed as void * to keep <stdio.h> out of this header). When `verify` is non-zero the image
   is re-serialized and compared byte for byte; *identical receives the result and, when the
   bytes differ, err->msg says why (err->status stays CPYC_OK).
   Returns 0, or -1 with err filled in. */
int cpyc_inspect_pyc(const uint8_t *data, size_t len, const char *filename, void *out,
                     int verify, int *identical, cpyc_error *err);

#ifdef __cplusplus
}
#endif
#endif
