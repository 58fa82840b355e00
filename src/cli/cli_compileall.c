/* cli_compileall.c - `cpyc compileall`: python3.13 -m compileall's options, directory walk,
   up-to-date test, per-file steps, output lines and exit status, with -j N worker threads that
   share nothing mutable but the job queue (output is printed in the walk's order). */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "cli.h"
#include "api/api.h"

extern char **environ;

enum { O_HELP, O_L, O_R, O_F, O_Q, O_B, O_D, O_S, O_P, O_X, O_I, O_J, O_INVAL, O_O, O_E, O_HARD, O__N };
static const char *const inval_choices[] = {"checked-hash", "timestamp", "unchecked-hash", NULL};
static const ArgSpec specs[O__N] = {
    [O_HELP] = {"-h", "--help", ARG_HELP, 0, NULL},
    [O_L] = {"-l", NULL, ARG_FLAG, 0, NULL},
    [O_R] = {"-r", NULL, ARG_VALUE, ARGT_INT, NULL},
    [O_F] = {"-f", NULL, ARG_FLAG, 0, NULL},
    [O_Q] = {"-q", NULL, ARG_COUNT, 0, NULL},
    [O_B] = {"-b", NULL, ARG_FLAG, 0, NULL},
    [O_D] = {"-d", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_S] = {"-s", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_P] = {"-p", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_X] = {"-x", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_I] = {"-i", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_J] = {"-j", "--workers", ARG_VALUE, ARGT_INT, NULL},
    [O_INVAL] = {NULL, "--invalidation-mode", ARG_VALUE, ARGT_STR, inval_choices},
    [O_O] = {"-o", NULL, ARG_APPEND, ARGT_INT, NULL},
    [O_E] = {"-e", NULL, ARG_VALUE, ARGT_STR, NULL},
    [O_HARD] = {NULL, "--hardlink-dupes", ARG_FLAG, 0, NULL},
};

/* What every file of a run is compiled with (read-only once the run starts). */
typedef struct Options {
    const cpyc_target *target;
    bool force, legacy, hardlink;
    int quiet;
    int invalidation;           /* INVAL_*, or 0: by SOURCE_DATE_EPOCH */
    long *levels;               /* sorted, unique */
    int nlevels;
    const char *limit_sl_dest;  /* -e, resolved; NULL when not given */
    Regex *rx;
    long workers;
    int interp_opt;             /* the interpreter's -O level (cpyc's -O, -OO, PYTHONOPTIMIZE):
                                   what level -1 means */
    const char *pycache_prefix; /* sys.pycache_prefix (PYTHONPYCACHEPREFIX), or NULL */
    long pid;                   /* for the temporary files' names */
    uint64_t *stats;            /* CPYC_STATS set: files, then read/compile/write ns, summed by
                                   the printing thread; NULL otherwise */
    bool progress;              /* a progress line on stderr (a terminal, not -q) */
    Reaper *reaper;             /* closes the pycs the run replaces (reaper.c) */
    WarnFilters *wfilters;      /* PYTHONWARNINGS */
} Options;

/* compile_file's naming arguments, per destination given on the command line. */
typedef struct Naming { const char *ddir, *stripdir, *prependdir; } Naming;

/* What the walk learned of a file, so that compile_file need not ask again. */
typedef struct Known {
    bool reg_entry;             /* readdir's d_type says a regular file (so not a symlink) */
    bool stated;                /* the walk stat()ed it: regular and mtime hold */
    bool regular;               /* os.path.isfile */
    int64_t mtime;              /* pycache_mtime */
} Known;

/* One item of a walk: a line the walk prints, or a file to compile (its output kept). */
typedef struct Item {
    char *path;                 /* the file (NULL: text is a walk line) */
    Buf out;
    bool failed;
    _Atomic int done;
    uint64_t ns[3];             /* CPYC_STATS: time spent reading, compiling, writing */
    Known known;
} Item;

typedef struct Walk {
    Item *items;
    size_t n, cap;
} Walk;

/* The shared state of a parallel compile: the queue index is the only thing workers write
   besides their own items. */
typedef struct Pool {
    const Options *o;
    const Naming *nm;
    Walk *w;
    _Atomic size_t next;
    size_t awaited;             /* the item the printing thread waits for (under lock) */
    _Atomic unsigned tmp_id;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} Pool;

static Item *walk_add(Walk *w)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        Item *ni = realloc(w->items, cap * sizeof *ni);
        if (!ni) return NULL;
        w->items = ni;
        w->cap = cap;
    }
    Item *it = &w->items[w->n++];
    memset(it, 0, sizeof *it);
    return it;
}

static void walk_line(Walk *w, const char *fmt, const char *path)
{
    Item *it = walk_add(w);
    if (!it) return;
    const char *pct = strstr(fmt, "%r");
    buf_put(&it->out, fmt, (size_t)(pct - fmt));
    fsname_repr(&it->out, path);
    buf_printf(&it->out, "%s\n", pct + 2);
    atomic_store(&it->done, 1);
}

/* os.path.join(a, b) */
static char *path_join(const char *a, const char *b)
{
    Buf r = {0};
    if (b[0] == '/' || !a[0]) buf_printf(&r, "%s", b);
    else buf_printf(&r, "%s%s%s", a, a[strlen(a) - 1] == '/' ? "" : "/", b);
    buf_byte(&r, 0);
    return (char *)r.data;
}

/* The order of Python's sorted() over names as str (surrogateescape code points). */
static int name_cmp(const void *pa, const void *pb)
{
    const uint8_t *a = *(const uint8_t *const *)pa, *b = *(const uint8_t *const *)pb;
    size_t la = strlen((const char *)a), lb = strlen((const char *)b);
    for (size_t i = 0, j = 0;;) {
        if (i == la || j == lb) return (i < la) - (j < lb);
        uint32_t ca = 0, cb = 0;
        size_t na = a[i] < 0x80 ? (ca = a[i], 1) : utf8_decode(a + i, la - i, &ca);
        size_t nb = b[j] < 0x80 ? (cb = b[j], 1) : utf8_decode(b + j, lb - j, &cb);
        if (!na || (ca >= 0xd800 && ca <= 0xdfff)) { ca = 0xdc00 + a[i]; na = 1; }
        if (!nb || (cb >= 0xd800 && cb <= 0xdfff)) { cb = 0xdc00 + b[j]; nb = 1; }
        if (ca != cb) return ca < cb ? -1 : 1;
        i += na;
        j += nb;
    }
}

/* compileall._walk_dir: every non-directory below dir, in sorted order. */
static void walk_dir(Walk *w, const char *dir, long maxlevels, int quiet)
{
    if (!quiet) walk_line(w, "Listing %r...", dir);
    DIR *d = opendir(dir);
    if (!d) {
        if (quiet < 2) walk_line(w, "Can't list %r", dir);
        return;
    }
    /* names with readdir's d_type: a regular file or a directory needs no stat */
    typedef struct Entry { char *name; unsigned char type; } Entry;   /* name first: name_cmp */
    Entry *ents = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            Entry *ne = realloc(ents, cap * sizeof *ne);
            if (!ne) break;
            ents = ne;
        }
        if ((ents[n].name = strdup(e->d_name))) ents[n++].type = e->d_type;
    }
    closedir(d);
    if (n) qsort(ents, n, sizeof *ents, name_cmp);
    for (size_t i = 0; i < n; i++) {
        char *full = strcmp(ents[i].name, "__pycache__") != 0 ? path_join(dir, ents[i].name) : NULL;
        struct stat st;
        bool have;
        if (!full) {
        } else if (ents[i].type == DT_REG) {
            Item *it = walk_add(w);
            if (it) { it->path = full; full = NULL; it->known.reg_entry = true; }
        } else if (ents[i].type == DT_DIR) {   /* os.path.isdir, and not a symlink */
            if (maxlevels > 0) walk_dir(w, full, maxlevels - 1, quiet);
        } else if ((have = stat(full, &st) == 0) == false || !S_ISDIR(st.st_mode)) {   /* not isdir */
            Item *it = walk_add(w);
            if (it) {
                it->path = full;
                full = NULL;
                /* a failed stat is not known: compile_file asks again, as compileall does */
                if (have) it->known = (Known){.stated = true, .regular = S_ISREG(st.st_mode), .mtime = pycache_mtime(&st)};
            }
        } else if (maxlevels > 0 && lstat(full, &st) == 0 && !S_ISLNK(st.st_mode)) {
            walk_dir(w, full, maxlevels - 1, quiet);
        }
        free(full);
        free(ents[i].name);
    }
    free(ents);
}

/* pathlib's resolve() (not strict): symlinks resolved as far as the path exists. */
static char *resolve(const char *path)
{
    char *r = realpath(path, NULL);
    if (r) return r;
    Buf abs = {0};
    if (path[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) buf_printf(&abs, "%s/", cwd);
    }
    buf_printf(&abs, "%s", path);
    buf_byte(&abs, 0);
    if (abs.failed) return NULL;
    char *s = (char *)abs.data;
    /* the longest existing prefix, resolved, then the rest normalized */
    for (char *slash = strrchr(s, '/'); slash && slash > s; slash = strrchr(s, '/')) {
        *slash = 0;
        char *head = realpath(s, NULL);
        if (head) {
            Buf out = {0};
            buf_printf(&out, "%s", strcmp(head, "/") == 0 ? "" : head);
            for (char *part = strtok(slash + 1, "/"); part; part = strtok(NULL, "/")) {
                if (strcmp(part, ".") == 0) continue;
                if (strcmp(part, "..") == 0) {
                    while (out.len && out.data[out.len - 1] != '/') out.len--;
                    if (out.len) out.len--;
                    continue;
                }
                buf_printf(&out, "/%s", part);
            }
            if (!out.len) buf_byte(&out, '/');
            buf_byte(&out, 0);
            free(head);
            buf_free(&abs);
            return (char *)out.data;
        }
    }
    return s;
}

static void report_exception(Buf *out, const Options *o, const char *fullname, const char *cls,
                             const Buf *msg)
{
    if (o->quiet) {
        buf_printf(out, "*** Error compiling ");
        fsname_repr(out, fullname);
        buf_printf(out, "...\n");
    } else {
        buf_printf(out, "*** ");
    }
    if (cls) buf_printf(out, "%s: ", cls);
    text_backslashreplace(out, msg->data ? msg->data : (const uint8_t *)"", msg->len);
    buf_byte(out, '\n');
}

/* Are two files' contents the same (filecmp.cmp, shallow=False)? -1 with errno on error. */
static int same_contents(const char *a, const char *b)
{
    uint8_t *da, *db;
    size_t la, lb;
    cpyc_error err;
    error_clear(&err);
    if (file_read_all(a, &da, &la, &err)) return -1;
    if (file_read_all(b, &db, &lb, &err)) { free(da); return -1; }
    int same = la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

/* compileall.compile_file; appends what it prints to out; false when something failed. */
static bool compile_file(const char *fullname, const Known *known, const Naming *nm,
                         const Options *o, Buf *out, _Atomic unsigned *tmp_id, uint64_t ns[3],
                         Arena *arena)
{
    const char *slash = strrchr(fullname, '/'), *name = slash ? slash + 1 : fullname;
    char *dfile = nm->ddir ? path_join(nm->ddir, name) : NULL;
    if (nm->stripdir) {
        /* the path's '/'-separated parts must start with stripdir's */
        size_t sl = strlen(nm->stripdir), fl = strlen(fullname);
        bool prefix = fl >= sl && memcmp(fullname, nm->stripdir, sl) == 0 && (fl == sl || fullname[sl] == '/');
        if (!prefix) {
            if (o->quiet < 2) {
                buf_printf(out, "The stripdir path ");
                fsname_repr(out, nm->stripdir);
                buf_printf(out, " is not a valid prefix for source path ");
                fsname_repr(out, fullname);
                buf_printf(out, "; ignoring\n");
            }
        } else {
            /* os.path.join(*rest) */
            const char *rest = fullname + sl + (fl > sl);
            Buf j = {0};
            for (const char *p = rest;;) {
                const char *e = strchr(p, '/');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                if (j.len == 0 || (len && p[0] == '/')) j.len = 0;
                else if (j.data[j.len - 1] != '/') buf_byte(&j, '/');
                buf_put(&j, p, len);
                if (!e) break;
                p = e + 1;
            }
            buf_byte(&j, 0);
            free(dfile);
            dfile = (char *)j.data;
        }
    }
    if (nm->prependdir) {
        char *d = path_join(nm->prependdir, dfile ? dfile : fullname);
        free(dfile);
        dfile = d;
    }
    bool ok = true;
    struct stat st;
    if (o->rx && regex_search(o->rx, fullname)) goto done;
    if (o->limit_sl_dest && !known->reg_entry && lstat(fullname, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *r = resolve(fullname);
        size_t ll = strlen(o->limit_sl_dest);
        bool inside = r && (strcmp(o->limit_sl_dest, "/") == 0
                                ? strcmp(r, "/") != 0
                                : strncmp(r, o->limit_sl_dest, ll) == 0 && r[ll] == '/');
        free(r);
        if (!inside) goto done;
    }
    /* the name first: compileall's isfile test before it has no effect a name not ending
       in .py would show, and the stat is saved; a regular entry needs no stat unless -f is
       not given (the mtime) */
    size_t nl = strlen(name);
    if (nl < 3 || strcmp(name + nl - 3, ".py") != 0) goto done;
    Known kn = *known;
    if (!kn.stated && !(kn.reg_entry && o->force)) {
        if (stat(fullname, &st) != 0) goto done;
        kn = (Known){.stated = true, .regular = S_ISREG(st.st_mode), .mtime = pycache_mtime(&st)};
    }
    if (kn.stated && !kn.regular) goto done;

    Buf cfiles[8] = {{0}};
    int nc = o->nlevels;
    for (int k = 0; k < nc; k++)
        pycache_from_source(&cfiles[k], fullname, o->target, o->levels[k] < 0 ? o->interp_opt : (int)o->levels[k],
                            o->legacy, o->pycache_prefix);
    if (!o->force) {
        bool fresh = true;
        for (int k = 0; k < nc && fresh; k++) fresh = pycache_up_to_date((char *)cfiles[k].data, o->target, kn.mtime);
        if (fresh) goto free_cfiles;
    }
    if (!o->quiet) {
        buf_printf(out, "Compiling ");
        fsname_repr(out, fullname);
        buf_printf(out, "...\n");
    }
    int inval = o->invalidation;
    if (!inval) {
        const char *sde = getenv("SOURCE_DATE_EPOCH");
        inval = sde && *sde ? INVAL_CHECKED_HASH : INVAL_TIMESTAMP;
    }
    Warnings warns = {0};
    for (int k = 0; k < nc; k++) {
        PyCompileJob job = {.file = fullname, .cfile = (char *)cfiles[k].data, .dfile = dfile,
                            .target = o->target, .optimize = o->levels[k] < 0 ? -1 : (int)o->levels[k], .interp_opt = o->interp_opt, .invalidation = inval,
                            .tmp_id = atomic_fetch_add(tmp_id, 1), .pid = o->pid,
                            .ns = o->stats ? ns : NULL, .arena = arena, .reaper = o->reaper,
                            .warnings = &warns};
        PyCompileResult r;
        int rc = pycompile_file(&job, &r);
        /* each level is a compilation of its own, with its own warnings (on stderr, as the
           warnings module shows them) */
        warnings_print(stderr, &warns, dfile ? dfile : fullname, o->wfilters);
        warnings_clear(&warns);
        if (rc == 0 && k > 0 && o->hardlink) {
            const char *prev = (char *)cfiles[k - 1].data;
            int same = same_contents(job.cfile, prev);
            if (same < 0 || (same && (unlink(job.cfile) || link(prev, job.cfile)))) {
                int e = errno;
                r.status = PYCOMPILE_OS_ERROR;
                r.exc_class = oserror_class(e);
                if (same < 0) oserror_text(&r.msg, e, job.cfile, NULL);
                else oserror_text(&r.msg, e, prev, job.cfile);
                rc = -1;
            }
        }
        if (rc) {
            ok = false;
            if (o->quiet < 2) report_exception(out, o, fullname, r.status == PYCOMPILE_OS_ERROR ? r.exc_class : NULL, &r.msg);
            buf_free(&r.msg);
            break;
        }
        buf_free(&r.msg);
    }
    warnings_free(&warns);
free_cfiles:
    for (int k = 0; k < nc; k++) buf_free(&cfiles[k]);
done:
    free(dfile);
    return ok;
}

static void flush_item(Item *it, const Options *o)
{
    if (o->stats && it->path) {
        o->stats[0]++;
        for (int k = 0; k < 3; k++) o->stats[1 + k] += it->ns[k];
    }
    if (it->out.len) fwrite(it->out.data, 1, it->out.len, stdout);
    buf_free(&it->out);
    free(it->path);
    it->path = NULL;
}

static void progress(const Options *o, size_t done, size_t total, const struct timespec *t0, struct timespec *last)
{
    if (!o->progress) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since = (double)(now.tv_sec - last->tv_sec) + (double)(now.tv_nsec - last->tv_nsec) * 1e-9;
    if (since < 0.25 && done < total) return;
    double el = (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
    if (el < 1.0 && done < total) return;
    *last = now;
    fflush(stdout);
    fprintf(stderr, "\rcpyc compileall: %zu of %zu files, %.0f files/s\033[K", done, total, el > 0 ? (double)done / el : 0.0);
    if (done == total) fputs("\r\033[K", stderr);
}

static void *worker(void *arg)
{
    Pool *pl = arg;
    Arena arena;   /* this worker's, reused across its files */
    arena_init(&arena);
    for (size_t i; (i = atomic_fetch_add(&pl->next, 1)) < pl->w->n;) {
        Item *it = &pl->w->items[i];
        if (!it->path) continue;
        it->failed = !compile_file(it->path, &it->known, pl->nm, pl->o, &it->out,
                                   &pl->tmp_id, it->ns, &arena);
        pthread_mutex_lock(&pl->lock);
        atomic_store(&it->done, 1);
        if (pl->awaited == i) pthread_cond_signal(&pl->cond);   /* only the one it waits for */
        pthread_mutex_unlock(&pl->lock);
    }
    arena_free(&arena);
    return NULL;
}

/* Compiles the walk's files, printing in the walk's order; with workers the walk's own lines
   come first, as CPython's do (its pool reads the whole walk before compiling). */
static bool run_walk(Walk *w, const Naming *nm, const Options *o, long workers, _Atomic unsigned *tmp_id)
{
    bool ok = true;
    size_t total = 0, done = 0;
    for (size_t i = 0; i < w->n; i++) total += w->items[i].path != NULL;
    struct timespec t0, last = {0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (workers == 1 || total < 2) {
        Arena arena;
        arena_init(&arena);
        for (size_t i = 0; i < w->n; i++) {
            Item *it = &w->items[i];
            if (it->path) {
                ok &= compile_file(it->path, &it->known, nm, o, &it->out, tmp_id, it->ns, &arena);
                progress(o, ++done, total, &t0, &last);
            }
            flush_item(it, o);
        }
        arena_free(&arena);
        return ok;
    }
    for (size_t i = 0; i < w->n; i++)
        if (!w->items[i].path) flush_item(&w->items[i], o);
    Pool pl = {.o = o, .nm = nm, .w = w};
    atomic_store(&pl.tmp_id, atomic_load(tmp_id));
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.cond, NULL);
    if (workers > (long)total) workers = (long)total;
    if (workers > 256) workers = 256;
    pthread_t tid[256];
    int started = 0;
    while (started < workers && pthread_create(&tid[started], NULL, worker, &pl) == 0) started++;
    if (!started) worker(&pl);
    for (size_t i = 0; i < w->n; i++) {
        Item *it = &w->items[i];
        if (!it->path) continue;
        if (!atomic_load(&it->done)) {
            pthread_mutex_lock(&pl.lock);
            pl.awaited = i;
            while (!atomic_load(&it->done)) pthread_cond_wait(&pl.cond, &pl.lock);
            pthread_mutex_unlock(&pl.lock);
        }
        ok &= !it->failed;
        flush_item(it, o);
        progress(o, ++done, total, &t0, &last);
    }
    for (int k = 0; k < started; k++) pthread_join(tid[k], NULL);
    pthread_mutex_destroy(&pl.lock);
    pthread_cond_destroy(&pl.cond);
    atomic_store(tmp_id, atomic_load(&pl.tmp_id));
    return ok;
}

static void walk_free(Walk *w)
{
    for (size_t i = 0; i < w->n; i++) { buf_free(&w->items[i].out); free(w->items[i].path); }
    free(w->items);
    w->items = NULL;
    w->n = w->cap = 0;
}

/* compileall.compile_dir */
static bool compile_dir(const char *dir, long maxlevels, const Naming *given, const Options *o,
                        long workers, _Atomic unsigned *tmp_id)
{
    Naming nm = *given;
    if (nm.ddir) { nm.stripdir = dir; nm.prependdir = nm.ddir; nm.ddir = NULL; }
    Walk w = {0};
    walk_dir(&w, dir, maxlevels, o->quiet);
    bool ok = run_walk(&w, &nm, o, workers, tmp_id);
    walk_free(&w);
    return ok;
}

/* sys.path of the target interpreter as `python -m compileall` sees it (cwd first). */
static char **interpreter_path(const char *python, int *n)
{
    static const char script[] =
        "import os, sys\n"
        "p = list(sys.path)\n"
        "if p and p[0] == '' and not sys.flags.safe_path: p[0] = os.getcwd()\n"
        "sys.stdout.buffer.write(b''.join(os.fsencode(x) + b'\\0' for x in p))\n";
    int fds[2];
    if (pipe(fds)) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    char *argv[] = {(char *)python, "-c", (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, python, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc) { close(fds[0]); return NULL; }
    Buf b = {0};
    for (;;) {
        buf_reserve(&b, 4096);
        if (b.failed) break;
        ssize_t r = read(fds[0], b.data + b.len, b.cap - b.len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        b.len += (size_t)r;
    }
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || b.failed) { buf_free(&b); return NULL; }
    int count = 0;
    for (size_t i = 0; i < b.len; i++) count += b.data[i] == 0;
    char **paths = calloc((size_t)count + 1, sizeof *paths);
    size_t start = 0;
    for (int k = 0; paths && k < count; k++) {
        paths[k] = strdup((char *)b.data + start);
        start += strlen((char *)b.data + start) + 1;
    }
    buf_free(&b);
    *n = count;
    return paths;
}

static int usage_error(const char *msg)
{
    fputs(cli_compileall_usage, stderr);
    fprintf(stderr, "cpyc compileall: error: %s\n", msg);
    return 2;
}

static int long_cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static const char cpyc_options_help[] =
    "\ncpyc options (before or among the others):\n"
    "  --target VERSION      the CPython version to write pycs for (default 3.13)\n"
    "  --python PATH         the interpreter whose sys.path is compiled when no\n"
    "                        FILE|DIR is given (default: python3.13 on PATH)\n"
    "  -O, -OO               as python3.13 -O / -OO -m compileall: what -o -1, the\n"
    "                        default, means\n";

int cli_compileall(int argc, char **argv)
{
    /* cpyc's own options first; the rest is argparse's */
    const char *target_name = "3.13", *python = NULL;
    int interp_opt = 0;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0;
    if (!rest) return 2;
    WarnFilters wfilters;
    cli_env_warnings(&wfilters);   /* (the interpreter reads them before compileall starts) */
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) { while (i < argc) rest[nrest++] = argv[i++]; break; }
        if ((strcmp(argv[i], "--target") == 0 || strcmp(argv[i], "--python") == 0) && i + 1 < argc) {
            if (argv[i][2] == 't') target_name = argv[i + 1];
            else python = argv[i + 1];
            i++;
        } else if (strncmp(argv[i], "--target=", 9) == 0) {
            target_name = argv[i] + 9;
        } else if (strncmp(argv[i], "--python=", 9) == 0) {
            python = argv[i] + 9;
        } else if (strcmp(argv[i], "-O") == 0 || strcmp(argv[i], "-OO") == 0) {
            interp_opt = (int)strlen(argv[i]) - 1;   /* python -O / -OO -m compileall */
        } else {
            rest[nrest++] = argv[i];
        }
    }
    ArgValue vals[O__N] = {{0}};
    ArgParse ap = {.specs = specs, .values = vals, .nspecs = O__N, .positional_name = "FILE|DIR"};
    int prc = args_parse(&ap, nrest, rest);
    int status = 0;
    Options o = {0};
    if (prc == 1) {
        fputs(cli_compileall_help, stdout);
        fputs(cpyc_options_help, stdout);
        goto out;
    }
    if (prc < 0) { status = usage_error(ap.error); goto out; }
    o.target = cpyc_target_by_name(target_name);
    if (!o.target || (o.target != &cpyc_target_3_13 && !o.target->compiles)) {
        fprintf(stderr, "cpyc compileall: %s %s: cpyc has no back end for it yet (only 3.13)\n",
                o.target ? "target" : "unknown target", target_name);
        status = 2;
        goto out;
    }
    if (vals[O_X].count) {
        char err[256];
        if (!(o.rx = regex_compile(vals[O_X].str, err, sizeof err))) {
            fprintf(stderr, "cpyc compileall: -x %s: %s\n", vals[O_X].str, err);
            status = strstr(err, "not supported") ? 2 : 1;   /* else re.error, as Python's traceback */
            goto out;
        }
    }
    o.interp_opt = cli_env_optimize(interp_opt);
    o.pycache_prefix = cli_env_pycache_prefix();
    o.wfilters = &wfilters;
    o.pid = (long)getpid();
    o.force = vals[O_F].count > 0;
    o.legacy = vals[O_B].count > 0;
    o.hardlink = vals[O_HARD].count > 0;
    o.quiet = vals[O_Q].count;
    long maxlevels = vals[O_R].count ? vals[O_R].ival : vals[O_L].count ? 0 : 1000;  /* recursion limit */
    long deflevel = -1;
    long *levels = vals[O_O].count ? vals[O_O].ilist : &deflevel;
    int nlevels = vals[O_O].count ? vals[O_O].count : 1;
    if (nlevels == 1 && o.hardlink) {
        status = usage_error("Hardlinking of duplicated bytecode makes sense only for more than one "
                             "optimization level.");
        goto out;
    }
    if (vals[O_D].count && (vals[O_S].count || vals[O_P].count)) {
        status = usage_error("-d cannot be used in combination with -s or -p");
        goto out;
    }
    /* sorted(set(levels)) */
    long uniq[8];
    qsort(levels, (size_t)nlevels, sizeof *levels, long_cmp);
    for (int k = 0; k < nlevels; k++)
        if ((o.nlevels == 0 || uniq[o.nlevels - 1] != levels[k]) && o.nlevels < 8) uniq[o.nlevels++] = levels[k];
    o.levels = uniq;
    if (vals[O_E].count && vals[O_E].str[0]) o.limit_sl_dest = resolve(vals[O_E].str);
    o.workers = vals[O_J].count ? vals[O_J].ival : 1;
    if (vals[O_INVAL].count)
        o.invalidation = strcmp(vals[O_INVAL].str, "timestamp") == 0 ? INVAL_TIMESTAMP
                         : strcmp(vals[O_INVAL].str, "checked-hash") == 0 ? INVAL_CHECKED_HASH
                                                                          : INVAL_UNCHECKED_HASH;
    o.progress = o.quiet == 0 && isatty(2);
    heap_keep_freed_memory();
    o.reaper = reaper_new(4);   /* NULL (no memory): pycs are closed where they are replaced */
    uint64_t stats[4] = {0};
    if (getenv("CPYC_STATS")) o.stats = stats;

    /* -i: more names, one a line, stripped */
    char **listed = NULL;
    size_t nlisted = 0;
    if (vals[O_I].count && vals[O_I].str[0]) {
        FILE *f = strcmp(vals[O_I].str, "-") == 0 ? stdin : fopen(vals[O_I].str, "r");
        if (!f) {
            if (o.quiet < 2) printf("Error reading file list %s\n", vals[O_I].str);
            status = 1;
            goto out;
        }
        size_t nl = 0;
        char **lines = cli_read_lines(f, f != stdin, &nl);
        listed = calloc(nl + 1, sizeof *listed);
        for (size_t k = 0; lines && listed && k < nl; k++) {   /* line.strip() */
            char *s = lines[k], *e = s + strlen(s);
            while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r') || (*s >= 0x1c && *s <= 0x1f))) s++;
            while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r') || (e[-1] >= 0x1c && e[-1] <= 0x1f))) e--;
            listed[nlisted++] = strndup(s, (size_t)(e - s));
        }
        for (size_t k = 0; lines && k < nl; k++) free(lines[k]);
        free(lines);
        if (f != stdin) fclose(f);
    }
    if (o.workers < 0) {
        fputs("Traceback (most recent call last):\n  ...\nValueError: workers must be greater or equal to 0\n", stderr);
        status = 1;
        goto free_listed;
    }
    long workers = o.workers == 0 ? sysconf(_SC_NPROCESSORS_ONLN) : o.workers;
    if (workers < 1) workers = 1;
    _Atomic unsigned tmp_id = 0;
    bool ok = true;
    Naming nm = {vals[O_D].count ? vals[O_D].str : NULL, vals[O_S].count ? vals[O_S].str : NULL,
                 vals[O_P].count ? vals[O_P].str : NULL};
    size_t ndest = (size_t)ap.npositional + nlisted;
    if (ndest) {
        for (size_t k = 0; k < ndest; k++) {
            const char *dest = k < (size_t)ap.npositional ? ap.positional[k] : listed[k - (size_t)ap.npositional];
            struct stat st;
            if (stat(dest, &st) == 0 && S_ISREG(st.st_mode)) {
                Walk w = {0};
                Item *it = walk_add(&w);
                if (it) {
                    it->path = strdup(dest);
                    it->known = (Known){.stated = true, .regular = true, .mtime = pycache_mtime(&st)};
                }
                ok &= run_walk(&w, &nm, &o, 1, &tmp_id);
                walk_free(&w);
            } else {
                ok &= compile_dir(dest, maxlevels, &nm, &o, workers, &tmp_id);
            }
        }
    } else {
        /* compile_path: the interpreter's sys.path, no recursion, -o and -x not used */
        int np = 0;
        char **paths = interpreter_path(python ? python : "python3.13", &np);
        if (!paths) {
            fprintf(stderr, "cpyc compileall: no FILE|DIR given, and no Python interpreter (%s) to ask "
                            "for its sys.path; give --python PATH or the directories\n",
                    python ? python : "python3.13");
            status = 2;
            goto free_listed;
        }
        Options po = o;
        long minus1 = -1;
        po.levels = &minus1;
        po.nlevels = 1;
        po.rx = NULL;
        po.limit_sl_dest = NULL;
        po.hardlink = false;
        Naming none = {0};
        for (int k = 0; k < np; k++) {
            if (!paths[k][0] || strcmp(paths[k], ".") == 0) {
                if (o.quiet < 2) printf("Skipping current directory\n");
            } else if (ok) {
                ok = compile_dir(paths[k], 0, &none, &po, 1, &tmp_id);
            }
            free(paths[k]);
        }
        free(paths);
    }
    status = ok ? 0 : 1;
    if (o.stats)   /* summed over the workers: CPU-side time, not wall time */
        fflush(stdout), fprintf(stderr, "cpyc-stats: %llu files considered, read %.3f s, compile %.3f s, write %.3f s\n",
                (unsigned long long)stats[0], (double)stats[1] * 1e-9, (double)stats[2] * 1e-9,
                (double)stats[3] * 1e-9);
free_listed:
    for (size_t k = 0; k < nlisted; k++) free(listed[k]);
    free(listed);
out:
    reaper_finish(o.reaper);
    warn_filters_free(&wfilters);
    fflush(stdout);
    regex_free(o.rx);
    free((void *)o.limit_sl_dest);
    args_free(&ap);
    free(rest);
    return status;
}
