/* cpyc.h - public interface of libcpyc: compile Python source to CPython .pyc files, the
   import system's cache paths and freshness, and reading and inspecting pycs. */
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
    /* Where CPython takes a SyntaxError's source line from when it shows it: the source as
       compiled (CPYC_TEXT_SOURCE, the tokenizer's own errors), the file the error names, read
       again (CPYC_TEXT_PARSER: the parser's errors, whose columns byte_col and byte_end_col
       then count on that line; CPYC_TEXT_COMPILER: the compiler's, shown without a line when
       the file cannot be read). */
    unsigned char text_from;
    int byte_col, byte_end_col;
} cpyc_error;
enum { CPYC_TEXT_SOURCE, CPYC_TEXT_PARSER, CPYC_TEXT_COMPILER };

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

/* ---- Compiling and the import system's cache (CPython 3.13's compile(), py_compile, importlib) */
#define CPYC_VERSION "0.1.0"
const char *cpyc_version(void);          /* CPYC_VERSION of the library linked */

/* How a pyc is checked against its source (py_compile.PycInvalidationMode). */
typedef enum {
    CPYC_PYC_TIMESTAMP = 1,      /* header holds the source's mtime and size */
    CPYC_PYC_CHECKED_HASH = 2,   /* header holds importlib.util.source_hash; import checks it */
    CPYC_PYC_UNCHECKED_HASH = 3  /* the hash is written but import does not check it */
} cpyc_invalidation;

/* A warning CPython's compile() issues ("invalid escape sequence '\d'", "'int' object is not
   callable; perhaps you missed a comma?", ...): what its warnings module shows as
   "FILENAME:LINE: CATEGORY: MESSAGE" followed by that line of the file. */
typedef struct cpyc_warning {
    const char *category;   /* "SyntaxWarning" */
    const char *message;    /* UTF-8 */
    const char *filename;   /* the name compiled in (options' filename, or dfile/the source path) */
    int line;
} cpyc_warning;

typedef struct cpyc_compile_options {
    const cpyc_target *target;       /* NULL: 3.13 */
    const char *filename;            /* co_filename and the name in errors (UTF-8); NULL: "<string>" */
    int optimize;                    /* -1 or 0; 1 (-O: asserts dropped); 2 (-OO: docstrings too) */
    cpyc_invalidation invalidation;  /* 0: timestamp */
    uint32_t mtime, source_size;     /* timestamp pycs: the source's int(st_mtime) and st_size */
    /* Called for each warning, in the order CPython issues them, before the compile function
       returns (also when it fails: they come before the error); NULL: none are collected. */
    void (*on_warning)(void *ctx, const cpyc_warning *w);
    void *warning_ctx;
} cpyc_compile_options;

/* Compiles Python source (bytes, with its coding declaration if any) to the bytes of a .pyc,
   header included, as CPython 3.13 writes them. *out is malloc'ed (free() it). Returns 0, or -1
   with err filled in: status CPYC_ERR_SYNTAX with exc_type ("SyntaxError", "IndentationError"...),
   msg, line, col, end_line, end_col as CPython reports them; CPYC_ERR_UNSUPPORTED for constructs
   the back end does not compile yet. */
int cpyc_compile_pyc(const void *src, size_t len, const cpyc_compile_options *opt, uint8_t **out,
                     size_t *outlen, cpyc_error *err);

/* py_compile.compile(source_path, pyc_path, dfile): reads, compiles and writes atomically (a
   temporary file beside the pyc, then rename), creating __pycache__ and giving the pyc the source's
   permission bits plus owner write. pyc_path NULL: the PEP 3147 path for opt->optimize; dfile
   NULL: source_path; opt's mtime/source_size are taken from the file. Returns 0 or -1 with err
   (CPYC_ERR_IO: msg is str() of the OSError CPython would raise). */
int cpyc_compile_file(const char *source_path, const char *pyc_path, const char *dfile,
                      const cpyc_compile_options *opt, cpyc_error *err);

/* importlib.util.cache_from_source(source_path, optimization='' or optimize): writes the pyc's
   path (NUL-terminated) to out when it fits; returns its length (as snprintf does), -1 on error.
   optimize <= 0 gives no ".opt-N" tag. */
int cpyc_cache_from_source(const cpyc_target *t, const char *source_path, int optimize, char *out,
                           size_t outsize);
/* importlib.util.source_from_cache: the same contract; -1 with ValueError's text in err->msg. */
int cpyc_source_from_cache(const char *pyc_path, char *out, size_t outsize, cpyc_error *err);

/* Would the import system use this pyc for this source (SourceLoader.get_code's checks: magic,
   flags, then mtime and size, or the source hash when the pyc says to check it)?
   1 fresh, 0 stale or unusable (err->msg says why), -1 when the source cannot be read. */
int cpyc_pyc_is_fresh(const cpyc_target *t, const char *pyc_path, const char *source_path,
                      cpyc_error *err);

#ifdef __cplusplus
}
#endif
#endif
