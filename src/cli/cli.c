/* cli.c - what the command-line sub-commands share: reporting errors, reading pycs, path lists. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_report(const cpyc_error *err)
{
    char line[1024];
    cpyc_error_format(err, line, sizeof line);
    fprintf(stderr, "cpyc: %s\n", line);
}

int cli_read_pyc(const char *path, Arena *a, Pyc *pyc, uint8_t **data, cpyc_error *err)
{
    size_t len;
    *data = NULL;
    error_clear(err);
    err->file = path;
    return file_read_all(path, data, &len, err) || pyc_read(*data, len, a, pyc, err) ? -1 : 0;
}

int cli_read_file(const char *path, uint8_t **data, size_t *len, cpyc_error *err)
{
    error_clear(err);
    err->file = path;
    if (file_read_all(path, data, len, err) == 0) return 0;
    cli_report(err);
    return -1;
}

int cli_write_out(Buf *out)
{
    int rc = 0;
    if (out->failed) {
        fputs("cpyc: out of memory\n", stderr);
        rc = 1;
    } else {
        fwrite(out->data, 1, out->len, stdout);
    }
    buf_free(out);
    return rc;
}

int cli_each_listed_path(const char *list, void (*fn)(void *ctx, const char *path), void *ctx)
{
    FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    if (!f) {
        fprintf(stderr, "cpyc: %s: cannot open: %s\n", list, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n) fn(ctx, line);
    }
    free(line);
    if (f != stdin) fclose(f);
    return 0;
}

void cli_env_warnings(WarnFilters *wf)
{
    warn_filters_from_env(wf, getenv("PYTHONWARNINGS"), stderr);
    if (wf->unsupported)
        fputs("cpyc: PYTHONWARNINGS: the 'error' action is not supported for SyntaxWarning: "
              "the warnings are shown instead\n", stderr);
}

int cli_env_optimize(int level)
{
    const char *v = getenv("PYTHONOPTIMIZE");
    if (!v || !*v) return level;
    /* a non-negative int, as Python reads it; anything else counts as 1 */
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || errno || n < 0 || n > INT_MAX) n = 1;
    return (int)n > level ? (int)n : level;
}

const char *cli_env_pycache_prefix(void)
{
    const char *v = getenv("PYTHONPYCACHEPREFIX");
    return v && *v ? v : NULL;
}
