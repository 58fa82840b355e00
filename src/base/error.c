/* error.c - errors as values: each stage fills a cpyc_error and returns -1. */
#include <string.h>

#include "base.h"

void error_clear(cpyc_error *err)
{
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

int error_at(cpyc_error *err, cpyc_status st, long long offset, const char *fmt, ...)
{
    if (!err) return -1;
    err->status = st;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int error_syntax_v(cpyc_error *err, const char *exc_type, int line, int col, int end_line,
                   int end_col, const char *fmt, va_list ap)
{
    const char *file = err->file;
    error_clear(err);
    err->file = file;
    err->status = CPYC_ERR_SYNTAX;
    snprintf(err->exc_type, sizeof err->exc_type, "%s", exc_type);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->line = line, err->col = col, err->end_line = end_line, err->end_col = end_col;
    return -1;
}

void cpyc_error_format(const cpyc_error *err, char *out, size_t outsize)
{
    const char *file = err->file ? err->file : "<input>";
    if (err->line > 0)
        snprintf(out, outsize, "%s:%d:%d: %s%s%s", file, err->line, err->col,
                 err->exc_type, err->exc_type[0] ? ": " : "", err->msg);
    else if (err->offset >= 0)
        snprintf(out, outsize, "%s: offset %lld: %s", file, err->offset, err->msg);
    else
        snprintf(out, outsize, "%s: %s", file, err->msg);
}
