/* codec_table.h - Python codec names for PEP 263 cookies (generated codec_table.c). */
#ifndef CPYC_CODEC_TABLE_H
#define CPYC_CODEC_TABLE_H
#include <stddef.h>

typedef struct {
    const char *alias;   /* as encodings.normalize_encoding leaves it, lower case */
    const char *name;    /* the codec's canonical name (codecs.lookup(alias).name) */
    const char *iconv;   /* iconv's name for it */
    const char *errname; /* the codec its decoding errors name ("charmap" for table codecs) */
} CodecEntry;

extern const CodecEntry codec_table[];
extern const size_t codec_table_count;

#endif
