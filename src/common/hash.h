/*
 * hash.h - the 64-bit mixer that signatures and alignment anchors share.
 */
#ifndef RP_HASH_H
#define RP_HASH_H

#include <stdint.h>

/* 64-bit finalizer (MurmurHash3 fmix64): a bijective mixer. */
static inline uint64_t rp_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

#endif
