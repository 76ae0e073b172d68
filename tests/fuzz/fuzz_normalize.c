/* Fuzz target: UTF-8 validation, the tokenizer and the character-text
 * test. Invariants: tokens lie inside the text, in order, start < end;
 * spaces before a text (which count for neither side, but move where the
 * test's early stop is checked) do not change its answer. */
#include <stdlib.h>
#include <string.h>

#include "normalize.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static rp_tokbuf tb;
	const char *s = (const char *)data;
	size_t ok = rp_utf8_invalid_at(s, size);
	if (ok > size)
		abort();
	for (int keep = 0; keep < 2; keep++) {
		if (rp_tokenize(&tb, s, ok, keep) != RP_OK)
			abort();
		for (size_t i = 0; i < tb.ntok; i++) {
			if (tb.tok[i].start >= tb.tok[i].end || tb.tok[i].end > ok)
				abort();
			if (i && tb.tok[i].start < tb.tok[i - 1].start)
				abort();
		}
		if (keep && tb.normlen && rp_utf8_invalid_at(tb.norm, tb.normlen) != tb.normlen)
			abort();
	}
	static char pad[1 << 17];
	size_t sp = size ? (size_t)(data[0] % 37) : 0;
	if (sp + ok <= sizeof(pad)) {
		memset(pad, ' ', sp);
		memcpy(pad + sp, s, ok);
		int a = rp_is_char_text(s, ok);
		if ((a != 0 && a != 1) || rp_is_char_text(pad, sp + ok) != a)
			abort();
	}
	return 0;
}
