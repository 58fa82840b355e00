/* warn_filter.c - the interpreter's warning filters as they apply to the compiler's
   SyntaxWarnings: PYTHONWARNINGS read as Python's warnings._setoption reads each of its
   comma-separated entries (action:message:category:module:lineno), for the drop-in command
   lines (compileall, py_compile), whose CPython counterparts honour it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* The builtin warning categories: a filter naming one of them is valid; only these two are
   SyntaxWarning or a base of it. */
static const char *const warning_names[] = {
    "Warning", "UserWarning", "DeprecationWarning", "PendingDeprecationWarning", "SyntaxWarning",
    "RuntimeWarning", "FutureWarning", "ImportWarning", "UnicodeWarning", "BytesWarning",
    "ResourceWarning", "EncodingWarning",
};

static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    char *r = malloc(n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

/* One entry, or false with *why set to _setoption's complaint (why_buf holds it). */
static bool parse_entry(const char *s, size_t n, WarnFilter *f, char *why, size_t whylen)
{
    char *part[5] = {0};
    size_t np = 0;
    bool ok = false;
    for (size_t i = 0, from = 0; i <= n; i++) {
        if (i < n && s[i] != ':') continue;
        if (np == 5) {
            snprintf(why, whylen, "too many fields (max 5): '%.*s'", (int)n, s);
            goto out;
        }
        if (!(part[np++] = trimmed(s + from, i - from))) goto out;
        from = i + 1;
    }
    static const char *const actions[] = {"default", "always", "ignore", "module", "once", "error"};
    const char *a = part[0] ? part[0] : "";
    f->action = 0;
    if (!*a) f->action = "default";
    else if (strcmp(a, "all") == 0) f->action = "always";
    else
        for (size_t k = 0; k < sizeof actions / sizeof *actions && !f->action; k++)
            if (strncmp(actions[k], a, strlen(a)) == 0) f->action = actions[k];
    if (!f->action) {
        snprintf(why, whylen, "invalid action: '%s'", a);
        goto out;
    }
    const char *cat = np > 2 ? part[2] : "";
    f->matches_syntax = !*cat || strcmp(cat, "Warning") == 0 || strcmp(cat, "SyntaxWarning") == 0;
    if (*cat && !strchr(cat, '.')) {
        bool known = false;
        for (size_t k = 0; k < sizeof warning_names / sizeof *warning_names; k++)
            known |= strcmp(cat, warning_names[k]) == 0;
        if (!known) {
            snprintf(why, whylen, "unknown warning category: '%s'", cat);
            goto out;
        }
    }
    /* (a dotted category names a class of some module: never SyntaxWarning's base here) */
    f->lineno = 0;
    const char *ln = np > 4 ? part[4] : "";
    if (*ln) {
        char *end;
        long v = strtol(ln, &end, 10);
        if (*end || v > 0x7fffffff) {   /* (Python's repr of the text) */
            snprintf(why, whylen, "invalid lineno '%s'", ln);
            goto out;
        }
        if (v < 0) {                       /* (of the number int() made of it) */
            snprintf(why, whylen, "invalid lineno %ld", v);
            goto out;
        }
        f->lineno = (int)v;
    }
    f->message = np > 1 ? part[1] : NULL, part[1] = NULL;
    f->module = np > 3 ? part[3] : NULL, part[3] = NULL;
    ok = true;
out:
    for (size_t k = 0; k < 5; k++) free(part[k]);
    return ok;
}

void warn_filters_from_env(WarnFilters *wf, const char *env, FILE *err)
{
    memset(wf, 0, sizeof *wf);
    pthread_mutex_init(&wf->lock, NULL);
    if (!env) return;
    for (const char *s = env; *s;) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        WarnFilter f = {0};
        char why[600];
        if (n) {   /* (empty entries are dropped, as the interpreter's wcstok drops them) */
            if (!parse_entry(s, n, &f, why, sizeof why)) {
                fprintf(err, "Invalid -W option ignored: %s\n", why);
            } else {
                WarnFilter *g = realloc(wf->f, (wf->n + 1) * sizeof *g);
                if (!g) { free(f.message); free(f.module); break; }
                wf->f = g;
                wf->f[wf->n++] = f;
                wf->unsupported |= f.matches_syntax && strcmp(f.action, "error") == 0;
            }
        }
        s += n + (e != NULL);
    }
}

void warn_filters_free(WarnFilters *wf)
{
    if (!wf) return;
    for (size_t i = 0; i < wf->n; i++) free(wf->f[i].message), free(wf->f[i].module);
    for (size_t i = 0; i < wf->nonce; i++) free(wf->once[i]);
    free(wf->f);
    free(wf->once);
    pthread_mutex_destroy(&wf->lock);
    memset(wf, 0, sizeof *wf);
}

/* What the filters do with the SyntaxWarning `msg` of line `lineno` of the file compiled as
   `filename` (its module: the name without ".py", as warn_explicit makes one): WARN_IGNORE,
   WARN_ONCE, or WARN_SHOW. The last entry of PYTHONWARNINGS comes first; no match is
   "default", which shows every one (the compiler passes no registry). */
int warn_filters_action(const WarnFilters *wf, const char *filename, int lineno, const char *msg, size_t len)
{
    if (!wf) return WARN_SHOW;
    size_t flen = strlen(filename);
    size_t mlen = flen >= 3 && strcmp(filename + flen - 3, ".py") == 0 ? flen - 3 : flen;
    for (size_t i = wf->n; i-- > 0;) {
        const WarnFilter *f = &wf->f[i];
        if (!f->matches_syntax || (f->lineno && f->lineno != lineno)) continue;
        if (f->module && *f->module && (strlen(f->module) != mlen || memcmp(f->module, filename, mlen) != 0)) continue;
        if (f->message && *f->message) {   /* re.escape'd and re.I: a caseless prefix */
            size_t pl = strlen(f->message), k = 0;
            if (pl > len) continue;
            while (k < pl && tolower((unsigned char)f->message[k]) == tolower((unsigned char)msg[k])) k++;
            if (k < pl) continue;
        }
        return strcmp(f->action, "ignore") == 0 ? WARN_IGNORE : strcmp(f->action, "once") == 0 ? WARN_ONCE : WARN_SHOW;
    }
    return WARN_SHOW;
}

/* "once": true the first time this text is seen by the run. */
bool warn_filters_first(WarnFilters *wf, const char *msg, size_t len)
{
    pthread_mutex_lock(&wf->lock);
    bool first = true;
    for (size_t i = 0; i < wf->nonce && first; i++)
        first = !(strlen(wf->once[i]) == len && memcmp(wf->once[i], msg, len) == 0);
    if (first) {
        char **g = realloc(wf->once, (wf->nonce + 1) * sizeof *g);
        char *copy = malloc(len + 1);
        if (g && copy) {
            memcpy(copy, msg, len);
            copy[len] = 0;
            wf->once = g;
            wf->once[wf->nonce++] = copy;
        } else {
            if (g) wf->once = g;
            free(copy);
        }
    }
    pthread_mutex_unlock(&wf->lock);
    return first;
}
