/* cli_pycompile.c - `cpyc py_compile [-q] FILE...` as python3.13 -m py_compile: each file to
   its PEP 3147 pyc, names from stdin for a lone '-', the first failure ends the run. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "api/api.h"

static const ArgSpec specs[] = {
    {"-h", "--help", ARG_HELP, 0, NULL},
    {"-q", "--quiet", ARG_FLAG, 0, NULL},
};

int cli_pycompile(int argc, char **argv)
{
    const char *target_name = "3.13";
    int interp_opt = 0;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) return 2;
    WarnFilters wfilters;
    cli_env_warnings(&wfilters);   /* (the interpreter reads them before py_compile starts) */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--target") == 0 && i + 1 < argc) target_name = argv[++i];
        else if (strncmp(argv[i], "--target=", 9) == 0) target_name = argv[i] + 9;
        else if (strcmp(argv[i], "-O") == 0 || strcmp(argv[i], "-OO") == 0) interp_opt = (int)strlen(argv[i]) - 1;
        else rest[nrest++] = argv[i];
    }
    ArgValue vals[2] = {{0}};
    ArgParse ap = {.specs = specs, .values = vals, .nspecs = 2, .positional_required = true,
                   .positional_name = "filenames"};
    int rc = args_parse(&ap, nrest, rest), status = 0;
    const cpyc_target *t = cpyc_target_by_name(target_name);
    if (rc == 1) {
        fputs(cli_pycompile_help, stdout);
        fputs("\ncpyc options:\n  --target VERSION  the CPython version to write pycs for (default 3.13)\n"
              "  -O, -OO           as python3.13 -O / -OO -m py_compile (Debian's py3compile -O)\n", stdout);
    } else if (rc < 0) {
        fprintf(stderr, "%scpyc py_compile: error: %s\n", cli_pycompile_usage, ap.error);
        status = 2;
    } else if (!t || (t != &cpyc_target_3_13 && !t->compiles)) {
        fprintf(stderr, "cpyc py_compile: %s %s: cpyc has no back end for it yet (only 3.13)\n",
                t ? "target" : "unknown target", target_name);
        status = 2;
    } else {
        bool from_stdin = ap.npositional == 1 && strcmp(ap.positional[0], "-") == 0;
        size_t nlines = 0;
        char **lines = from_stdin ? cli_read_lines(stdin, false, &nlines) : NULL;
        const char *sde = getenv("SOURCE_DATE_EPOCH"), *prefix = cli_env_pycache_prefix();
        interp_opt = cli_env_optimize(interp_opt);
        int inval = sde && *sde ? INVAL_CHECKED_HASH : INVAL_TIMESTAMP;
        Arena arena;   /* reused across the files */
        arena_init(&arena);
        heap_keep_freed_memory();
        Reaper *reaper = reaper_new(4);
        long pid = (long)getpid();
        Warnings warns = {0};
        for (int k = 0; status == 0; k++) {
            const char *file;
            if (from_stdin) {
                if (!lines || (size_t)k >= nlines) break;
                file = lines[k];
            } else {
                if (k >= ap.npositional) break;
                file = ap.positional[k];
            }
            Buf cfile = {0};
            pycache_from_source(&cfile, file, t, interp_opt, false, prefix);
            PyCompileJob job = {.file = file, .cfile = (const char *)cfile.data, .target = t,
                                .optimize = -1, .interp_opt = interp_opt, .invalidation = inval, .tmp_id = (unsigned)k,
                                .pid = pid, .arena = &arena, .reaper = reaper, .warnings = &warns};
            PyCompileResult r;
            int failed = !cfile.failed && pycompile_file(&job, &r);
            warnings_print(stderr, &warns, file, &wfilters);   /* shown as the compiling met them: before its error */
            warnings_clear(&warns);
            if (failed) {
                if (!vals[1].count) {
                    Buf msg = {0};
                    text_backslashreplace(&msg, r.msg.data ? r.msg.data : (const uint8_t *)"", r.msg.len);
                    fwrite(msg.data ? msg.data : (const uint8_t *)"", 1, msg.len, stderr);
                    buf_free(&msg);
                }
                buf_free(&r.msg);
                status = 1;
            }
            buf_free(&cfile);
        }
        reaper_finish(reaper);
        warnings_free(&warns);
        arena_free(&arena);
        for (size_t k = 0; lines && k < nlines; k++) free(lines[k]);
        free(lines);
    }
    args_free(&ap);
    free(rest);
    warn_filters_free(&wfilters);
    return status;
}
