/* cli.c - what the command-line sub-commands share: reporting an error on stderr. */
#include "cpyc_internal.h"

void cli_report(const cpyc_error *err)
{
    char line[1024];
    cpyc_error_format(err, line, sizeof line);
    fprintf(stderr, "cpyc: %s\n", line);
}
