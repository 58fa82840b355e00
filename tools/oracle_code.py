"""oracle_code.py - CPython 3.13's code objects for a source file, every field that marshal
writes, printed as `cpyc codegen --code` prints ours (the whole back end without marshal).

usage: PYTHONHASHSEED=0 python3.13 tools/oracle_code.py [-O N] FILE
"""
import sys
import types


def show(out, co, path):
    out.append('code %s %s' % (path, co.co_qualname))
    out.append('  name %s flags %d args %d %d %d nlocals %d stack %d first %d' % (
        co.co_name, co.co_flags, co.co_argcount, co.co_posonlyargcount, co.co_kwonlyargcount,
        co.co_nlocals, co.co_stacksize, co.co_firstlineno))
    out.append('  code %s' % co.co_code.hex())
    out.append('  consts [%s]' % ', '.join('<code>' if isinstance(c, types.CodeType) else repr(c)
                                           for c in co.co_consts))
    out.append('  names %r' % (co.co_names,))
    out.append('  vars %r %r %r' % (co.co_varnames, co.co_cellvars, co.co_freevars))
    out.append('  lines %s' % co.co_linetable.hex())
    out.append('  exc %s' % co.co_exceptiontable.hex())
    k = 0
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            show(out, c, '%s.%d' % (path, k))
            k += 1


def main(argv):
    opt = 0
    if len(argv) > 2 and argv[0] == '-O':
        opt, argv = int(argv[1]), argv[2:]
    path = argv[0]
    src = open(path, 'rb').read()
    try:
        co = compile(src, path, 'exec', dont_inherit=True, optimize=opt)
    except SyntaxError as e:
        print('SyntaxError %s' % e.msg)
        return
    out = []
    show(out, co, '0')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main(sys.argv[1:])
