/* api.h - what the api folder offers the command line: py_compile.compile of one file (the public
   functions of include/cpyc.h are in api.c). */
#ifndef CPYC_API_H
#define CPYC_API_H

#include "targets/targets.h"

#include <pthread.h>
#include <stdio.h>

/* ----------------------------------------------------------- syntax_error.c */
/* Prints what the end of CPython's traceback shows for a SyntaxError of the source `data`
   (File line, the source line, carets, "Type: message"). As CPython, the parser's and the
   compiler's errors show the line read again from the file at path (the name the source is
   compiled as; NULL: none), the parser's falling back to `data`. */
void syntax_error_print(FILE *f, const cpyc_error *err, const uint8_t *data, size_t len, const char *path);
/* The interpreter's warning filters (PYTHONWARNINGS) as they apply to SyntaxWarning
   (warn_filter.c); the command lines' run owns one ("once" remembers texts across files). */
typedef struct WarnFilter {
    const char *action;         /* "default", "always", "ignore", "module", "once", "error" */
    char *message, *module;     /* NULL or "" for any */
    int lineno;                 /* 0 for any */
    bool matches_syntax;        /* its category is SyntaxWarning, Warning or any */
} WarnFilter;
typedef struct WarnFilters {
    WarnFilter *f;              /* in PYTHONWARNINGS's order: the last takes precedence */
    size_t n;
    bool unsupported;           /* an "error" filter for SyntaxWarning (not reproduced) */
    pthread_mutex_t lock;       /* for once/nonce */
    char **once;
    size_t nonce;
} WarnFilters;
/* Parses `env` (NULL: no filters); prints "Invalid -W option ignored: ..." to err for each
   entry the interpreter would reject, as it does at startup. */
void warn_filters_from_env(WarnFilters *wf, const char *env, FILE *err);
void warn_filters_free(WarnFilters *wf);
enum { WARN_SHOW, WARN_IGNORE, WARN_ONCE };
int warn_filters_action(const WarnFilters *wf, const char *filename, int lineno, const char *msg, size_t len);
bool warn_filters_first(WarnFilters *wf, const char *msg, size_t len);

/* Prints warnings as Python's warnings module shows them ("FILE:LINE: Category: message" and
   the source line, read again from the file named `filename` as linecache reads it), those
   the filters (NULL: none) let through. */
void warnings_print(FILE *f, const Warnings *w, const char *filename, WarnFilters *filters);
/* SyntaxError or a subclass of it (IndentationError, TabError): reported with file and line. */
bool syntax_error_is_placed_type(const char *type);

/* ---------------------------------------------------------------- reaper.c */
/* Descriptors closed on background threads (nthreads of them, started at the first): the
   pyc writer keeps the pyc it replaces open and closes it here, so that freeing its blocks
   does not stall the compiling. reaper_close(NULL, fd) closes at once; reaper_finish
   closes what is queued, joins the threads and frees r (NULL: nothing). */
typedef struct Reaper Reaper;
Reaper *reaper_new(int nthreads);
void reaper_close(Reaper *r, int fd);
void reaper_finish(Reaper *r);

/* ------------------------------------------------------------- pycompile.c */
enum { INVAL_TIMESTAMP = 1, INVAL_CHECKED_HASH, INVAL_UNCHECKED_HASH };   /* PycInvalidationMode */

typedef struct PyCompileJob {
    const char *file, *cfile;   /* source and pyc paths */
    const char *dfile;          /* the name compiled in and shown in errors; NULL: file */
    const cpyc_target *target;
    int optimize;               /* -1 (the interpreter's: interp_opt), 0, 1, 2 */
    int interp_opt;             /* the interpreter's -O level (PYTHONOPTIMIZE may make it 3 or more,
                                   which compiles as 2) */
    int invalidation;           /* INVAL_* */
    unsigned tmp_id;            /* makes the temporary file's name unique in this process */
    long pid;                   /* getpid(), asked once by the caller (0: asked here) */
    uint64_t *ns;               /* NULL, or 3 counters the steps' nanoseconds are added to:
                                   read, compile, write (mkdir + temporary file + rename) */
    Arena *arena;               /* the calling thread's reused arena, or NULL */
    Reaper *reaper;             /* where the replaced pyc is closed, or NULL */
    Warnings *warnings;         /* NULL, or where the compilation's SyntaxWarnings go */
} PyCompileJob;

enum { PYCOMPILE_OK, PYCOMPILE_COMPILE_ERROR, PYCOMPILE_OS_ERROR };
typedef struct PyCompileResult {
    int status;
    const char *exc_class;      /* an OSError's class name */
    int err_no;
    bool unsupported;           /* the back end cannot compile this yet */
    Buf msg;                    /* PyCompileError's msg or str(OSError), UTF-8 with surrogates */
    cpyc_error error;           /* a compile failure as the back end reported it */
} PyCompileResult;

/* py_compile.compile(file, cfile, dfile, doraise=True, optimize, invalidation_mode).
   Returns 0, or -1 with r describing the exception (free r->msg). */
int pycompile_file(const PyCompileJob *j, PyCompileResult *r);
/* importlib's _write_atomic of data to j->cfile: a temporary file beside it (named by j->pid
   and j->tmp_id) with mode's permission bits, renamed over it; the directory made when it is
   missing. 0, or -1 with r describing the OSError. */
int pycompile_write(const PyCompileJob *j, const Buf *data, unsigned mode, PyCompileResult *r);

#endif
