/* fuzz_parse.c - libFuzzer target: source decoding, tokenizer, parser and AST dump on any bytes. */
#include <stdlib.h>

#include "front/ast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena a;
    arena_init(&a);
    cpyc_error err;
    error_clear(&err);
    AstNode *tree = parse_file_bytes(data, size, cpyc_target_by_name("3.13"), &a, &err, NULL);
    if (tree && tree->depth <= AST_PY_MAX_DEPTH) {
        Buf b = {0};
        ast_dump(&b, tree);
        buf_free(&b);
    } else if (err.status == CPYC_OK) {
        abort();   /* a failure must say why */
    }
    arena_free(&a);
    return 0;
}
