/* main.c - the cpyc command line: dispatches sub-commands; the only place that exits. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "front/tokenize.h"

static const char usage[] =
    "usage: cpyc COMMAND [ARGS]   (cpyc --version; cpyc COMMAND --help)\n"
    "\n"
    "commands:\n"
    "  inspect [--verify] [--quiet] [--jobs N] [--files-from LIST] PATH...\n"
    "        print the header and code-object tree of each .pyc (directories are searched\n"
    "        for *.pyc); --verify re-serializes each file in memory and reports every file\n"
    "        whose bytes differ; --quiet prints only problems and the summary;\n"
    "        --files-from reads more paths, one a line, from LIST (- for stdin);\n"
    "        --jobs N verifies on N threads\n"
    "  dis [--offsets] [--files-from LIST] FILE.pyc...\n"
    "        what dis.dis() of the pyc's own CPython prints for its code (code-object\n"
    "        addresses are numbered instead); several files get '==> FILE <==' headers;\n"
    "        --offsets: show_offsets=True (3.13 hides them by default)\n"
    "  cmp A.pyc B.pyc\n"
    "        exit 0 when identical, else 1 and where they first differ\n"
    "  hash [--target V] source FILE...   importlib.util.source_hash of each file (hex)\n"
    "  hash [--target V] str|bytes        hash() of each stdin line, given as hex bytes\n"
    "  targets                            the supported CPython versions\n"
    "  tokenize [-e] FILE                 the tokens of a source file, as python -m tokenize prints them\n"
    "  compile [--target V] [-O|-OO|--optimize N] [--filename NAME] [--invalidation-mode MODE]\n"
    "          [-o OUT] SRC...\n"
    "        compile each source to the pyc py_compile.compile writes (PEP 3147 path unless -o);\n"
    "        --bench < LIST measures the whole pipeline over the files listed\n"
    "  ast [--target V] [--error-tsv | --error-tsv-ends] [--quiet] FILE | ast --bench < LIST\n"
    "        print ast.dump(ast.parse(FILE), include_attributes=True, indent=1) as CPython does,\n"
    "        or CPython's report of the syntax error (--error-tsv: TYPE LINE OFFSET MESSAGE;\n"
    "        --error-tsv-ends: TYPE LINE OFFSET END_LINE END_OFFSET MESSAGE)\n"
    "  compileall [OPTIONS] [FILE|DIR ...]\n"
    "        python3.13 -m compileall: the same options, files, output and exit status\n"
    "        (compileall --help lists them; --target V, --python PATH are cpyc's own)\n"
    "  py_compile [-q] FILE... | py_compile -\n"
    "        python3.13 -m py_compile: each FILE to its pyc; '-' reads the names from stdin\n"
    "  symtable [--raw | --code] [--error-tsv] [FILE...]\n"
    "        what python -m symtable FILE prints (no FILE or -: stdin); --raw: every block's\n"
    "        flags, parameters, line; --code: what each code object takes from the table\n";

/* Paths to inspect, gathered first so that verification can run on several threads. */
typedef struct {
    char **paths;
    char **problems;        /* per path: NULL, or the line to print (on stdout or stderr) */
    bool *is_error;
    size_t n, cap;
    bool verify, quiet;
    long identical, differ, failed;
    _Atomic size_t next;    /* next path a worker takes */
} InspectRun;

static void add_path(InspectRun *run, const char *path)
{
    if (run->n == run->cap) {
        size_t cap = run->cap ? run->cap * 2 : 256;
        char **p = realloc(run->paths, cap * sizeof *p);
        if (!p) return;
        run->paths = p;
        run->cap = cap;
    }
    char *copy = strdup(path);
    if (copy) run->paths[run->n++] = copy;
}

static char *format_error(const cpyc_error *err)
{
    char line[1024];
    cpyc_error_format(err, line, sizeof line);
    return strdup(line);
}

/* Reads and checks path i; prints its tree when asked. Touches only slot i of the run. */
static void inspect_one(InspectRun *run, size_t i, FILE *out)
{
    const char *path = run->paths[i];
    cpyc_error err;
    error_clear(&err);
    err.file = path;
    uint8_t *data;
    size_t len;
    if (file_read_all(path, &data, &len, &err)) {
        run->is_error[i] = true;
        run->problems[i] = format_error(&err);
        return;
    }
    int same = 1;
    if (cpyc_inspect_pyc(data, len, path, out, run->verify, &same, &err)) {
        run->is_error[i] = true;
        run->problems[i] = format_error(&err);
    } else if (!same) {
        size_t n = strlen(path) + strlen(err.msg) + 3;
        if ((run->problems[i] = malloc(n))) snprintf(run->problems[i], n, "%s: %s", path, err.msg);
    }
    free(data);
}

static void *inspect_worker(void *arg)
{
    InspectRun *run = arg;
    for (size_t i; (i = atomic_fetch_add(&run->next, 1)) < run->n;) inspect_one(run, i, NULL);
    return NULL;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gathers the .pyc files below dir in sorted order, so output is stable. */
static void gather_dir(InspectRun *run, const char *dir, int depth)
{
    DIR *d = depth > 64 ? NULL : opendir(dir);
    if (!d) {
        fprintf(stderr, "cpyc: %s: cannot read directory: %s\n", dir, depth > 64 ? "too deep" : strerror(errno));
        run->failed++;
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) break;
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        size_t len = strlen(names[i]);
        if (lstat(names[i], &st) == 0) {
            if (S_ISDIR(st.st_mode)) gather_dir(run, names[i], depth + 1);
            else if (S_ISREG(st.st_mode) && len > 4 && strcmp(names[i] + len - 4, ".pyc") == 0)
                add_path(run, names[i]);
        }
        free(names[i]);
    }
    free(names);
}

static void gather(void *ctx, const char *path)
{
    InspectRun *run = ctx;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) gather_dir(run, path, 0);
    else add_path(run, path);
}

static int cmd_inspect(int argc, char **argv)
{
    InspectRun run = {0};
    int first = argc, jobs = 1;
    const char *list = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--files-from") == 0 && i + 1 < argc) list = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) jobs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--verify") == 0) run.verify = true;
        else if (strcmp(argv[i], "--quiet") == 0) run.quiet = true;
        else if (strcmp(argv[i], "--") == 0) { first = i + 1; break; }
        else if (argv[i][0] == '-') { fprintf(stderr, "cpyc inspect: unknown option %s\n", argv[i]); return 2; }
        else { first = i; break; }
    }
    if ((first >= argc && !list) || jobs < 1 || jobs > 256) { fputs(usage, stderr); return 2; }
    if (list && cli_each_listed_path(list, gather, &run)) return 2;
    for (int i = first; i < argc; i++) gather(&run, argv[i]);
    run.problems = calloc(run.n + 1, sizeof *run.problems);
    run.is_error = calloc(run.n + 1, sizeof *run.is_error);
    if (!run.problems || !run.is_error) { fputs("cpyc: out of memory\n", stderr); return 2; }

    /* Trees are printed in order by this thread; verification alone may use workers. */
    FILE *out = run.quiet || run.verify ? NULL : stdout;
    if (out || jobs == 1) {
        for (size_t i = 0; i < run.n; i++) inspect_one(&run, i, out);
    } else {
        pthread_t tid[256];
        int started = 0;
        while (started < jobs - 1 && pthread_create(&tid[started], NULL, inspect_worker, &run) == 0) started++;
        inspect_worker(&run);
        for (int k = 0; k < started; k++) pthread_join(tid[k], NULL);
    }
    for (size_t i = 0; i < run.n; i++) {
        if (!run.problems[i]) {
            run.identical += run.verify;
            free(run.paths[i]);
            continue;
        }
        if (run.is_error[i]) { run.failed++; fprintf(stderr, "cpyc: %s\n", run.problems[i]); }
        else { run.differ++; printf("%s\n", run.problems[i]); }
        free(run.problems[i]);
        free(run.paths[i]);
    }
    if (run.verify || run.n > 1)
        fprintf(stderr, "%zu files: %ld identical after re-serialization, %ld differ, %ld unreadable\n",
                run.n, run.identical, run.differ, run.failed);
    free(run.paths);
    free(run.problems);
    free(run.is_error);
    return run.failed || run.differ ? 1 : 0;
}

static int cmd_cmp(int argc, char **argv)
{
    if (argc != 2) { fputs(usage, stderr); return 2; }
    uint8_t *data[2] = {NULL, NULL};
    size_t len[2];
    Arena a;
    arena_init(&a);
    Pyc pyc[2];
    cpyc_error err;
    int rc = 0;
    for (int k = 0; k < 2 && rc == 0; k++) {
        error_clear(&err);
        err.file = argv[k];
        if (file_read_all(argv[k], &data[k], &len[k], &err) || pyc_read(data[k], len[k], &a, &pyc[k], &err)) {
            cli_report(&err);
            rc = 2;
        }
    }
    if (rc == 0 && (len[0] != len[1] || memcmp(data[0], data[1], len[0]) != 0)) {
        Buf b = {0};
        pyc_describe_difference(&b, &pyc[0], &pyc[1]);
        printf("%.*s\n", (int)b.len, (const char *)b.data);
        buf_free(&b);
        rc = 1;
    }
    arena_free(&a);
    free(data[0]);
    free(data[1]);
    return rc;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int cmd_hash(int argc, char **argv)
{
    const cpyc_target *t = &cpyc_target_3_13;
    int i = 0;
    if (i + 1 < argc && strcmp(argv[i], "--target") == 0) {
        if (!(t = cpyc_target_by_name(argv[i + 1]))) {
            fprintf(stderr, "cpyc hash: unknown target %s\n", argv[i + 1]);
            return 2;
        }
        i += 2;
    }
    if (i >= argc) { fputs(usage, stderr); return 2; }
    const char *what = argv[i++];
    if (strcmp(what, "source") == 0) {
        int rc = 0;
        for (; i < argc; i++) {
            cpyc_error err;
            error_clear(&err);
            err.file = argv[i];
            uint8_t *data, h[8];
            size_t len;
            if (file_read_all(argv[i], &data, &len, &err)) { cli_report(&err); rc = 1; continue; }
            cpyc_source_hash(t, data, len, h);
            for (int k = 0; k < 8; k++) printf("%02x", h[k]);
            printf("  %s\n", argv[i]);
            free(data);
        }
        return rc;
    }
    bool is_str = strcmp(what, "str") == 0;
    if (!is_str && strcmp(what, "bytes") != 0) { fputs(usage, stderr); return 2; }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        size_t len = 0;
        bool ok = n % 2 == 0;
        for (ssize_t k = 0; ok && k < n; k += 2) {
            int hi = hexval(line[k]), lo = hexval(line[k + 1]);
            if (hi < 0 || lo < 0) ok = false;
            else line[len++] = (char)(hi << 4 | lo);
        }
        int64_t h = 0;
        if (ok && is_str) ok = cpyc_hash_str_utf8(t, line, len, &h) == 0;
        else if (ok) h = cpyc_hash_bytes(t, line, len);
        if (ok) printf("%lld\n", (long long)h);
        else { printf("error\n"); rc = 1; }
    }
    free(line);
    return rc;
}

static int cmd_targets(void)
{
    for (int i = 0; cpyc_targets[i]; i++) {
        const cpyc_target *t = cpyc_targets[i];
        printf("%-5s magic %u  cache tag cpython-%d%d  read: yes  compile: %s\n", t->name, t->magic,
               t->major, t->minor, t->compiles ? "yes" : "no");
    }
    return 0;
}

/* `cpyc COMMAND --help`: the command's entry of the usage text. */
static bool command_help(const char *cmd)
{
    size_t n = strlen(cmd);
    bool found = false;
    for (const char *p = strstr(usage, "\n  "); p; p = strstr(p + 1, "\n  ")) {
        if (strncmp(p + 3, cmd, n) != 0 || (p[3 + n] != ' ' && p[3 + n] != '\n')) continue;
        const char *end = p + 1;   /* through the lines indented deeper */
        do end = strchr(end, '\n') + 1; while (end[0] == ' ' && end[1] == ' ' && end[2] == ' ');
        printf("%s cpyc %.*s", found ? "      " : "usage:", (int)(end - (p + 3)), p + 3);
        found = true;
    }
    return found;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fputs(usage, stderr); return 2; }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("cpyc %s (reads pycs of CPython 3.8-3.13, writes those of 3.13)\n", cpyc_version());
        return 0;
    }
    if (argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) &&
        strcmp(cmd, "compileall") != 0 && strcmp(cmd, "py_compile") != 0 && command_help(cmd))
        return 0;
    if (strcmp(cmd, "inspect") == 0) return cmd_inspect(argc - 2, argv + 2);
    if (strcmp(cmd, "dis") == 0) return cli_dis(argc - 2, argv + 2);
    if (strcmp(cmd, "cmp") == 0) return cmd_cmp(argc - 2, argv + 2);
    if (strcmp(cmd, "hash") == 0) return cmd_hash(argc - 2, argv + 2);
    if (strcmp(cmd, "targets") == 0) return cmd_targets();
    if (strcmp(cmd, "tokenize") == 0) return cmd_tokenize(argc - 2, argv + 2);
    if (strcmp(cmd, "ast") == 0) return cli_ast(argc - 2, argv + 2);
    if (strcmp(cmd, "compileall") == 0) return cli_compileall(argc - 2, argv + 2);
    if (strcmp(cmd, "py_compile") == 0) return cli_pycompile(argc - 2, argv + 2);
    if (strcmp(cmd, "unparse") == 0) return cli_unparse(argc - 2, argv + 2);
    if (strcmp(cmd, "compile") == 0) return cli_compile(argc - 2, argv + 2);
    if (strcmp(cmd, "asm-check") == 0) return cli_asm(argc - 2, argv + 2);   /* hidden: tests assemble.c */
    if (strcmp(cmd, "refs-check") == 0) return cli_refs(argc - 2, argv + 2);   /* hidden: tests */
    if (strcmp(cmd, "symtable") == 0) return cli_symtable(argc - 2, argv + 2);
    if (strcmp(cmd, "cfg-test") == 0) return cli_cfg(argc - 2, argv + 2);
    if (strcmp(cmd, "codegen") == 0) return cli_codegen(argc - 2, argv + 2);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    fprintf(stderr, "cpyc: unknown command '%s'\n%s", cmd, usage);
    return 2;
}
