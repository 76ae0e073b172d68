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
	/* lines on one page only, not kept (under a memory bound) */
	size_t lines_let_go;
} rp_boiler;

typedef struct rp_boiler_doc {
	const char *text;
	size_t len;
	uint32_t outlet;     /* outlet number; UINT32_MAX = none */
	uint64_t salt;       /* rp_outlet_salt of the outlet's name */
	const char *outlet_name;
} rp_boiler_doc;

/* The salt of an outlet's line hashes: the same name salts the same way
 * in every collection, so line counts can be kept (the archive index). */
RP_INTERNAL uint64_t rp_outlet_salt(const char *name);

/*
 * Counts learned elsewhere (an archive) that the pages given to
 * rp_boiler_find add to: a page with counted[d] set is already in them
 * (its lines are not counted again), every other page adds its own.
 * outlet() gives an outlet's pages and the most pages of any of its
 * lines that is not a credit (or any number below 3 when that is below
 * 3: only three pages or more make a template; 0, 0 for an unknown
 * outlet); line() the pages of one line, hashed as rp_page_lines hashes
 * it (salted by the outlet's name, so name may be ignored). Both return
 * RP_OK or a negative status, which rp_boiler_find returns.
 */
typedef struct rp_boiler_prior {
	int (*outlet)(void *ctx, const char *name, size_t *pages, size_t *top);
	int (*line)(void *ctx, const char *name, uint64_t h, size_t *pages);
	const uint8_t *counted;
	void *ctx;
	/* Optional, when the prior counts every page given (counted[d] set
	 * for all): the hashes of every line it counts on two pages or
	 * more, keep[0], keep[stride], ... (nkeep of them); a line not among
	 * them is then on one page, never chrome, and is not kept in the
	 * line table (its bytes are still its page's own). */
	const uint64_t *keep;
	size_t nkeep, stride;
} rp_boiler_prior;

/* One distinct line of a page, as chrome learning counts it. */
typedef struct rp_page_line {
	uint64_t h;          /* XXH3 of the trimmed bytes, salted by outlet */
	uint32_t start, end; /* first occurrence, trimmed */
	uint8_t credit;      /* rp_is_credit_line */
	uint8_t prose;       /* rp_line_is_prose */
} rp_page_line;

/* The distinct non-empty lines of a page, sorted by hash, into *out
 * (grown; *n lines). */
RP_INTERNAL int rp_page_lines(rp_page_line **out, size_t *n, size_t *cap,
			      const char *text, size_t len, uint64_t salt);

/* A line on at most this many pages of an outlet of n pages may be a
 * story the outlet ran again. */
RP_INTERNAL size_t rp_rerun_cap(size_t n);

/* Does an outlet of n pages whose most frequent non-credit line is on
 * top pages have a site template? */
RP_INTERNAL int rp_outlet_templated(size_t n, size_t top);

/* Kind of a line on `pages` pages of a templated outlet of n pages (0
 * text, 1 chrome on every page, 2 chrome unless the page is mostly such
 * lines: a story run again). */
RP_INTERNAL int rp_line_kind(size_t pages, size_t n, unsigned min_pages,
			     int prose);

/*
 * Learn chrome and find datelines and credits (the rules are in the
 * design essay of boiler.c): chrome by layout on every page (layout.c),
 * and, in an outlet that has a site template, every line on min_pages or
 * more of its pages, except the lines of a story the outlet runs again.
 * chrome: learn site chrome; notices: strip datelines and credits.
 * Lines are hashed on `threads` threads (0 or 1: this one). The texts
 * are paced as they are read (rp_corpus_pace: a spool's or borrowed
 * pages let go; pace may be NULL). When pace has a memory bound that a
 * quarter of would not hold every line, only the lines that may be on
 * two pages are kept: the same result in less memory (lines_let_go
 * counts the others). Every line is then written to tf and read back
 * (the texts are read once), or, with tf NULL, the texts are read twice.
 * With pages that hold every page's facts (a reader found them; chrome,
 * notices and no prior), the texts are not read at all; pages is emptied
 * either way. RP_ETEMP when tf cannot be written or read (its why says
 * so).
 */
struct rp_tmpfile;
struct rp_boiler_pages;
RP_INTERNAL int rp_boiler_find(rp_boiler *out, const rp_boiler_doc *docs,
			       size_t ndocs, unsigned min_pages, int chrome,
			       int notices, unsigned threads,
			       const rp_boiler_prior *prior,
			       const struct rp_corpus *pace,
			       struct rp_tmpfile *tf,
			       struct rp_boiler_pages *pages);
RP_INTERNAL void rp_boiler_free(rp_boiler *b);

/* Give back to each document d with mark[d] == value everything that was
 * left out of it (a text that its chrome, dateline and credits covered
 * whole): its ranges are removed and the counters adjusted. */
RP_INTERNAL void rp_boiler_keep_whole(rp_boiler *b, const uint8_t *mark,
				      uint8_t value);

/* The leading dateline of a text ("VILNIUS (BNS) - "), as the length of
 * the prefix to leave out, or 0. */
RP_INTERNAL size_t rp_dateline_len(const char *text, size_t len);

/* Is this line (trimmed) a credit or notice ("Reporting by ...",
 * "(c) 2026 ...", "Share this", "Reuter")? */
RP_INTERNAL int rp_is_credit_line(const char *line, size_t len);

/* A non-blank line of a page as rp_layout_spans found it. */
typedef struct rp_layout_line {
	uint32_t a, b;    /* trimmed bytes */
	uint8_t words;    /* words, counted up to a paragraph's (layout.c) */
	uint8_t chrome;
	uint8_t wrapped;  /* part of a hard-wrapped paragraph */
	uint8_t after_blank; /* a blank line between it and the line before */
} rp_layout_line;

/* Per-thread scratch of rp_layout_spans; zero-initialise, free lines.
 * After a call, lines[0 .. nlines) are the text's non-blank lines in
 * order, trimmed of spaces (' ' and \t \n \v \f \r) at both ends. */
typedef struct rp_layout_scratch {
	rp_layout_line *lines;
	size_t cap, nlines;
} rp_layout_scratch;

/*
 * Append to *sp the lines of text that are chrome by their layout alone
 * (layout: sidebar items, list headings and their items, link lines,
 * navigation bars, share, newsletter, cookie and footer lines; layout.c)
 * and, with notices, the credit and notice lines (rp_is_credit_line)
 * wherever they stand. Spans are whole trimmed lines in text order.
 */
RP_INTERNAL int rp_layout_spans(rp_span **sp, size_t *nsp, size_t *capsp,
				const char *text, size_t len, int layout,
				int notices, rp_layout_scratch *sc);

/*
 * What chrome learning needs of one page, found while a reader has its
 * text at hand: its layout spans (rp_layout_spans, with notices), its
 * dateline, and, on a page of an outlet, the hash of each line. Learning
 * then does not read every text again (at 10M documents a pass over a
 * 41 GB spool, bound by the disk). rp_page_facts_find appends a page's to
 * a thread's buffer; rp_boiler_pages keeps a collection's, page by page,
 * for rp_boiler_find.
 */
typedef struct rp_page_key {
	uint64_t key;          /* XXH3 of the trimmed line, salted by outlet */
	uint32_t a, b;         /* its trimmed bytes */
} rp_page_key;

typedef struct rp_page_facts_buf {
	rp_span *sp;
	size_t nsp, capsp;
	rp_page_key *keys;
	size_t nkeys, capkeys;
	rp_layout_scratch ls;
} rp_page_facts_buf;

typedef struct rp_page_facts {
	size_t sp0, nsp;       /* layout spans: buf->sp[sp0 .. sp0 + nsp) */
	size_t key0, nkeys;    /* lines: buf->keys[key0 .. key0 + nkeys) */
	uint32_t dateline;     /* rp_dateline_len */
	uint8_t found;         /* the fields above are set */
} rp_page_facts;

/* The facts of text into b and *f; outlet (outlet_len bytes, no NUL) is
 * the page's outlet's name, or NULL for a page without one (no lines
 * hashed). RP_ENOMEM leaves f->found 0. */
RP_INTERNAL int rp_page_facts_find(rp_page_facts_buf *b, rp_page_facts *f,
				   const char *text, size_t len,
				   const char *outlet, size_t outlet_len);
RP_INTERNAL void rp_page_facts_buf_reset(rp_page_facts_buf *b);
RP_INTERNAL void rp_page_facts_buf_free(rp_page_facts_buf *b);

/* A collection's page facts, page 0, 1, ... as they are added. Lines are
 * kept in memory up to a quarter of the corpus's memory bound (as the
 * line table would take them), then written to its temporary file. */
struct rp_line_rec;
struct rp_line_chunk;
typedef struct rp_boiler_pages {
	int on;                /* pages are being kept (all so far) */
	size_t ndocs;
	rp_span *lsp;          /* page d: lsp[loff[d] .. loff[d + 1]) */
	size_t nlsp, caplsp;
	size_t *loff, caploff;
	uint32_t *dateline;
	size_t capdl;
	struct rp_line_rec *rec; /* lines held */
	size_t nrec, caprec;
	struct rp_line_chunk *ch; /* lines written to tf */
	size_t nch, capch;
	size_t nlines;         /* lines in all */
	struct rp_tmpfile *tf;
} rp_boiler_pages;

/* Page p->ndocs's facts (f, in b) kept; its lines only when outlet.
 * RP_ENOMEM, or RP_ETEMP when the temporary file could not be written
 * (c's error says why). */
struct rp_corpus;
RP_INTERNAL int rp_boiler_pages_add(rp_boiler_pages *p, struct rp_corpus *c,
				    const rp_page_facts_buf *b,
				    const rp_page_facts *f, int outlet);
RP_INTERNAL void rp_boiler_pages_free(rp_boiler_pages *p);

/* Does the line read as prose (it ends a sentence, or has more than 15
 * words), not as a headline, a label or a list item? */
RP_INTERNAL int rp_line_is_prose(const char *line, size_t len);

/* Is the line a relative time on its own ("3 days ago", "vor 2 Stunden",
 * "prieš 3 dienas", "il y a 5 jours", "hace 2 horas", "3 дня назад")? */
RP_INTERNAL int rp_is_relative_time(const char *line, size_t len);
/* A line that is a page's publication time ("Updated 09:27, 01/01/2026",
 * "Published: 04.07.2024 9:30 pm"): layout chrome. */
RP_INTERNAL int rp_is_timestamp_line(const char *line, size_t len);

#endif
