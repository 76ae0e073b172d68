/*
 * jsonline.c - the string fields of a JSONL record, read without a tree
 * (jsonline.h).
 *
 * A recogniser of JSON's grammar, held to what cJSON 1.7 accepts: cJSON
 * takes any byte up to 32 as white space, copies at most 63 bytes of a
 * number to strtod, reads \u escapes leniently (bad hex digits are 0) and
 * stops at 1000 levels. Where cJSON and JSON's grammar part, this code
 * does not decide: it answers 0 and cJSON parses the line.
 *
 * Measured by the read stage of whole scans (bench/ab.sh, bench/README.md
 * "Session 17"): news 100k 0.99 -> 0.52 s, the 1M bench corpus 10.1 ->
 * 3.7 s, where cJSON and its allocations were 12-14% of all cycles.
 */
#include "jsonline.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(RP_NO_SIMD)
#include <emmintrin.h>
#endif

#define MAX_DEPTH 64   /* cJSON's limit is 1000 */
#define MAX_NUMBER 63  /* cJSON hands strtod at most 63 bytes */
#define MAX_NAMES 16

static inline int is_ws(unsigned char c)
{
	return c <= 32 && c != 0;
}

static inline char *ws(char *p, const char *e)
{
	while (p < e && is_ws((unsigned char)*p))
		p++;
	return p;
}

static inline int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Four hex digits at p into *v; 0 when one is not (cJSON would read 0). */
static int hex4(const char *p, unsigned *v)
{
	unsigned h = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		h <<= 4;
		if (c >= '0' && c <= '9')
			h |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			h |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			h |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*v = h;
	return 1;
}

/* The next '"' or '\\' in [p, e), or e. */
static inline char *special(char *p, const char *e)
{
#if defined(__SSE2__) && !defined(RP_NO_SIMD)
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
	while (e - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)));
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (p < e && *p != '"' && *p != '\\')
		p++;
	return p;
}

/* Past the closing quote of the string whose opening quote is at p, or
 * NULL (not sure). *esc: whether it has an escape. Every escape must be
 * one cJSON decodes as JSON does. */
static char *string_end(char *p, const char *e, int *esc)
{
	*esc = 0;
	for (p++;;) {
		p = special(p, e);
		if (p >= e)
			return NULL;
		if (*p == '"')
			return p + 1;
		*esc = 1;
		if (e - p < 2)
			return NULL;
		switch (p[1]) {
		case 'b': case 'f': case 'n': case 'r': case 't':
		case '"': case '\\': case '/':
			p += 2;
			break;
		case 'u': {
			unsigned v, w;
			if (e - p < 6 || !hex4(p + 2, &v) || v == 0 ||
			    (v >= 0xDC00 && v <= 0xDFFF))
				return NULL;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (e - p < 12 || p[6] != '\\' || p[7] != 'u' ||
				    !hex4(p + 8, &w) || w < 0xDC00 || w > 0xDFFF)
					return NULL;
				p += 12;
			} else {
				p += 6;
			}
			break;
		}
		default:
			return NULL;
		}
	}
}

/* Decode the escapes of the string s..e (between its quotes, checked by
 * string_end) in place; returns its decoded length. */
static size_t decode(char *s, char *e)
{
	char *o = s, *p = s;
	while (p < e) {
		char *q = memchr(p, '\\', (size_t)(e - p));
		if (!q)
			q = e;
		if (o != p)
			memmove(o, p, (size_t)(q - p));
		o += q - p;
		p = q;
		if (p >= e)
			break;
		switch (p[1]) {
		case 'b': *o++ = '\b'; p += 2; break;
		case 'f': *o++ = '\f'; p += 2; break;
		case 'n': *o++ = '\n'; p += 2; break;
		case 'r': *o++ = '\r'; p += 2; break;
		case 't': *o++ = '\t'; p += 2; break;
		case 'u': {
			unsigned v = 0, w = 0;
			size_t sl = 6;
			(void)hex4(p + 2, &v);
			if (v >= 0xD800 && v <= 0xDBFF) {
				(void)hex4(p + 8, &w);
				v = 0x10000 + (((v & 0x3FF) << 10) | (w & 0x3FF));
				sl = 12;
			}
			/* (what is written is at most what was read) */
			if (v < 0x80) {
				*o++ = (char)v;
			} else if (v < 0x800) {
				*o++ = (char)(0xC0 | (v >> 6));
				*o++ = (char)(0x80 | (v & 0x3F));
			} else if (v < 0x10000) {
				*o++ = (char)(0xE0 | (v >> 12));
				*o++ = (char)(0x80 | ((v >> 6) & 0x3F));
				*o++ = (char)(0x80 | (v & 0x3F));
			} else {
				*o++ = (char)(0xF0 | (v >> 18));
				*o++ = (char)(0x80 | ((v >> 12) & 0x3F));
				*o++ = (char)(0x80 | ((v >> 6) & 0x3F));
				*o++ = (char)(0x80 | (v & 0x3F));
			}
			p += sl;
			break;
		}
		default: /* '"', '\\', '/' */
			*o++ = p[1];
			p += 2;
			break;
		}
	}
	return (size_t)(o - s);
}

/* Past a number in JSON's grammar of at most MAX_NUMBER bytes at p (what
 * strtod reads whole), or NULL. */
static char *number_end(char *p, const char *e)
{
	char *s = p;
	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return NULL;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < e && digit(*p))
			p++;
	} else {
		return NULL;
	}
	if (p < e && *p == '.') {
		p++;
		if (p >= e || !digit(*p))
			return NULL;
		while (p < e && digit(*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !digit(*p))
			return NULL;
		while (p < e && digit(*p))
			p++;
	}
	return p - s > MAX_NUMBER ? NULL : p;
}

static char *value_end(char *p, const char *e, int depth);

static int word_at(const char *p, const char *e, const char *w, size_t n)
{
	return (size_t)(e - p) >= n && memcmp(p, w, n) == 0;
}

/* What the top-level object's wanted members are. */
typedef struct wanted {
	const char *const *names;
	size_t n;
	size_t nlen[MAX_NAMES];
	char *at[MAX_NAMES];   /* the member's opening quote; NULL: null */
	char *end[MAX_NAMES];  /* past its closing quote */
	int esc[MAX_NAMES];
	unsigned char seen[MAX_NAMES];
} wanted;

/* Is k[0..klen) wanted name i, not met yet? */
static int wants(const wanted *w, size_t i, const char *k, size_t klen)
{
	return w->names[i] && !w->seen[i] && w->nlen[i] == klen &&
	       memcmp(w->names[i], k, klen) == 0;
}

/* Past the object at p (its '{'), or NULL. With w (the top level), the
 * first member of each wanted name is noted. */
static char *object_end(char *p, const char *e, int depth, wanted *w)
{
	if (depth > MAX_DEPTH)
		return NULL;
	p = ws(p + 1, e);
	if (p >= e)
		return NULL;
	if (*p == '}')
		return p + 1;
	for (;;) {
		int esc;
		if (p >= e || *p != '"')
			return NULL;
		char *k = p + 1, *ke = string_end(p, e, &esc);
		if (!ke || esc)
			return NULL;
		size_t klen = (size_t)(ke - 1 - k);
		p = ws(ke, e);
		if (p >= e || *p != ':')
			return NULL;
		p = ws(p + 1, e);
		if (p >= e)
			return NULL;
		int want = 0;
		for (size_t i = 0; w && i < w->n; i++)
			want |= wants(w, i, k, klen);
		char *ve;
		if (want) {
			char *at = NULL;
			if (*p == '"') {
				ve = string_end(p, e, &esc);
				at = p;
			} else if (word_at(p, e, "null", 4)) {
				ve = p + 4;
			} else {
				return NULL; /* another type: cJSON tells */
			}
			if (!ve)
				return NULL;
			for (size_t i = 0; i < w->n; i++)
				if (wants(w, i, k, klen)) {
					w->seen[i] = 1;
					w->at[i] = at;
					w->end[i] = ve;
					w->esc[i] = esc;
				}
		} else {
			ve = value_end(p, e, depth);
			if (!ve)
				return NULL;
		}
		p = ws(ve, e);
		if (p >= e)
			return NULL;
		if (*p == '}')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = ws(p + 1, e);
	}
}

static char *array_end(char *p, const char *e, int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	p = ws(p + 1, e);
	if (p >= e)
		return NULL;
	if (*p == ']')
		return p + 1;
	for (;;) {
		char *ve = value_end(p, e, depth);
		if (!ve)
			return NULL;
		p = ws(ve, e);
		if (p >= e)
			return NULL;
		if (*p == ']')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = ws(p + 1, e);
		if (p >= e)
			return NULL;
	}
}

/* Past the value at p, or NULL. (cJSON looks for null, false and true
 * before anything else; none of them opens another value.) */
static char *value_end(char *p, const char *e, int depth)
{
	int esc;
	switch (*p) {
	case '"':
		return string_end(p, e, &esc);
	case '{':
		return object_end(p, e, depth + 1, NULL);
	case '[':
		return array_end(p, e, depth + 1);
	case 'n':
		return word_at(p, e, "null", 4) ? p + 4 : NULL;
	case 't':
		return word_at(p, e, "true", 4) ? p + 4 : NULL;
	case 'f':
		return word_at(p, e, "false", 5) ? p + 5 : NULL;
	default:
		return number_end(p, e);
	}
}

size_t rp_json_fields(char *line, size_t len, const char *const *names,
		      size_t n, size_t need, rp_jfield *out)
{
	wanted w;
	if (!line || len < 2 || line[0] != '{' || n > MAX_NAMES)
		return 0;
	w.names = names;
	w.n = n;
	for (size_t i = 0; i < n; i++) {
		w.nlen[i] = names[i] ? strlen(names[i]) : 0;
		w.seen[i] = 0;
		w.at[i] = NULL;
	}
	const char *e = line + len;
	char *end = object_end(line, e, 1, &w);
	if (!end || (need < n && !w.at[need]))
		return 0;
	/* Decode each member once (two names may be one member). */
	for (size_t i = 0; i < n; i++) {
		out[i].s = NULL;
		out[i].len = 0;
		if (!w.at[i])
			continue;
		size_t j = 0;
		while (j < i && w.at[j] != w.at[i])
			j++;
		if (j < i) {
			out[i] = out[j];
			continue;
		}
		char *s = w.at[i] + 1, *se = w.end[i] - 1;
		out[i].s = s;
		out[i].len = w.esc[i] ? decode(s, se) : (size_t)(se - s);
	}
	return (size_t)(end - line);
}
