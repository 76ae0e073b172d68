/*
 * scalar_normalize.c - the tokenizer built without its SIMD paths
 * (RP_NO_SIMD), under other names: the oracle the SIMD paths must equal
 * token for token (test_normalize, fuzz_normalize).
 */
#define RP_NO_SIMD 1
#define rp_tokbuf_free rp_scalar_tokbuf_free
#define rp_is_char_text rp_scalar_is_char_text
#define rp_tokenize rp_scalar_tokenize
#define rp_tokenize_skip rp_scalar_tokenize_skip
#include "../src/text/normalize.c"
