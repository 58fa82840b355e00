/* nfkc.h - tables of the NFKC normalization of identifiers (generated nfkc_tables.c). */
#ifndef CPYC_NFKC_H
#define CPYC_NFKC_H
#include <stddef.h>
#include <stdint.h>

typedef struct { uint32_t cp, where; } NfkcDecomp;          /* where: pool offset << 8 | length */
typedef struct { uint32_t lo, hi; uint8_t ccc; } NfkcClass;
typedef struct { uint64_t key; uint32_t composite; } NfkcPair;  /* key: first << 21 | second */

extern const uint8_t nfkc_pool[];
extern const NfkcDecomp nfkc_decomp[];
extern const size_t nfkc_decomp_count;
extern const NfkcClass nfkc_class[];
extern const size_t nfkc_class_count;
extern const NfkcPair nfkc_pairs[];
extern const size_t nfkc_pairs_count;

#endif
