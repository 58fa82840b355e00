/* cpyc_internal.h - a compatibility umbrella: every folder's header at once. New code includes
   the headers of the folders it uses (base/base.h, unicode/unicode.h, targets/targets.h,
   pyc/pyc.h, dis/dis.h, api/api.h, cli/cli.h; front/ast.h, front/tokenize.h; compile/compile.h). */
#ifndef CPYC_INTERNAL_H
#define CPYC_INTERNAL_H

#include "base/base.h"
#include "unicode/unicode.h"
#include "targets/targets.h"
#include "pyc/pyc.h"
#include "dis/dis.h"
#include "api/api.h"
#include "cli/cli.h"

#endif
