/* Fuzz target: UTF-8 validation, the tokenizer and the character-text
 * test. Invariants: tokens lie inside the text, in order, start < end;
 * the tokenizer built without SIMD (scalar_normalize.c) gives the same
 * tokens and answer in every mode; spaces before a text (which count for
 * neither side, but move where the test's early stop is checked) do not
 * change its answer. */
#include <stdlib.h>
#include <string.h>

#include "../scalar_normalize.h"

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
	/* Every mode against the scalar build, the first byte choosing
	 * skipped ranges. */
	static rp_tokbuf sc;
	uint32_t skip[2] = { 0, 0 };
	size_t nskip = 0;
	if (size > 2 && data[0] & 1) {
		skip[0] = (uint32_t)(data[1] % (ok + 1));
		skip[1] = skip[0] + (uint32_t)data[2];
		nskip = 1;
		/* (ranges begin and end between characters, as lines do) */
		for (int x = 0; x < 2; x++)
			while (skip[x] < ok && (data[skip[x]] & 0xC0) == 0x80)
				skip[x]++;
	}
	for (int flags = 0; flags < 4; flags++) {
		if (rp_tokenize_skip(&tb, s, ok, flags, skip, nskip) != RP_OK ||
		    rp_scalar_tokenize_skip(&sc, s, ok, flags, skip, nskip) != RP_OK ||
		    tb.ntok != sc.ntok)
			abort();
		for (size_t i = 0; i < tb.ntok; i++)
			if (tb.tok[i].start != sc.tok[i].start ||
			    tb.tok[i].end != sc.tok[i].end ||
			    tb.tok[i].hash != sc.tok[i].hash ||
			    tb.tok[i].numeric != sc.tok[i].numeric)
				abort();
		if ((flags & RP_TOK_NORM) && strcmp(tb.norm, sc.norm) != 0)
			abort();
	}
	static char pad[1 << 17];
	size_t sp = size ? (size_t)(data[0] % 37) : 0;
	if (sp + ok <= sizeof(pad)) {
		memset(pad, ' ', sp);
		memcpy(pad + sp, s, ok);
		int a = rp_is_char_text(s, ok);
		if ((a != 0 && a != 1) || rp_is_char_text(pad, sp + ok) != a ||
		    rp_scalar_is_char_text(s, ok) != a)
			abort();
	}
	return 0;
}
