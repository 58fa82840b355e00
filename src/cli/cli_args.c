/* cli_args.c - the part of Python's argparse that compileall's and py_compile's command lines
   use, with its matching rules (clustered short flags, -j2, --workers=2, unique prefixes of
   long options, a first run of positionals) and its exact error messages. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "-j/--workers": how argparse names an option in its messages. */
static void opt_names(const ArgSpec *s, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", s->shortopt ? s->shortopt : "", s->shortopt && s->longopt ? "/" : "",
             s->longopt ? s->longopt : "");
}

static int fail(ArgParse *p, const char *fmt, const char *a, const char *b)
{
    snprintf(p->error, sizeof p->error, fmt, a, b);
    return -1;
}

/* Python's int(): blanks around, a sign, decimal digits with single underscores between. */
static bool parse_pyint(const char *s, long *out)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    bool neg = *s == '-';
    if (*s == '+' || *s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return false;
    long v = 0;
    for (; *s; s++) {
        if (*s == '_' && s[1] >= '0' && s[1] <= '9') continue;
        if (!(*s >= '0' && *s <= '9')) break;
        if (v > (LONG_MAX - 9) / 10) return false;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;
    if (*s) return false;
    *out = neg ? -v : v;
    return true;
}

static int store_value(ArgParse *p, int k, const char *val)
{
    const ArgSpec *s = &p->specs[k];
    ArgValue *v = &p->values[k];
    char names[64];
    opt_names(s, names, sizeof names);
    long iv = 0;
    if (s->type == ARGT_INT && !parse_pyint(val, &iv)) {
        snprintf(p->error, sizeof p->error, "argument %s: invalid int value: '%s'", names, val);
        return -1;
    }
    if (s->choices) {
        bool ok = false;
        for (int c = 0; s->choices[c]; c++) ok |= strcmp(s->choices[c], val) == 0;
        if (!ok) {
            int n = snprintf(p->error, sizeof p->error, "argument %s: invalid choice: '%s' (choose from ", names, val);
            for (int c = 0; s->choices[c] && n < (int)sizeof p->error; c++)
                n += snprintf(p->error + n, sizeof p->error - (size_t)n, "%s'%s'", c ? ", " : "", s->choices[c]);
            if (n < (int)sizeof p->error) snprintf(p->error + n, sizeof p->error - (size_t)n, ")");
            return -1;
        }
    }
    v->count++;
    v->str = val;
    v->ival = iv;
    if (s->kind == ARG_APPEND) {
        long *l = realloc(v->ilist, (size_t)v->count * sizeof *l);
        if (!l) return fail(p, "out of memory%s%s", "", "");
        v->ilist = l;
        l[v->count - 1] = iv;
    }
    return 0;
}

/* Which option an argument names: the index of its spec, -1 for a positional, -2 for an
   option argparse does not know; *explicit receives the text after '=' or a short option. */
static int classify(ArgParse *p, const char *arg, const char **explicit)
{
    *explicit = NULL;
    if (arg[0] != '-' || !arg[1]) return -1;
    for (int k = 0; k < p->nspecs; k++) {
        const ArgSpec *s = &p->specs[k];
        if ((s->shortopt && strcmp(arg, s->shortopt) == 0) || (s->longopt && strcmp(arg, s->longopt) == 0))
            return k;
    }
    const char *eq = strchr(arg, '=');
    size_t olen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (eq) {   /* "--workers=2", "-j=2" */
        for (int k = 0; k < p->nspecs; k++) {
            const ArgSpec *s = &p->specs[k];
            if ((s->shortopt && strlen(s->shortopt) == olen && memcmp(arg, s->shortopt, olen) == 0) ||
                (s->longopt && strlen(s->longopt) == olen && memcmp(arg, s->longopt, olen) == 0)) {
                *explicit = eq + 1;
                return k;
            }
        }
    }
    if (arg[1] == '-') {   /* a unique prefix of a long option */
        int found = -1, nfound = 0;
        char names[256] = "";
        for (int k = 0; k < p->nspecs; k++) {
            const char *lo = p->specs[k].longopt;
            if (lo && strncmp(lo, arg, olen) == 0) {
                size_t n = strlen(names);
                snprintf(names + n, sizeof names - n, "%s%s", nfound ? ", " : "", lo);
                found = k;
                nfound++;
            }
        }
        if (nfound > 1) {
            char opt[128];
            snprintf(opt, sizeof opt, "%.*s", (int)olen, arg);
            fail(p, "ambiguous option: %s could match %s", opt, names);
            return -3;
        }
        if (found >= 0) { *explicit = eq ? eq + 1 : NULL; return found; }
    } else {   /* "-j2", "-fq": a short option with what follows it */
        for (int k = 0; k < p->nspecs; k++) {
            const char *so = p->specs[k].shortopt;
            if (so && so[1] == arg[1]) { *explicit = arg + 2; return k; }
        }
        /* a negative number or anything with a space is a positional */
        const char *q = arg + 1;
        bool num = *q != 0;
        for (; *q; q++) num &= (*q >= '0' && *q <= '9') || *q == '.';
        if (num || strchr(arg, ' ')) return -1;
    }
    if (strchr(arg, ' ')) return -1;
    return -2;
}

int args_parse(ArgParse *p, int argc, char **argv)
{
    p->positional = calloc((size_t)argc + 1, sizeof *p->positional);
    p->extras = calloc((size_t)argc + 1, sizeof *p->extras);
    if (!p->positional || !p->extras) return fail(p, "out of memory%s%s", "", "");
    bool positional_taken = false, dashdash = false;
    for (int i = 0; i < argc;) {
        const char *explicit;
        int k = dashdash ? -1 : strcmp(argv[i], "--") == 0 ? -4 : classify(p, argv[i], &explicit);
        if (k == -3) return -1;
        if (k == -4) {   /* everything after "--" is positional */
            dashdash = true;
            i++;
            continue;
        }
        if (k == -1) {   /* the first run of positionals fills the nargs='*' argument */
            bool take = !positional_taken;
            while (i < argc) {
                if (!dashdash) {
                    const char *e2;
                    if (strcmp(argv[i], "--") == 0 || classify(p, argv[i], &e2) != -1) break;
                }
                if (take) p->positional[p->npositional++] = argv[i];
                else p->extras[p->nextras++] = argv[i];
                i++;
            }
            positional_taken = true;
            continue;
        }
        if (k == -2) { p->extras[p->nextras++] = argv[i++]; continue; }
        i++;
        /* flags: an explicit text after a short flag is more flags ("-fqq") */
        while (p->specs[k].kind == ARG_FLAG || p->specs[k].kind == ARG_COUNT || p->specs[k].kind == ARG_HELP) {
            if (p->specs[k].kind == ARG_HELP) return p->help = 1;
            p->values[k].count++;
            if (!explicit || !*explicit) break;
            if (!p->specs[k].shortopt || (argv[i - 1][1] == '-')) {
                char names[64];
                opt_names(&p->specs[k], names, sizeof names);
                return fail(p, "argument %s: ignored explicit argument '%s'", names, explicit);
            }
            int next = -1;
            for (int q = 0; q < p->nspecs; q++)
                if (p->specs[q].shortopt && p->specs[q].shortopt[1] == explicit[0]) next = q;
            if (next < 0) {
                char names[64];
                opt_names(&p->specs[k], names, sizeof names);
                return fail(p, "argument %s: ignored explicit argument '%s'", names, explicit);
            }
            k = next;
            explicit = explicit[1] ? explicit + 1 : NULL;
        }
        if (p->specs[k].kind == ARG_FLAG || p->specs[k].kind == ARG_COUNT) continue;
        const char *val = explicit && *explicit ? explicit : NULL;
        if (!val && explicit && *explicit == 0 && argv[i - 1][1] == '-') val = explicit;   /* --x= */
        if (!val) {
            const char *e2;
            if (i >= argc || (strcmp(argv[i], "--") != 0 && classify(p, argv[i], &e2) != -1) ||
                strcmp(argv[i], "--") == 0) {
                char names[64];
                opt_names(&p->specs[k], names, sizeof names);
                return fail(p, "argument %s: expected one argument", names, "");
            }
            val = argv[i++];
        }
        if (store_value(p, k, val)) return -1;
    }
    if (p->positional_required && p->npositional == 0)
        return fail(p, "the following arguments are required: %s%s", p->positional_name, "");
    if (p->nextras) {
        int n = snprintf(p->error, sizeof p->error, "unrecognized arguments:");
        for (int e = 0; e < p->nextras && n < (int)sizeof p->error; e++)
            n += snprintf(p->error + n, sizeof p->error - (size_t)n, " %s", p->extras[e]);
        return -1;
    }
    return 0;
}

void args_free(ArgParse *p)
{
    for (int k = 0; k < p->nspecs; k++) free(p->values[k].ilist);
    free(p->positional);
    free(p->extras);
}

char **cli_read_lines(FILE *f, bool universal, size_t *n)
{
    Buf b = {0};
    for (;;) {   /* the whole stream, as readlines() takes it */
        buf_reserve(&b, 65536);
        if (b.failed) break;
        size_t got = fread(b.data + b.len, 1, b.cap - b.len, f);
        if (!got) break;
        b.len += got;
    }
    *n = 0;
    size_t cap = 16;
    char **lines = malloc(cap * sizeof *lines);
    if (!lines || b.failed) { free(lines); buf_free(&b); return NULL; }
    const char *p = (const char *)b.data, *end = p + b.len;
    while (p < end) {   /* universal newlines: \n, \r\n and \r end a line */
        const char *e = p;
        while (e < end && *e != '\n' && (!universal || *e != '\r')) e++;
        if (*n + 1 >= cap) {
            char **nl = realloc(lines, (cap *= 2) * sizeof *nl);
            if (!nl) break;
            lines = nl;
        }
        lines[(*n)++] = strndup(p, (size_t)(e - p));
        p = e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? e + 2 : e + 1;
    }
    lines[*n] = NULL;
    buf_free(&b);
    return lines;
}
