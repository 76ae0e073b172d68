/*
 * sort.h - radix sorts of 64-bit keys, used for shingle sets, LSH band keys
 * and candidate pairs.
 *
 * LSD radix sort with 8-bit digits; digit positions where every key has the
 * same byte are skipped, so sorting keys that differ only in their low bytes
 * costs only those passes. Small arrays use insertion sort.
 */
#ifndef RP_SORT_H
#define RP_SORT_H

#include "common.h"

/* Sort keys ascending; tmp must hold n elements. */
RP_INTERNAL void rp_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);

/* Sort (key, value) pairs by key, stable; tmp must hold n elements. */
typedef struct rp_kv {
	uint64_t key;
	uint64_t val;
} rp_kv;
RP_INTERNAL void rp_sort_kv(rp_kv *kv, rp_kv *tmp, size_t n);

/* Remove adjacent duplicates of a sorted array; returns the new length. */
RP_INTERNAL size_t rp_unique_u64(uint64_t *keys, size_t n);

#endif
