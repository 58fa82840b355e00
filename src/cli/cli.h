/* cli.h - the command line's parts: each sub-command's entry point (called by main.c), what the
   sub-commands share (cli.c), argparse as compileall uses it, and compileall -x patterns. */
#ifndef CPYC_CLI_H
#define CPYC_CLI_H

#include "api/api.h"
#include "pyc/pyc.h"

/* ------------------------------------------------------------ cli_tokenize.c */
/* `cpyc tokenize [-e] FILE` (argv after the command name); returns the exit status. */
int cmd_tokenize(int argc, char **argv);

/* --------------------------------------------------------------- cli_dis.c */
/* `cpyc dis`: the sub-command's entry point, called by main.c; returns the exit status. */
int cli_dis(int argc, char **argv);
/* ---------------------------------------------------------------- cli_ast.c */
int cli_ast(int argc, char **argv);   /* `cpyc ast`: prints; returns the exit status */
int cli_unparse(int argc, char **argv);   /* `cpyc unparse`: the annotation unparser's check */
int cli_compile(int argc, char **argv);   /* `cpyc compile`: sources to pycs (cli_compile.c) */
/* ------------------------------------------------------------ cli_codegen.c */
int cli_codegen(int argc, char **argv);   /* `cpyc codegen` (hidden): codegen's view, for tests */
/* --------------------------------------------------------------- cli_asm.c */
/* `cpyc asm-check FILE.pyc...` (hidden): rebuilds each code object's final instruction
   sequence from an oracle pyc, reassembles it and compares every field. */
int cli_asm(int argc, char **argv);
/* --------------------------------------------------------------- cli_refs.c */
int cli_refs(int argc, char **argv);  /* `cpyc refs-check` (hidden): compile/refs.c vs 3.13 pycs */
/* ----------------------------------------------------------- cli_symtable.c */
int cli_symtable(int argc, char **argv);   /* `cpyc symtable`: as python -m symtable */
int cli_cfg(int argc, char **argv);   /* `cpyc cfg-test` (hidden): the CFG stage on oracle text */

/* ------------------------------------------------------------------- cli.c */
/* Prints an error as the command line does: "cpyc: FILE: ..." on stderr. */
void cli_report(const cpyc_error *err);
/* Reads the pyc at path (err->file set to it); *data, the file's bytes, is the caller's to
   free, also on failure. */
int cli_read_pyc(const char *path, Arena *a, Pyc *pyc, uint8_t **data, cpyc_error *err);
/* Calls fn on each non-empty line of the file list ("-": stdin); -1 when it cannot be opened
   (reported). */
int cli_each_listed_path(const char *list, void (*fn)(void *ctx, const char *path), void *ctx);
/* Reads the sub-command's FILE argument (err cleared, err->file set to path); a failure is
   reported as cli_report does and returns -1. */
int cli_read_file(const char *path, uint8_t **data, size_t *len, cpyc_error *err);
/* Writes a sub-command's output to stdout and frees it; 1 when it ran out of memory
   (reported), else 0. */
int cli_write_out(Buf *out);

/* -------------------------------------------------------------- cli_args.c */
/* argparse as compileall and py_compile use it: options, their values, the positionals. */
enum { ARG_FLAG, ARG_COUNT, ARG_VALUE, ARG_APPEND, ARG_HELP };   /* ArgSpec.kind */
enum { ARGT_STR, ARGT_INT };                                     /* ArgSpec.type */
typedef struct ArgSpec {
    const char *shortopt, *longopt;   /* "-j", "--workers"; either may be NULL */
    int kind, type;
    const char *const *choices;       /* NULL-terminated, or NULL */
} ArgSpec;
typedef struct ArgValue {
    int count;                        /* times given */
    const char *str;                  /* the last value */
    long ival;
    long *ilist;                      /* ARG_APPEND: every value, count of them */
} ArgValue;
typedef struct ArgParse {
    const ArgSpec *specs;
    ArgValue *values;                 /* one per spec, zeroed by the caller */
    int nspecs;
    bool positional_required;         /* nargs='+' (else '*') */
    const char *positional_name;
    const char **positional, **extras;
    int npositional, nextras;
    int help;                         /* -h was given */
    char error[600];                  /* the message after "PROG: error: " */
} ArgParse;
/* 0; 1 when -h was met (print the help, exit 0); -1 with p->error (usage, exit 2). */
int args_parse(ArgParse *p, int argc, char **argv);
void args_free(ArgParse *p);
/* The lines of a text stream as Python's readlines() gives them, without their ends: universal
   newlines for a file Python opens, '\n' alone for its sys.stdin. NULL-terminated (free each
   and the array), NULL when out of memory. */
char **cli_read_lines(FILE *f, bool universal, size_t *n);

/* ----------------------------------------------------------------- regex.c */
/* Python `re` patterns as compileall -x takes them; NULL with a message saying what is not
   supported (or wrong) in err. */
typedef struct Regex Regex;
Regex *regex_compile(const char *pattern, char *err, size_t errsize);
bool regex_search(const Regex *rx, const char *text);   /* re.search(pattern, text) */
void regex_free(Regex *rx);

/* ---------------------------------------- cli_compileall.c, cli_pycompile.c, cli_help.c */
/* What python3.13 takes from its environment that changes what compileall and py_compile
   write (an empty value is no value): PYTHONOPTIMIZE raises the -O level `level` to its
   number (1 for any other text), PYTHONPYCACHEPREFIX is sys.pycache_prefix (NULL: none). */
int cli_env_optimize(int level);
/* The interpreter's warning filters, PYTHONWARNINGS (its complaints printed as at startup). */
void cli_env_warnings(WarnFilters *wf);
const char *cli_env_pycache_prefix(void);
int cli_compileall(int argc, char **argv);   /* `cpyc compileall` */
int cli_pycompile(int argc, char **argv);    /* `cpyc py_compile` */
extern const char cli_compileall_usage[], cli_compileall_help[], cli_pycompile_usage[],
    cli_pycompile_help[];

#endif
