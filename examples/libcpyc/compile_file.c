/* compile_file.c - libcpyc through its public header: the cache path of a source and back,
   compiling it to its pyc, freshness, a syntax error as a structured value, and warnings.
   Build: cc compile_file.c $(pkg-config --cflags --libs cpyc) -o compile_file
   Run:   ./compile_file path/to/module.py */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpyc.h>

static void print_warning(void *ctx, const cpyc_warning *w)
{
    (void)ctx;
    printf("%s:%d: %s: %s\n", w->filename, w->line, w->category, w->message);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.py\n", argv[0]);
        return 2;
    }
    const char *src = argv[1];
    printf("libcpyc %s\n", cpyc_version());

    /* importlib.util.cache_from_source, at each optimization level, and back */
    char cache[4096], back[4096];
    cpyc_error err;
    for (int opt = 0; opt <= 2; opt++) {
        if (cpyc_cache_from_source(NULL, src, opt, cache, sizeof cache) < 0) return 1;
        if (cpyc_source_from_cache(cache, back, sizeof back, &err) < 0) {
            fprintf(stderr, "source_from_cache: %s\n", err.msg);
            return 1;
        }
        printf("optimize %d: %s -> %s\n", opt, cache, back);
    }

    /* a syntax error comes back as a value: type, message, line and columns */
    static const char bad[] = "def f(:\n    pass\n";
    cpyc_compile_options o = {.filename = "bad.py"};
    uint8_t *pyc;
    size_t len;
    if (cpyc_compile_pyc(bad, strlen(bad), &o, &pyc, &len, &err) == 0) {
        printf("bad.py compiled?\n");
        free(pyc);
        return 1;
    }
    if (err.status == CPYC_ERR_SYNTAX)
        printf("bad.py: %s: %s (line %d, column %d)\n", err.exc_type, err.msg, err.line, err.col);
    else
        printf("bad.py: not compiled: %s\n", err.msg);

    /* warnings come to a callback, in the order CPython's compile() issues them */
    static const char warns[] = "x = '\\d'\nassert (x, 'never false')\n";
    cpyc_compile_options wo = {.filename = "warns.py", .on_warning = print_warning};
    if (cpyc_compile_pyc(warns, strlen(warns), &wo, &pyc, &len, &err) == 0) free(pyc);

    /* the file to its PEP 3147 pyc, as py_compile.compile does, then the import system's check */
    cpyc_compile_options fo = {.invalidation = CPYC_PYC_TIMESTAMP};
    if (cpyc_compile_file(src, NULL, NULL, &fo, &err)) {
        printf("%s: not compiled: %s%s%s\n", src, err.exc_type, err.exc_type[0] ? ": " : "", err.msg);
        return err.status == CPYC_ERR_UNSUPPORTED ? 0 : 1;   /* the back end may not take it yet */
    }
    cpyc_cache_from_source(NULL, src, 0, cache, sizeof cache);
    int fresh = cpyc_pyc_is_fresh(NULL, cache, src, &err);
    printf("%s: wrote %s (%s)\n", src, cache, fresh == 1 ? "fresh" : "stale?");
    return fresh == 1 ? 0 : 1;
}
