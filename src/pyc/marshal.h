/* marshal.h - marshal type codes shared by the reader and the writer. */
#ifndef CPYC_MARSHAL_H
#define CPYC_MARSHAL_H

enum {
    FLAG_REF = 0x80,
    TYPE_NULL = '0', TYPE_NONE = 'N', TYPE_FALSE = 'F', TYPE_TRUE = 'T',
    TYPE_STOPITER = 'S', TYPE_ELLIPSIS = '.',
    TYPE_INT = 'i', TYPE_INT64 = 'I', TYPE_LONG = 'l',
    TYPE_FLOAT = 'f', TYPE_BINARY_FLOAT = 'g', TYPE_COMPLEX = 'x', TYPE_BINARY_COMPLEX = 'y',
    TYPE_STRING = 's', TYPE_INTERNED = 't', TYPE_UNICODE = 'u', TYPE_ASCII = 'a',
    TYPE_ASCII_INTERNED = 'A', TYPE_SHORT_ASCII = 'z', TYPE_SHORT_ASCII_INTERNED = 'Z',
    TYPE_REF = 'r', TYPE_TUPLE = '(', TYPE_SMALL_TUPLE = ')', TYPE_LIST = '[', TYPE_DICT = '{',
    TYPE_CODE = 'c', TYPE_SET = '<', TYPE_FROZENSET = '>',
};

/* Limits CPython's marshal applies to sizes read from the stream. */
#define MARSHAL_SIZE32_MAX 0x7fffffffL

#endif
