"""oracle_codegen.py - CPython 3.13's code generator output (before the CFG passes), printed
per code unit as `cpyc codegen` prints ours.

usage: PYTHONHASHSEED=0 python3.13 tools/oracle_codegen.py [-O N] FILE

Runs _testinternalcapi.compiler_codegen on ast.parse(FILE) (the compiler optimizes the tree
itself, as compile() does) and walks .get_nested() depth first. The module's metadata comes
from compiler_codegen; a nested unit's from its code object among its parent's constants
(CPython has assembled it by then), so nested units print no constants.
"""
import ast
import sys
import types

import _testinternalcapi
import opcode

NAMES = {v: k for k, v in opcode.opmap.items()}


def const_value(k):
    # a const key: the value itself, or (type, value, ...) for floats, bytes, tuples...
    return k[1] if type(k) is tuple else k


def const_repr(v):
    return '<code>' if isinstance(v, types.CodeType) else repr(v)


def localsplus_cells(varnames, cellvars):
    # co_cellvars order: cells that are parameters/locals first (in varnames order), then others
    first = [n for n in varnames if n in cellvars]
    return first + [n for n in cellvars if n not in first]


def ordered(d):
    return [k for k, _ in sorted(d.items(), key=lambda kv: kv[1])]


def print_insts(out, seq):
    for i, (op, arg, l, el, c, ec) in enumerate(seq.get_instructions()):
        name = NAMES.get(op, '<%d>' % op)
        a = '' if arg is None else ' %d' % arg
        out.append('  %d %s%s @%d:%d-%d:%d' % (i, name, a, l, c, el, ec))


def print_unit(out, path, seq, md=None, code=None):
    out.append('unit %s' % path)
    if md is not None:
        varnames = ordered(md['varnames'])
        out.append('  name %s' % md['name'])
        out.append('  args %d %d %d' % (md['argcount'], md['posonlyargcount'],
                                        md['kwonlyargcount']))
        out.append('  names %r' % ordered(md['names']))
        out.append('  varnames %r' % varnames)
        out.append('  cellvars %r' % localsplus_cells(varnames, ordered(md['cellvars'])))
        out.append('  freevars %r' % ordered(md['freevars']))
        consts = ordered(md['consts'])
        out.append('  consts [%s]' % ', '.join(const_repr(const_value(k)) for k in consts))
        nested = [const_value(k) for k in consts]
    else:
        out.append('  name %s' % code.co_name)
        out.append('  qualname %s' % code.co_qualname)
        out.append('  firstlineno %d' % code.co_firstlineno)
        out.append('  args %d %d %d' % (code.co_argcount, code.co_posonlyargcount,
                                        code.co_kwonlyargcount))
        out.append('  names %r' % list(code.co_names))
        out.append('  varnames %r' % list(code.co_varnames))
        out.append('  cellvars %r' % list(code.co_cellvars))
        out.append('  freevars %r' % list(code.co_freevars))
        nested = list(code.co_consts)
    print_insts(out, seq)
    # match by first line: the CFG drops code objects of unreachable definitions, and equal
    # code objects (a while loop's test compiled twice) are one constant
    codes = [c for c in nested if isinstance(c, types.CodeType)]
    used = []
    for i, sub in enumerate(seq.get_nested()):
        first = sub.get_instructions()
        line = next((x[2] for x in first if NAMES.get(x[0]) == 'RESUME'), None)
        code = next((c for c in codes if c.co_firstlineno == line), None)
        if code is None:
            code = next((c for c in used if c.co_firstlineno == line), None)
        if code is None:
            out.append('unit %s.%d\n  name ? (no code object)' % (path, i))
            print_insts(out, sub)
            continue
        if code in codes:
            codes.remove(code)
            used.append(code)
        print_unit(out, '%s.%d' % (path, i), sub, code=code)


def main(argv):
    opt = 0
    if len(argv) > 2 and argv[0] == '-O':
        opt = int(argv[1])
        argv = argv[2:]
    if len(argv) != 1:
        sys.exit(__doc__)
    path = argv[0]
    with open(path, 'rb') as f:
        src = f.read()
    try:
        tree = ast.parse(src, path)
        seq, md = _testinternalcapi.compiler_codegen(tree, path, opt)
    except SyntaxError as e:
        print('SyntaxError %s @%s:%s-%s:%s' % (e.msg, e.lineno, e.offset, e.end_lineno,
                                                e.end_offset))
        return
    out = []
    print_unit(out, '0', seq, md=md)
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main(sys.argv[1:])
