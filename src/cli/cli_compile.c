/* cli_compile.c - `cpyc compile`: source files to pycs as py_compile.compile writes them
   (PEP 3147 path, header, atomic write), and the whole pipeline's benchmark. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "api/api.h"
#include "compile/compile.h"

static const char compile_usage[] =
    "usage: cpyc compile [--target V] [-O|-OO|--optimize N] [--filename NAME]\n"
    "                    [--invalidation-mode timestamp|checked-hash|unchecked-hash] [-o OUT] SRC...\n"
    "       cpyc compile [--target V] [--optimize N] --bench [--stages] < LIST\n";

/* importlib.util.cache_from_source(src, optimization=opt) for the target's cache tag. */
static char *cache_path(const char *src, const cpyc_target *t, int opt)
{
    const char *slash = strrchr(src, '/');
    size_t head = slash ? (size_t)(slash - src) + 1 : 0;
    const char *tail = src + head, *dot = strrchr(tail, '.');
    /* tail.rpartition('.'): base (or rest when base is empty), the separator, the tag */
    const char *stem = dot && dot > tail ? tail : (dot ? dot + 1 : tail);
    size_t stemlen = dot && dot > tail ? (size_t)(dot - tail) : strlen(stem);
    const char *sep = dot ? "." : "";
    char optpart[16] = "";
    if (opt) snprintf(optpart, sizeof optpart, ".opt-%d", opt);
    size_t need = head + stemlen + 48;
    char *p = malloc(need);
    if (!p) return NULL;
    snprintf(p, need, "%.*s__pycache__/%.*s%scpython-%d%d%s.pyc", (int)head, src, (int)stemlen,
             stem, sep, t->major, t->minor, optpart);
    return p;
}

/* os.makedirs(dirname(path), exist_ok=True). */
static int make_parents(const char *path)
{
    char *d = strdup(path);
    if (!d) return -1;
    for (char *p = d + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(d, 0777) != 0 && errno != EEXIST) { free(d); return -1; }
        *p = '/';
    }
    free(d);
    return 0;
}

/* importlib's _write_atomic: a temporary file beside the target, then rename. */
static int write_atomic(const char *path, const Buf *data, mode_t mode, cpyc_error *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) return error_at(err, CPYC_ERR_MEMORY, -1, "out of memory");
    snprintf(tmp, n, "%s.%ld", path, (long)getpid());
    int fd = open(tmp, O_EXCL | O_CREAT | O_WRONLY, mode & 0666);
    if (fd < 0) {
        error_at(err, CPYC_ERR_IO, -1, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    size_t off = 0;
    while (off < data->len) {
        ssize_t w = write(fd, data->data + off, data->len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    int rc = off == data->len && close(fd) == 0 ? 0 : -1;
    if (off != data->len) close(fd);
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc) {
        error_at(err, CPYC_ERR_IO, -1, "%s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

typedef struct {
    const cpyc_target *target;
    int optimize;
    const char *filename, *out;
    int mode;   /* 0 timestamp, else PYC_FLAG_HASH | (checked ? PYC_FLAG_CHECK_SOURCE : 0) */
    bool stages;   /* --bench --stages: CPU time per stage too (clock reads cost ~2%) */
} CompileArgs;

static int compile_one(const CompileArgs *ca, const char *src)
{
    cpyc_error err;
    error_clear(&err);
    err.file = src;
    uint8_t *data;
    size_t len;
    if (file_read_all(src, &data, &len, &err)) { cli_report(&err); return 1; }
    struct stat st;
    if (stat(src, &st) != 0) st.st_mtime = 0, st.st_size = (off_t)len, st.st_mode = 0666;
    char *cfile = ca->out ? strdup(ca->out) : cache_path(src, ca->target, ca->optimize);
    struct stat cst;
    if (cfile && lstat(cfile, &cst) == 0 && (S_ISLNK(cst.st_mode) || !S_ISREG(cst.st_mode))) {
        fprintf(stderr, "%s is a %s and will be changed into a regular file if import writes a "
                "byte-compiled file to it\n", cfile, S_ISLNK(cst.st_mode) ? "symlink" : "non-regular file");
        free(cfile);
        free(data);
        return 1;
    }
    CompileOptions opt = {.target = ca->target, .optimize = ca->optimize,
                          .filename = ca->filename ? ca->filename : src};
    PycHeader h = {.flags = (uint32_t)ca->mode, .mtime = (uint32_t)(int64_t)st.st_mtime,
                   .source_size = (uint32_t)st.st_size};
    Buf out = {0};
    int rc = 0;
    if (compile_to_pyc(data, len, &opt, &h, &out, &err)) {
        err.file = opt.filename;
        const char *type = err.exc_type[0] ? err.exc_type : "SyntaxError";
        if (err.status == CPYC_ERR_SYNTAX && cli_is_syntax_error_type(type))
            cli_print_syntax_error(stderr, &err, data, len);
        else if (err.exc_type[0] && err.status == CPYC_ERR_FORMAT)   /* marshal's ValueError */
            fprintf(stderr, "%s: %s\n", type, err.msg);
        else if (err.exc_type[0])   /* what py_compile says of other compile errors */
            fprintf(stderr, "Sorry: %s: %s\n", type, err.msg);
        else cli_report(&err);
        rc = 1;
    } else if (!cfile || make_parents(cfile) || write_atomic(cfile, &out, st.st_mode | 0200, &err)) {
        if (!cfile) error_at(&err, CPYC_ERR_MEMORY, -1, "out of memory");
        else if (err.status == CPYC_OK) error_at(&err, CPYC_ERR_IO, -1, "%s: %s", cfile, strerror(errno));
        err.file = src;
        cli_report(&err);
        rc = 1;
    }
    buf_free(&out);
    free(cfile);
    free(data);
    return rc;
}

/* --batch: "SRC<TAB>OUT" lines on stdin, each compiled as compile_one would with -o OUT;
   prints "ok" or "error TYPE: MESSAGE" a line (the conformance harness's interface). */
static int batch(const CompileArgs *ca)
{
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        cpyc_error err;
        error_clear(&err);
        uint8_t *data;
        size_t len;
        struct stat st;
        if (file_read_all(line, &data, &len, &err) || stat(line, &st) != 0) {
            printf("error OSError: %s\n", err.msg);
            fflush(stdout);
            continue;
        }
        CompileOptions opt = {.target = ca->target, .optimize = ca->optimize, .filename = line};
        PycHeader h = {.flags = (uint32_t)ca->mode, .mtime = (uint32_t)(int64_t)st.st_mtime,
                       .source_size = (uint32_t)st.st_size};
        Buf out = {0};
        if (compile_to_pyc(data, len, &opt, &h, &out, &err))
            printf("error %s: %s\n", err.exc_type[0] ? err.exc_type : "cpyc", err.msg);
        else if (make_parents(tab + 1) || write_atomic(tab + 1, &out, 0644, &err))
            printf("error OSError: %s\n", err.msg);
        else
            puts("ok");
        fflush(stdout);
        buf_free(&out);
        free(data);
    }
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
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        cpyc_error err;
        error_clear(&err);
        uint8_t *data;
        size_t len;
        if (file_read_all(line, &data, &len, &err)) { failed++; continue; }
        CompileOptions opt = {.target = ca->target, .optimize = ca->optimize, .filename = line,
                              .stats = ca->stages ? &st : NULL};
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
    printf("%zu files, %.1f MB of source in %.3f s of CPU: %.1f MB/s (source bytes to pyc bytes; "
           "%.1f MB of pyc; %zu failed)\n", files, (double)bytes / 1e6, secs,
           secs > 0 ? (double)bytes / 1e6 / secs : 0.0, (double)outbytes / 1e6, failed);
    if (ca->stages) {
        /* codegen's lap holds the units' cfg and assemble times: report them apart */
        const struct { const char *name; double s; } rows[] = {
            {"decode+parse", st.parse}, {"future+ast_opt", st.astopt}, {"symtable", st.symtable},
            {"codegen", st.codegen - st.cfg - st.assemble}, {"cfg (flowgraph)", st.cfg},
            {"assemble", st.assemble}, {"refs", st.refs}, {"marshal", st.marshal}};
        for (size_t i = 0; i < CPYC_COUNTOF(rows); i++)
            printf("  %-16s %7.3f s  %5.1f%%  %7.1f MB/s\n", rows[i].name, rows[i].s,
                   secs > 0 ? 100 * rows[i].s / secs : 0.0, rows[i].s > 0 ? (double)bytes / 1e6 / rows[i].s : 0.0);
    }
    return 0;
}

/* Each compilation's arena grows the heap and frees it all at the end; glibc's default
   would hand those pages back to the kernel every time (and mmap big buffers afresh), so
   the next file page-faults them in again: ~10% of a stdlib run. Keep them instead. */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
#endif
}

int cli_compile(int argc, char **argv)
{
    keep_freed_memory();
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
    for (; i < argc; i++) rc |= compile_one(&ca, argv[i]);
    return rc;
}
