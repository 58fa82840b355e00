/* test_warn_filter.c - PYTHONWARNINGS applied to SyntaxWarnings (src/api/warn_filter.c). The
   expectations are what python3.13 -m compileall did with a.py = 'x = "\d"\ny = 1 is 1\n...'
   under each setting (tests/stages/compileall_sbs.py compares live when CPython is there). */
#include "test.h"
#include "api/api.h"

static const char ESC[] = "invalid escape sequence '\\d'";
static const char IS[] = "\"is\" with 'int' literal. Did you mean \"==\"?";

/* The action for line `lineno`'s warning `msg` of a.py under `env`: "show", "ignore" or "once". */
static const char *action(const char *env, int lineno, const char *msg)
{
    WarnFilters wf;
    FILE *sink = fopen("/dev/null", "w");
    warn_filters_from_env(&wf, env, sink ? sink : stderr);
    if (sink) fclose(sink);
    int a = warn_filters_action(&wf, "a.py", lineno, msg, strlen(msg));
    warn_filters_free(&wf);
    return a == WARN_IGNORE ? "ignore" : a == WARN_ONCE ? "once" : "show";
}

/* The complaint python3.13 printed at startup for `env` ("" for none). */
static bool complains(const char *env, const char *want)
{
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    if (!f) return false;
    WarnFilters wf;
    warn_filters_from_env(&wf, env, f);
    fclose(f);
    warn_filters_free(&wf);
    return strcmp(buf, want) == 0;
}

void run_warn_filter_tests(void)
{
    CHECK(strcmp(action(NULL, 1, ESC), "show") == 0);
    CHECK(strcmp(action("ignore", 1, ESC), "ignore") == 0);
    CHECK(strcmp(action("i", 2, IS), "ignore") == 0);                      /* an action's prefix */
    CHECK(strcmp(action("ignore::SyntaxWarning", 1, ESC), "ignore") == 0);
    CHECK(strcmp(action("ignore::Warning", 1, ESC), "ignore") == 0);
    CHECK(strcmp(action("ignore::DeprecationWarning", 1, ESC), "show") == 0);
    CHECK(strcmp(action("ignore:invalid:SyntaxWarning", 1, ESC), "ignore") == 0);
    CHECK(strcmp(action("ignore:invalid:SyntaxWarning", 2, IS), "show") == 0);
    CHECK(strcmp(action("ignore:INVALID ESC", 1, ESC), "ignore") == 0);     /* caseless prefix */
    CHECK(strcmp(action("default,ignore", 1, ESC), "ignore") == 0);         /* the last first */
    CHECK(strcmp(action("ignore,default", 1, ESC), "show") == 0);
    CHECK(strcmp(action("ignore, ", 1, ESC), "show") == 0);                 /* " ": default */
    CHECK(strcmp(action("ignore::SyntaxWarning:a", 1, ESC), "ignore") == 0);   /* a.py's module */
    CHECK(strcmp(action("ignore::SyntaxWarning:b", 1, ESC), "show") == 0);
    CHECK(strcmp(action("ignore::::2", 1, ESC), "show") == 0);
    CHECK(strcmp(action("ignore::::2", 2, IS), "ignore") == 0);
    CHECK(strcmp(action("once", 1, ESC), "once") == 0);
    CHECK(strcmp(action("bogus", 1, ESC), "show") == 0);                    /* rejected: no filter */
    CHECK(complains("bogus", "Invalid -W option ignored: invalid action: 'bogus'\n"));
    CHECK(complains("ignore::Foo", "Invalid -W option ignored: unknown warning category: 'Foo'\n"));
    CHECK(complains("a:b:c:d:e:f", "Invalid -W option ignored: too many fields (max 5): 'a:b:c:d:e:f'\n"));
    CHECK(complains("ignore::::-1", "Invalid -W option ignored: invalid lineno -1\n"));
    CHECK(complains("ignore:::x", ""));                                     /* a module named x */
    CHECK(complains("ignore,,once", ""));
}
