/* cli_compile.c - `cpyc compile`: source files to pycs as py_compile.compile writes them
   (PEP 3147 path, header, atomic write), and the whole pipeline's benchmark. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "api/api.h"
#include "compile/compile.h"

static const char compile_usage[] =
    "usage: cpyc compile [--target V] [-O|-OO|--optimize N] [--filename NAME]\n"
    "                    [--invalidation-mode timestamp|checked-hash|unchecked-hash] [-o OUT] SRC...\n"
    "       cpyc compile [--target V] [--optimize N] --bench [--stages] < LIST\n";

/* Writes a pyc as py_compile does (pycompile_write: temporary file, cache directory, rename);
   a failure is reported as "SRC: [Errno N] ...". */
static int write_pyc(const char *src, const char *cfile, const Buf *data, unsigned mode, unsigned tmp_id)
{
    PyCompileJob j = {.file = src, .cfile = cfile, .tmp_id = tmp_id};
    PyCompileResult r = {0};
    int rc = pycompile_write(&j, data, mode, &r);
    if (rc) fprintf(stderr, "cpyc: %s: %.*s\n", src, (int)r.msg.len, r.msg.data ? (const char *)r.msg.data : "");
    buf_free(&r.msg);
    return rc;
}

typedef struct {
    const cpyc_target *target;
    int optimize;
    const char *filename, *out;
    int mode;   /* 0 timestamp, else PYC_FLAG_HASH | (checked ? PYC_FLAG_CHECK_SOURCE : 0) */
    bool stages;   /* --bench --stages: CPU time per stage too (clock reads cost ~2%) */
} CompileArgs;

static int compile_one(const CompileArgs *ca, const char *src, Arena *arena, unsigned tmp_id)
{
    cpyc_error err;
    error_clear(&err);
    err.file = src;
    uint8_t *data;
    size_t len;
    struct stat st;
    int e = file_read_st(src, &data, &len, &st);
    if (e) {
        error_at(&err, CPYC_ERR_IO, -1, "%s: %s", e > 0 ? "cannot open" : "read error", strerror(e > 0 ? e : -e));
        cli_report(&err);
        return 1;
    }
    Buf cfile = {0};
    if (ca->out) buf_printf(&cfile, "%s", ca->out), buf_byte(&cfile, 0);
    else pycache_from_source(&cfile, src, ca->target, ca->optimize, false, NULL);
    struct stat cst;
    int rc = 0;
    if (cfile.failed) {
        error_at(&err, CPYC_ERR_MEMORY, -1, "out of memory");
        cli_report(&err);
        rc = 1;
    } else if (lstat((char *)cfile.data, &cst) == 0 && (S_ISLNK(cst.st_mode) || !S_ISREG(cst.st_mode))) {
        fprintf(stderr, "%s is a %s and will be changed into a regular file if import writes a "
                "byte-compiled file to it\n", (char *)cfile.data, S_ISLNK(cst.st_mode) ? "symlink" : "non-regular file");
        rc = 1;
    }
    Warnings warns = {0};
    CompileOptions opt = {.target = ca->target, .optimize = ca->optimize,
                          .filename = ca->filename ? ca->filename : src, .arena = arena,
                          .warnings = &warns};
    PycHeader h = {.flags = (uint32_t)ca->mode, .mtime = (uint32_t)pycache_mtime(&st),
                   .source_size = (uint32_t)st.st_size};
    Buf out = {0};
    int failed = rc ? 0 : compile_to_pyc(data, len, &opt, &h, &out, &err);
    warnings_print(stderr, &warns, opt.filename, NULL);   /* before the error, as the compiling met them */
    warnings_free(&warns);
    if (rc) {
    } else if (failed) {
        err.file = opt.filename;
        const char *type = err.exc_type[0] ? err.exc_type : "SyntaxError";
        if (err.status == CPYC_ERR_SYNTAX && syntax_error_is_placed_type(type))
            syntax_error_print(stderr, &err, data, len, opt.filename);
        else if (err.exc_type[0] && err.status == CPYC_ERR_FORMAT)   /* marshal's ValueError */
            fprintf(stderr, "%s: %s\n", type, err.msg);
        else if (err.exc_type[0])   /* what py_compile says of other compile errors */
            fprintf(stderr, "Sorry: %s: %s\n", type, err.msg);
        else cli_report(&err);
        rc = 1;
    } else {
        rc = write_pyc(src, (char *)cfile.data, &out, (st.st_mode & 07777) | 0200, tmp_id);
    }
    buf_free(&out);
    buf_free(&cfile);
    free(data);
    return rc;
}

/* --batch: "SRC<TAB>OUT" lines on stdin, each compiled as compile_one would with -o OUT;
   prints "ok" or "error TYPE: MESSAGE" a line (the conformance harness's interface). */
static int batch(const CompileArgs *ca)
{
    char line[8192];
    Arena arena;
    arena_init(&arena);
    for (unsigned n = 0; fgets(line, sizeof line, stdin); n++) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        cpyc_error err;
        error_clear(&err);
        uint8_t *data;
        size_t len;
        struct stat st;
        int e = file_read_st(line, &data, &len, &st);
        if (e) {
            printf("error OSError: %s\n", strerror(e > 0 ? e : -e));
            fflush(stdout);
            continue;
        }
        CompileOptions opt = {.target = ca->target, .optimize = ca->optimize, .filename = line,
                              .arena = &arena};
        PycHeader h = {.flags = (uint32_t)ca->mode, .mtime = (uint32_t)pycache_mtime(&st),
                       .source_size = (uint32_t)st.st_size};
        Buf out = {0};
        PyCompileJob j = {.file = line, .cfile = tab + 1, .tmp_id = n};
        PyCompileResult r = {0};
        if (compile_to_pyc(data, len, &opt, &h, &out, &err))
            printf("error %s: %s\n", err.exc_type[0] ? err.exc_type : "cpyc", err.msg);
        else if (pycompile_write(&j, &out, 0644, &r))
            printf("error OSError: %.*s\n", (int)r.msg.len, r.msg.data ? (const char *)r.msg.data : "");
        else
            puts("ok");
        fflush(stdout);
        buf_free(&r.msg);
        buf_free(&out);
        free(data);
    }
    arena_free(&arena);
    return 0;
}

static double now_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --bench: compiles every file listed on stdin in-process; reports MB/s of the pipeline. */
static int bench(const CompileArgs *ca)
{
    char line[4096];
    double secs = 0;
    size_t bytes = 0, files = 0, failed = 0, outbytes = 0;
    CompileStats st = {0};
    Arena arena;
    arena_init(&arena);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        cpyc_error err;
        error_clear(&err);
        uint8_t *data;
        size_t len;
        if (file_read_all(line, &data, &len, &err)) { failed++; continue; }
        CompileOptions opt = {.target = ca->target, .optimize = ca->optimize, .filename = line,
                              .stats = ca->stages ? &st : NULL, .arena = &arena};
        PycHeader h = {0};
        Buf out = {0};
        double t0 = now_cpu();
        if (compile_to_pyc(data, len, &opt, &h, &out, &err)) failed++;
        secs += now_cpu() - t0;
        outbytes += out.len;
        buf_free(&out);
        bytes += len;
        files++;
        free(data);
    }
    arena_free(&arena);
    printf("%zu files, %.1f MB of source in %.3f s of CPU: %.1f MB/s (source bytes to pyc bytes; "
           "%.1f MB of pyc; %zu failed)\n", files, (double)bytes / 1e6, secs,
           secs > 0 ? (double)bytes / 1e6 / secs : 0.0, (double)outbytes / 1e6, failed);
    if (ca->stages) {
        /* codegen's lap holds the units' cfg and assemble times: report them apart */
        const struct { const char *name; double s; } rows[] = {
            {"decode+parse", st.parse}, {"future+ast_opt", st.astopt}, {"symtable", st.symtable},
            {"codegen", st.codegen - st.cfg - st.assemble}, {"cfg (flowgraph)", st.cfg},
            {"assemble", st.assemble}, {"refs+marshal", st.refs + st.marshal}};   /* one walk (refs_write) */
        for (size_t i = 0; i < CPYC_COUNTOF(rows); i++)
            printf("  %-16s %7.3f s  %5.1f%%  %7.1f MB/s\n", rows[i].name, rows[i].s,
                   secs > 0 ? 100 * rows[i].s / secs : 0.0, rows[i].s > 0 ? (double)bytes / 1e6 / rows[i].s : 0.0);
    }
    return 0;
}

int cli_compile(int argc, char **argv)
{
    heap_keep_freed_memory();
    CompileArgs ca = {.target = cpyc_target_by_name("3.13")};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) ca.mode = PYC_FLAG_HASH | PYC_FLAG_CHECK_SOURCE;   /* py_compile's default */
    bool do_bench = false, do_batch = false;
    int i = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--target") == 0 && val) {
            if (!(ca.target = cpyc_target_by_name(val))) {
                fprintf(stderr, "cpyc compile: unknown target %s\n", val);
                return 2;
            }
            i++;
        } else if (strcmp(a, "-O") == 0) {
            ca.optimize = 1;
        } else if (strcmp(a, "-OO") == 0) {
            ca.optimize = 2;
        } else if (strcmp(a, "--optimize") == 0 && val && strchr("012", val[0]) && !val[1]) {
            ca.optimize = val[0] - '0';
            i++;
        } else if (strcmp(a, "--filename") == 0 && val) {
            ca.filename = val;
            i++;
        } else if (strcmp(a, "-o") == 0 && val) {
            ca.out = val;
            i++;
        } else if (strcmp(a, "--invalidation-mode") == 0 && val) {
            if (strcmp(val, "timestamp") == 0) ca.mode = 0;
            else if (strcmp(val, "checked-hash") == 0) ca.mode = PYC_FLAG_HASH | PYC_FLAG_CHECK_SOURCE;
            else if (strcmp(val, "unchecked-hash") == 0) ca.mode = PYC_FLAG_HASH;
            else {
                fprintf(stderr, "cpyc compile: invalid invalidation mode '%s'\n", val);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--batch") == 0) {
            do_batch = true;
        } else if (strcmp(a, "--bench") == 0) {
            do_bench = true;
        } else if (strcmp(a, "--stages") == 0) {
            ca.stages = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(compile_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "cpyc compile: unknown option %s\n%s", a, compile_usage);
            return 2;
        }
    }
    if (!ca.target->compiles) {
        fprintf(stderr, "cpyc compile: no code generator for Python %s yet (cpyc compiles for:",
                ca.target->name);
        for (int k = 0; cpyc_targets[k]; k++)
            if (cpyc_targets[k]->compiles) fprintf(stderr, " %s", cpyc_targets[k]->name);
        fputs(")\n", stderr);
        return 2;
    }
    if (do_bench) return bench(&ca);
    if (do_batch) return batch(&ca);
    if (i == argc || (ca.out && argc - i != 1)) {
        fputs(ca.out ? "cpyc compile: -o takes exactly one SRC\n" : compile_usage, stderr);
        return 2;
    }
    int rc = 0;
    Arena arena;
    arena_init(&arena);
    for (unsigned n = 0; i < argc; i++, n++) rc |= compile_one(&ca, argv[i], &arena, n);
    arena_free(&arena);
    return rc;
}
