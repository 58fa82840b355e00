/* cli_unparse.c - `cpyc unparse < LINES` (a check of the annotation unparser): each line is an
   expression's source, hex-encoded; prints its unparsed text, hex-encoded, a line. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compile/compile.h"

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1) break;
        out[n++] = (uint8_t)v;
    }
    return n;
}

int cli_unparse(int argc, char **argv)
{
    (void)argv;
    if (argc) {
        fputs("usage: cpyc unparse < LINES (hex-encoded expressions)\n", stderr);
        return 2;
    }
    const cpyc_target *t = cpyc_target_by_name("3.13");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        uint8_t *src = malloc((size_t)n / 2 + 16);
        if (!src) return 1;
        memcpy(src, "x: (", 4);
        size_t len = 4 + unhex(line, src + 4);
        memcpy(src + len, ")\n", 2);
        len += 2;
        Arena a;
        arena_init(&a);
        cpyc_error err;
        error_clear(&err);
        AstNode *mod = parse_file_bytes(src, len, t, &a, &err, NULL);
        AstSeq *body = mod ? mod->f[F_Module_body].s : NULL;
        if (!body || body->n != 1 || ((AstNode *)body->items[0])->kind != AST_AnnAssign) {
            printf("error\n");
        } else {
            Buf b = {0};
            unparse_expr(&b, ((AstNode *)body->items[0])->f[F_AnnAssign_annotation].n);
            for (size_t i = 0; i < b.len; i++) printf("%02x", b.data[i]);
            putchar('\n');
            buf_free(&b);
        }
        arena_free(&a);
        free(src);
    }
    free(line);
    return 0;
}
