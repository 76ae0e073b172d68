/*
 * boiler.h - what of a news page is not the story: site chrome learned
 * from the collection, datelines, agency credits and trailing notices.
 *
 * Output is, per document, a list of byte ranges of its text to leave out
 * of shingles (signatures, verification and alignment); the text itself is
 * never changed, so reports still point into the original.
 *
 * Invariant: each document's ranges are sorted, disjoint and inside its
 * text.
 */
#ifndef RP_BOILER_H
#define RP_BOILER_H

#include "common.h"
#include "normalize.h"

typedef struct rp_span {
	uint32_t start, end;
} rp_span;

/* One learned chrome line: its outlet, where it first occurs, on how
 * many pages. */
typedef struct rp_boiler_line_info {
	uint32_t outlet;
	uint32_t doc, start, end;
	size_t pages;
} rp_boiler_line_info;

typedef struct rp_boiler {
	rp_span *spans;      /* all documents' excluded ranges */
	size_t *off;         /* document d: spans[off[d] .. off[d+1]) */
	size_t ndocs;
	/* what was learned, for `reprint boilerplate` */
	size_t chrome_lines; /* distinct (outlet, line) pairs taken as chrome */
	size_t docs_stripped;
	size_t bytes_excluded;
	rp_boiler_line_info *lines; /* the chrome lines, by (outlet, hash) */
	size_t nlines, caplines;
} rp_boiler;

typedef struct rp_boiler_doc {
	const char *text;
	size_t len;
	uint32_t outlet;     /* outlet number; UINT32_MAX = none */
} rp_boiler_doc;

/*
 * Learn chrome (lines on at least min_pages pages of one outlet; a page
 * keeps its lines when they would be more than half of it: then it is a
 * repeat of a story, not chrome) and find datelines and credits.
 * chrome: learn site chrome; notices: strip datelines and credits.
 * Lines are hashed on `threads` threads (0 or 1: this one).
 */
RP_INTERNAL int rp_boiler_find(rp_boiler *out, const rp_boiler_doc *docs,
			       size_t ndocs, unsigned min_pages, int chrome,
			       int notices, unsigned threads);
RP_INTERNAL void rp_boiler_free(rp_boiler *b);

/* The leading dateline of a text ("VILNIUS (BNS) - "), as the length of
 * the prefix to leave out, or 0. */
RP_INTERNAL size_t rp_dateline_len(const char *text, size_t len);

/* Is this line (trimmed) a credit or notice ("Reporting by ...",
 * "(c) 2026 ...", "Share this", "Reuter")? */
RP_INTERNAL int rp_is_credit_line(const char *line, size_t len);

#endif
