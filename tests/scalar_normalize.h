/* The scalar tokenizer (scalar_normalize.c): rp_tokenize_skip and
 * rp_is_char_text without SIMD, for comparison. */
#ifndef RP_SCALAR_NORMALIZE_H
#define RP_SCALAR_NORMALIZE_H
#include "normalize.h"
RP_INTERNAL int rp_scalar_tokenize_skip(rp_tokbuf *tb, const char *text, size_t len,
					int flags, const uint32_t *skip,
					size_t nskip);
RP_INTERNAL int rp_scalar_is_char_text(const char *text, size_t len);
#endif
