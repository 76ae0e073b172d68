/*
 * boiler.c - site chrome, datelines and credits (see boiler.h).
 *
 * Design. A news site wraps every story in the same chrome: "Share",
 * "Related Post", a "Recent Posts" list of its other headlines with their
 * teasers and "3 days ago". The same story on two sites comes in two
 * chromes (which lowers its Jaccard: a 350-word story with 180 words of
 * chrome on each page scores 0.49), and two stories on one site share
 * chrome (which raises theirs). So chrome is learned from the collection:
 * a line (trimmed bytes) that recurs on at least `min_pages` pages of the
 * same outlet is chrome for that outlet. Lines are hashed as raw bytes,
 * which costs a pass at memory speed, and counted by sorting (outlet, line
 * hash, page) keys.
 *
 * Recurrence is evidence of chrome only where the outlet has a site
 * template: some line (not a credit) on half of its pages or more, three
 * at least, as a site's header, navigation or footer always is. A wire
 * archive with no chrome (Reuters-21578: no such line) repeats stories
 * and formulas ("Pay March 31", "Terms were not disclosed."), and taking
 * those for chrome would make different notices identical; such an outlet
 * learns nothing, and its pages lose only datelines and credits.
 *
 * In an outlet with a template every line on min_pages (2) pages or more
 * is chrome, on every page, however short: on a 60-word story a sidebar
 * of 200 words is most of the page, and a page-share guard (the earlier
 * rule) kept it there, pairing every two stories of one crawl session.
 * One exception keeps a story the outlet runs again (an update, a
 * correction, three runs) as text: a recurring line on at most
 * max(3, 5%) of the outlet's pages that reads as prose (ends a sentence
 * or has more than 15 words; a sidebar is headlines) stays text on a page
 * where such lines outweigh the page's own lines, because there the
 * recurring block is the page's body. Chrome found by layout (layout.c)
 * comes first, on every page, so that a page's own lines are counted
 * without it.
 *
 * Datelines ("VILNIUS (BNS) - ", "WASHINGTON, Nov 28 (Reuters) - ",
 * "(AP) — ") and trailing credits or notices ("Reporting by ...",
 * "(c) 2026 ...", "Share this", Reuters' closing "Reuter") are found by
 * small rules that cover the agency conventions of several languages.
 */
#include "boiler.h"

#include <strings.h>

#include "normalize.h"
#include "sort.h"
#include "corpus.h"
#include "spool.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

void rp_boiler_free(rp_boiler *b)
{
	if (!b)
		return;
	free(b->spans);
	free(b->off);
	free(b->lines);
	memset(b, 0, sizeof(*b));
}

void rp_boiler_keep_whole(rp_boiler *b, const uint8_t *mark, uint8_t value)
{
	if (!b->off)
		return;
	size_t w = 0;
	for (size_t d = 0; d < b->ndocs; d++) {
		size_t from = b->off[d], to = b->off[d + 1];
		b->off[d] = w;
		if (mark[d] == value && to > from) {
			for (size_t s = from; s < to; s++)
				b->bytes_excluded -= b->spans[s].end - b->spans[s].start;
			b->docs_stripped--;
			continue;
		}
		for (size_t s = from; s < to; s++)
			b->spans[w++] = b->spans[s];
	}
	b->off[b->ndocs] = w;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

/* A dash that separates a dateline from the story, at s[i]: returns its
 * length in bytes (with the spaces around it) or 0. */
static size_t dash_at(const char *s, size_t len, size_t i)
{
	static const char *dashes[] = { " -- ", " - ", " \xe2\x80\x93 ",
					" \xe2\x80\x94 ", "\xe2\x80\x94",
					"\xe2\x80\x93" };
	for (size_t k = 0; k < sizeof(dashes) / sizeof(dashes[0]); k++) {
		size_t n = strlen(dashes[k]);
		if (i + n <= len && memcmp(s + i, dashes[k], n) == 0) {
			while (i + n < len && s[i + n] == ' ')
				n++;
			return n;
		}
	}
	return 0;
}

/* Does the text start with a word that has a lower-case letter? */
static int sentence_follows(const char *s, size_t n)
{
	for (size_t i = 0; i < n && !is_space((unsigned char)s[i]); i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

size_t rp_dateline_len(const char *s, size_t len)
{
	size_t lim = RP_MIN(len, (size_t)120), i = 0;
	while (i < lim && is_space((unsigned char)s[i]))
		i++;
	size_t start = i;
	/* The first word: all capitals (2+ letters), or an opening "(". */
	int caps = 0, lower = 0;
	size_t w = i;
	while (w < lim && !is_space((unsigned char)s[w]) && s[w] != ',' && s[w] != '(') {
		unsigned char c = (unsigned char)s[w];
		caps += (c >= 'A' && c <= 'Z') || c >= 0x80;
		lower += c >= 'a' && c <= 'z';
		w++;
	}
	if (!(s[start] == '(' || (caps >= 2 && lower == 0)))
		return 0;
	int words = 0, in_word = 0, paren = 0;
	for (; i < lim; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			return 0;
		size_t d = dash_at(s, len, i);
		/* A dash inside the prefix's parentheses ("(BNS-Lithuania)")
		 * is not the separator. */
		if (d && !paren && i > start) {
			/* Before it: "... (Agency)" or words in capitals. */
			size_t e = i;
			while (e > start && s[e - 1] == ' ')
				e--;
			int agency = s[e - 1] == ')';
			if (agency)
				return i + d;
			/* Without an agency, capitals before a dash are a
			 * place only when a sentence follows ("BERLIN --
			 * Chancellor ..."), not more capitals or figures
			 * ("LONDON METAL INDICATIONS AT 0900 - APR 7"). */
			if (lower == 0 && sentence_follows(s + i + d, len - i - d))
				return i + d;
			return 0;
		}
		if (c == '(')
			paren++;
		else if (c == ')' && paren)
			paren--;
		if (is_space(c)) {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			if (++words > 8)
				return 0;
		}
		if (!paren && c >= 'a' && c <= 'z' && i >= w)
			lower++; /* lower case outside parentheses: a month? */
		if (lower > 3)
			return 0;
	}
	return 0;
}

int rp_is_credit_line(const char *line, size_t len)
{
	static const char *prefixes[] = {
		"reporting by", "additional reporting", "writing by",
		"editing by", "edited by", "compiled by", "(c)", "\xc2\xa9",
		"copyright", "all rights reserved", "share this", "share on",
		"subscribe", "follow us", "read more", "related:", "source:",
		"sources:", "quelle:", "fuente:", "fonte:", "\xc5\xba\x72\xc3\xb3\x64\xc5\x82\x6f:",
		"\xc5\xa1\x61ltinis:", "autor:", "author:", "photo:", "foto:",
		"corrects ", "updates ", "tags:", "advertisement",
		/* republication credits (the story's source varies with
		 * the page, so the line is not learned as chrome) */
		"this article was originally published",
		"this article originally appeared",
		"this article first appeared", "this article is republished",
		"this story was originally published",
		"this story originally appeared", "this story first appeared",
		"republished with permission",
	};
	static const char *whole[] = { "reuter", "reuters", "share", "(ap)",
				       "(afp)", "(dpa)", "(bns)", "(elta)",
				       "(pap)", "(ansa)", "(efe)", "(reuters)" };
	while (len && is_space((unsigned char)*line)) {
		line++;
		len--;
	}
	while (len && is_space((unsigned char)line[len - 1]))
		len--;
	if (len == 0 || len > 200)
		return 0;
	for (size_t k = 0; k < sizeof(whole) / sizeof(whole[0]); k++)
		if (strlen(whole[k]) == len && strncasecmp(line, whole[k], len) == 0)
			return 1;
	/* The prefixes, as they are or inside "(...)" / "[...]". */
	for (int inner = 0; inner < 2; inner++) {
		const char *p = line + inner;
		size_t n = len - (size_t)inner;
		if (inner && !(*line == '(' || *line == '['))
			break;
		/* (the first byte before the call: most lines differ there) */
		unsigned char c0 = (unsigned char)*p;
		if (c0 >= 'A' && c0 <= 'Z')
			c0 = (unsigned char)(c0 | 0x20);
		for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
			if ((unsigned char)prefixes[k][0] != c0)
				continue;
			size_t pl = strlen(prefixes[k]);
			if (n >= pl && strncasecmp(p, prefixes[k], pl) == 0)
				return 1;
		}
	}
	return 0;
}

typedef struct occ {
	uint32_t doc, start, end;
} occ;

static int add_span(rp_span **sp, size_t *n, size_t *cap, size_t start,
		    size_t end)
{
	if (end <= start)
		return RP_OK;
	FORWARD_IF_ERROR(RP_GROW(*sp, *cap, *n + 1));
	(*sp)[(*n)++] = (rp_span){ (uint32_t)start, (uint32_t)end };
	return RP_OK;
}

/* Sort one document's spans and merge overlaps, in place. */
static size_t merge_spans(rp_span *s, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		rp_span v = s[i];
		size_t j = i;
		while (j > 0 && s[j - 1].start > v.start) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = v;
	}
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		if (w && s[i].start <= s[w - 1].end) {
			if (s[i].end > s[w - 1].end)
				s[w - 1].end = s[i].end;
		} else {
			s[w++] = s[i];
		}
	}
	return w;
}

/* Chrome lines by outlet, then most pages first, then first occurrence. */
static int cmp_line(const void *x, const void *y)
{
	const rp_boiler_line_info *a = x, *b = y;
	if (a->outlet != b->outlet)
		return a->outlet < b->outlet ? -1 : 1;
	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	if (a->doc != b->doc)
		return a->doc < b->doc ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* The next non-empty line of t from *i: its trimmed bytes [*a, *b).
 * Returns 0 at the end. */
static int next_line(const char *t, size_t len, size_t *i, size_t *a,
		     size_t *b)
{
	while (*i < len) {
		const char *nl = memchr(t + *i, '\n', len - *i);
		size_t e = nl ? (size_t)(nl - t) : len;
		size_t x = *i, y = e;
		*i = e + 1;
		while (x < y && is_space((unsigned char)t[x]))
			x++;
		while (y > x && is_space((unsigned char)t[y - 1]))
			y--;
		if (y > x) {
			*a = x;
			*b = y;
			return 1;
		}
	}
	return 0;
}

uint64_t rp_outlet_salt(const char *name)
{
	return name ? XXH3_64bits(name, strlen(name)) : 0;
}

static int cmp_page_line(const void *x, const void *y)
{
	const rp_page_line *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

int rp_page_lines(rp_page_line **out, size_t *n, size_t *cap,
		  const char *t, size_t len, uint64_t salt)
{
	size_t i = 0, a, b, first = *n;
	while (next_line(t, len, &i, &a, &b)) {
		FORWARD_IF_ERROR(rp_grow((void **)out, cap, *n + 1, sizeof(**out)));
		(*out)[(*n)++] = (rp_page_line){
			XXH3_64bits_withSeed(t + a, b - a, salt), (uint32_t)a,
			(uint32_t)b, (uint8_t)rp_is_credit_line(t + a, b - a),
			(uint8_t)rp_line_is_prose(t + a, b - a) };
	}
	rp_page_line *p = *out + first;
	size_t m = *n - first, w = 0;
	/* (by hash, then start: no two lines have one start, so any sort
	 * gives this order; a page's few lines by insertion) */
	if (m > 32) {
		qsort(p, m, sizeof(*p), cmp_page_line);
	} else {
		for (size_t i = 1; i < m; i++) {
			rp_page_line x = p[i];
			size_t j = i;
			while (j > 0 && cmp_page_line(&p[j - 1], &x) > 0) {
				p[j] = p[j - 1];
				j--;
			}
			p[j] = x;
		}
	}
	for (size_t k = 0; k < m; k++)
		if (w == 0 || p[k].h != p[w - 1].h)
			p[w++] = p[k];
	*n = first + w;
	return RP_OK;
}

/*
 * Lines that may repeat. A line on one page only is never chrome (that
 * takes min_pages >= 2 pages) and never makes a template (three pages),
 * so a collection whose line table would not fit its memory bound keeps
 * only the lines that may be on two pages: a first sweep sets a line
 * hash's bit in `seen`, and in `twice` when `seen` had it; the second
 * keeps a line only when its `twice` bit is set. A line on two pages
 * always has it; a line on one page has it only when another line's hash
 * fell on the same bit (then it is counted, on one page, as before), so
 * the result is exactly the whole table's. What a dropped line would
 * have added to its page's own bytes (step 3) is summed per page.
 */
typedef struct line_filter {
	uint64_t *bits;        /* word w of seen at 2w, of twice at 2w + 1:
				  one cache line holds both (each line's
				  mark is a miss in tables of megabytes) */
	unsigned shift;        /* bit = hash >> shift */
} line_filter;

#define SEEN(f, h) ((f)->bits[2 * ((h) >> 6)])
#define TWICE(f, h) ((f)->bits[2 * ((h) >> 6) + 1])

/* A line as record mode writes it. */
typedef struct rp_line_rec {
	uint64_t key;
	occ o;
	uint32_t pad;
} line_rec;

/* A line table entry's value: the page (doc) of occurrence x in its high
 * half, x (its index into the occurrences) in its low, so that counting
 * a line's pages reads its entries in order, not its occurrences at
 * random (the learning below runs on one thread; the occurrences' loads
 * were most of its time on news 100k). */
#define OCC_VAL(doc, x) ((uint64_t)(doc) << 32 | (uint64_t)(x))
#define OCC_DOC(v) ((uint32_t)((v) >> 32))
#define OCC_AT(v) ((size_t)(uint32_t)(v))

typedef struct rp_line_chunk {
	uint64_t off;
	size_t n;
} line_chunk;

/* Records a chunk holds (1.5 MB). */
enum { LINE_CHUNK = 1 << 16 };

/* Bytes per line of the whole table at its peak (keys and occurrences,
 * then the sorted pairs, their scratch, counts and kinds). */
#define LINE_TABLE_BYTES (2 * sizeof(rp_kv) + 2 * sizeof(occ) + \
			  sizeof(size_t) + 1)

/* Line hashes of pages [from, to) (pages with an outlet), and the layout
 * chrome of every page in it. With a filter, mark: only set its bits
 * (the first sweep); otherwise keep only lines whose twice bit is set,
 * and add what the others would have given to own_extra[page]. */
typedef struct line_job {
	const rp_boiler_doc *docs;
	size_t from, to;
	int chrome, notices;
	const line_filter *filter;
	int mark;
	size_t *own_extra;
	size_t let_go;         /* lines the filter did not keep */
	/* Record mode (a filter and tf): in one sweep, mark and write every
	 * line to tf, a chunk at a time; the join keeps those that may
	 * repeat (the texts are read once). */
	struct rp_tmpfile *tf;
	line_rec *rec;
	size_t nrec, caprec;
	line_chunk *ch;
	size_t nch, capch;
	uint64_t *keys;
	occ *occ;
	size_t n, capk, capo;
	rp_span *lsp;          /* layout spans of pages from .. to */
	size_t nlsp, caplsp;
	size_t *loff;          /* page from + i: lsp[loff[i] .. loff[i + 1]) */
	uint32_t *dateline;    /* page from + i: its dateline's length (with
				  notices), found while its text is at hand */
	const rp_corpus *pace;
	int err;
} line_job;

/* A line of hash key seen once more. */
static void mark_line(const line_filter *f, uint64_t key)
{
	uint64_t h = key >> f->shift;
	uint64_t bit = (uint64_t)1 << (h & 63);
	if (__atomic_load_n(&TWICE(f, h), __ATOMIC_RELAXED) & bit)
		return;
	if (__atomic_fetch_or(&SEEN(f, h), bit, __ATOMIC_RELAXED) & bit)
		__atomic_fetch_or(&TWICE(f, h), bit, __ATOMIC_RELAXED);
}

/* Ask for the words of key's bits ahead of mark_line. */
static inline void mark_ahead(const line_filter *f, uint64_t key)
{
	__builtin_prefetch(&SEEN(f, key >> f->shift), 1);
}

/* Records asked for ahead of the one marked or tested: each is a miss
 * in a filter of megabytes, and a sweep over records read back (kept
 * pages', a job's file) has nothing else to do meanwhile (1M bench:
 * two loads were 65% of chrome learning's own samples). */
#define FILTER_AHEAD 16

/* The marks of records rec[from .. to) (one page's lines, whose words
 * were asked for as they were hashed, or records read back). */
static void mark_records(const line_filter *f, const line_rec *rec,
			 size_t from, size_t to)
{
	for (size_t x = from; x < to; x++) {
		if (x + FILTER_AHEAD < to)
			mark_ahead(f, rec[x + FILTER_AHEAD].key);
		mark_line(f, rec[x].key);
	}
}

/* The first sweep: every line hash of pages [from, to) into the bits. */
static void mark_lines(line_job *j)
{
	rp_text_window win = { 0 };
	for (size_t d = j->from; d < j->to; d++) {
		const rp_boiler_doc *doc = &j->docs[d];
		if (doc->outlet == UINT32_MAX)
			continue;
		const char *t = rp_corpus_text_window(j->pace, doc->text,
						      doc->len, &win);
		if (!t) {
			j->err = RP_ENOMEM;
			break;
		}
		size_t i = 0, a, b;
		while (next_line(t, doc->len, &i, &a, &b))
			mark_line(j->filter,
				  XXH3_64bits_withSeed(t + a, b - a, doc->salt));
	}
	rp_text_window_free(&win);
}

/* Records rec[0 .. *nrec) to tf as chunk *nch of *ch (grown); *nrec
 * back to 0. */
static int put_chunk(struct rp_tmpfile *tf, line_chunk **ch, size_t *nch,
		     size_t *capch, const line_rec *rec, size_t *nrec)
{
	if (!*nrec)
		return RP_OK;
	uint64_t off;
	FORWARD_IF_ERROR(rp_grow((void **)ch, capch, *nch + 1, sizeof(**ch)));
	FORWARD_IF_ERROR(rp_tmpfile_append(tf, rec, *nrec * sizeof(*rec), &off));
	(*ch)[(*nch)++] = (line_chunk){ off, *nrec };
	*nrec = 0;
	return RP_OK;
}

/* Record mode: the records so far to tf as a chunk. */
static int write_records(line_job *j)
{
	return put_chunk(j->tf, &j->ch, &j->nch, &j->capch, j->rec, &j->nrec);
}

/* Is a layout span of lay[0..nlay) at a? (*l: a cursor, lines in order;
 * as step 3 tells a page's own lines.) */
static int layout_at(const rp_span *lay, size_t nlay, size_t *l, size_t a)
{
	while (*l < nlay && lay[*l].start < a)
		(*l)++;
	return *l < nlay && lay[*l].start == a;
}

/* Does the filter say the line of hash key may be on two pages? */
static int may_repeat(const line_filter *f, uint64_t key)
{
	uint64_t h = key >> f->shift;
	return (TWICE(f, h) >> (h & 63)) & 1;
}

static void *line_worker(void *arg)
{
	line_job *j = arg;
	if (j->mark) {
		mark_lines(j);
		return NULL;
	}
	rp_layout_scratch ls = { NULL, 0, 0 };
	j->loff = reallocarray(NULL, j->to - j->from + 1, sizeof(*j->loff));
	j->dateline = calloc(j->to - j->from + 1, sizeof(*j->dateline));
	if (!j->loff || !j->dateline) {
		j->err = RP_ENOMEM;
		return NULL;
	}
	rp_text_window win = { 0 };
	for (size_t d = j->from; d < j->to; d++) {
		const rp_boiler_doc *doc = &j->docs[d];
		/* (in file order, a window at a time: rp_corpus_text_window) */
		const char *t = rp_corpus_text_window(j->pace, doc->text,
						      doc->len, &win);
		if (!t) {
			j->err = RP_ENOMEM;
			break;
		}
		j->loff[d - j->from] = j->nlsp;
		if ((j->chrome || j->notices) &&
		    rp_layout_spans(&j->lsp, &j->nlsp, &j->caplsp, t, doc->len,
				    j->chrome, j->notices, &ls) < 0) {
			j->err = RP_ENOMEM;
			break;
		}
		if (j->notices)
			j->dateline[d - j->from] =
				(uint32_t)rp_dateline_len(t, doc->len);
		if (!j->chrome || doc->outlet == UINT32_MAX)
			continue;
		size_t nlay = j->nlsp - j->loff[d - j->from], l = 0;
		const rp_span *lay = nlay ? j->lsp + j->loff[d - j->from] : NULL;
		size_t r0 = j->nrec; /* (record mode: this page's records) */
		/* The page's lines as the layout pass above found them (the
		 * same trimmed lines next_line gives: no second scan). */
		for (size_t x = 0; x < ls.nlines; x++) {
			size_t a = ls.lines[x].a, b = ls.lines[x].b;
			uint64_t key = XXH3_64bits_withSeed(t + a, b - a, doc->salt);
			if (j->tf) {
				/* marked at the page's end, the words asked
				 * for now: the misses overlap */
				mark_ahead(j->filter, key);
				int e = RP_OK;
				if (j->nrec == LINE_CHUNK) {
					mark_records(j->filter, j->rec, r0, j->nrec);
					e = write_records(j);
					r0 = 0;
				}
				if (e == RP_OK &&
				    RP_GROW(j->rec, j->caprec, j->nrec + 1) < 0)
					e = RP_ENOMEM;
				if (e < 0) {
					j->err = e;
					free(ls.lines);
					rp_text_window_free(&win);
					return NULL;
				}
				j->rec[j->nrec++] = (line_rec){
					key, { (uint32_t)d, (uint32_t)a, (uint32_t)b }, 0 };
				continue;
			}
			if (j->filter && !may_repeat(j->filter, key)) {
				if (!layout_at(lay, nlay, &l, a))
					j->own_extra[d] += b - a;
				j->let_go++;
				continue;
			}
			if (RP_GROW(j->keys, j->capk, j->n + 1) < 0 ||
			    RP_GROW(j->occ, j->capo, j->n + 1) < 0) {
				j->err = RP_ENOMEM;
				free(ls.lines);
				rp_text_window_free(&win);
				return NULL;
			}
			j->keys[j->n] = key;
			j->occ[j->n++] = (occ){ (uint32_t)d, (uint32_t)a, (uint32_t)b };
		}
		if (j->tf)
			mark_records(j->filter, j->rec, r0, j->nrec);
	}
	j->loff[j->to - j->from] = j->nlsp;
	if (j->tf && j->err == RP_OK)
		j->err = write_records(j);
	free(ls.lines);
	rp_text_window_free(&win);
	return NULL;
}

/* Kinds of a learned line (is_chrome[] values). */
enum { LINE_TEXT = 0, LINE_FIRM = 1, LINE_SOFT = 2 };

/* A line on at most this many pages of an outlet of n pages may be a
 * story the outlet ran again (an update, a correction, three runs). */
size_t rp_rerun_cap(size_t n)
{
	return RP_MAX((size_t)3, n / 20);
}

int rp_outlet_templated(size_t n, size_t top)
{
	return top >= 3 && 2 * top >= n;
}

int rp_line_kind(size_t pages, size_t n, unsigned min_pages, int prose)
{
	if (pages < RP_MAX(min_pages, 2u))
		return LINE_TEXT;
	/* Only prose can be a story run again: lines of headlines (a
	 * sidebar a crawl session put on a few pages) are chrome however
	 * few their pages. */
	return pages > rp_rerun_cap(n) || !prose ? LINE_FIRM : LINE_SOFT;
}

/* Lines of pages with an outlet, estimated from 16 runs of 64 pages
 * spread over the collection (runs, not single pages: each page touched
 * maps the file's pages around it). */
static size_t estimate_lines(const rp_boiler_doc *docs, size_t nd,
			     const rp_corpus *pace)
{
	size_t lines = 0, seen = 0, paced = 0;
	for (size_t r = 0; r < 16; r++) {
		size_t from = nd * r / 16, to = RP_MIN(nd, from + 64);
		for (size_t d = from; d < to; d++, seen++) {
			if (docs[d].outlet == UINT32_MAX)
				continue;
			rp_corpus_pace(pace, &paced, docs[d].len);
			size_t i = 0, a, b;
			while (next_line(docs[d].text, docs[d].len, &i, &a, &b))
				lines++;
		}
	}
	return seen ? (size_t)((double)lines * (double)nd / (double)seen) : 0;
}

/* A filter for about `lines` lines (four bits a line: a line on one page
 * is kept when one of about a quarter of the others shares its bit). */
static int filter_init(line_filter *f, size_t lines)
{
	unsigned log2 = 12;
	while (log2 < 40 && ((uint64_t)1 << log2) < (uint64_t)lines * 4)
		log2++;
	size_t words = ((size_t)1 << log2) / 64;
	f->shift = 64 - log2;
	f->bits = calloc(2 * words, sizeof(*f->bits));
	return f->bits ? RP_OK : RP_ENOMEM;
}

/* Record mode's join: job j's records read back in order, those that
 * may repeat appended to *kv and *oc (*nkv of them), the others let go
 * as the worker lets them go; each chunk's disk space given back. */
static int join_records(line_job *j, rp_kv **kv, size_t *capkv, occ **oc,
			size_t *capoc, size_t *nkv, line_rec **buf,
			size_t *capbuf)
{
	size_t d = SIZE_MAX, l = 0, nlay = 0;
	const rp_span *lay = NULL;
	for (size_t c = 0; c < j->nch; c++) {
		const line_chunk *ch = &j->ch[c];
		FORWARD_IF_ERROR(rp_grow((void **)buf, capbuf, ch->n, sizeof(**buf)));
		FORWARD_IF_ERROR(rp_grow((void **)kv, capkv, *nkv + ch->n + 1,
					 sizeof(**kv)));
		FORWARD_IF_ERROR(rp_grow((void **)oc, capoc, *nkv + ch->n + 1,
					 sizeof(**oc)));
		FORWARD_IF_ERROR(rp_tmpfile_read(j->tf, *buf, ch->n * sizeof(**buf),
						 ch->off));
		for (size_t x = 0; x < ch->n; x++) {
			const line_rec *r = &(*buf)[x];
			if (x + FILTER_AHEAD < ch->n)
				mark_ahead(j->filter, r[FILTER_AHEAD].key);
			if (may_repeat(j->filter, r->key)) {
				(*kv)[*nkv] = (rp_kv){ r->key,
						       OCC_VAL(r->o.doc, *nkv) };
				(*oc)[(*nkv)++] = r->o;
				continue;
			}
			if (r->o.doc != d) {
				d = r->o.doc;
				l = 0;
				nlay = j->loff[d - j->from + 1] - j->loff[d - j->from];
				lay = nlay ? j->lsp + j->loff[d - j->from] : NULL;
			}
			if (!layout_at(lay, nlay, &l, r->o.start))
				j->own_extra[d] += r->o.end - r->o.start;
			j->let_go++;
		}
		rp_tmpfile_discard(j->tf, ch->off, ch->n * sizeof(**buf));
	}
	return RP_OK;
}

void rp_page_facts_buf_reset(rp_page_facts_buf *b)
{
	b->nsp = b->nkeys = 0;
}

void rp_page_facts_buf_free(rp_page_facts_buf *b)
{
	free(b->sp);
	free(b->keys);
	free(b->ls.lines);
	memset(b, 0, sizeof(*b));
}

int rp_page_facts_find(rp_page_facts_buf *b, rp_page_facts *f, const char *t,
		       size_t len, const char *outlet, size_t outlet_len)
{
	memset(f, 0, sizeof(*f));
	f->sp0 = b->nsp;
	f->key0 = b->nkeys;
	/* As line_worker finds them: layout and notices, then the lines
	 * the layout pass found, salted as rp_outlet_salt salts. */
	FORWARD_IF_ERROR(rp_layout_spans(&b->sp, &b->nsp, &b->capsp, t, len,
					 1, 1, &b->ls));
	if (outlet) {
		uint64_t salt = XXH3_64bits(outlet, outlet_len);
		FORWARD_IF_ERROR(RP_GROW(b->keys, b->capkeys,
					 b->nkeys + b->ls.nlines + 1));
		for (size_t x = 0; x < b->ls.nlines; x++) {
			uint32_t a = b->ls.lines[x].a, e = b->ls.lines[x].b;
			b->keys[b->nkeys++] = (rp_page_key){
				XXH3_64bits_withSeed(t + a, e - a, salt), a, e };
		}
	}
	f->nsp = b->nsp - f->sp0;
	f->nkeys = b->nkeys - f->key0;
	f->dateline = (uint32_t)rp_dateline_len(t, len);
	f->found = 1;
	return RP_OK;
}

void rp_boiler_pages_free(rp_boiler_pages *p)
{
	if (!p)
		return;
	free(p->lsp);
	free(p->loff);
	free(p->dateline);
	free(p->rec);
	free(p->ch);
	/* (the chunks' disk space is the corpus's temporary file's) */
	memset(p, 0, sizeof(*p));
}

/* The lines held to the temporary file, as one chunk. */
static int pages_spill(rp_boiler_pages *p, rp_corpus *c)
{
	if (!p->nrec)
		return RP_OK;
	if (!p->tf)
		FORWARD_IF_ERROR(rp_corpus_tmpfile(c, &p->tf));
	return rp_corpus_temp_error(c, put_chunk(p->tf, &p->ch, &p->nch,
						 &p->capch, p->rec, &p->nrec));
}

/* Lines the line table takes in a quarter of c's memory bound: above
 * that rp_boiler_find keeps only the lines that may repeat. */
static size_t table_lines(const rp_corpus *c)
{
	return c && c->memory ? c->memory / 4 / LINE_TABLE_BYTES : SIZE_MAX;
}

int rp_boiler_pages_add(rp_boiler_pages *p, rp_corpus *c,
			const rp_page_facts_buf *b, const rp_page_facts *f,
			int outlet)
{
	size_t d = p->ndocs;
	FORWARD_IF_ERROR(RP_GROW(p->loff, p->caploff, d + 2));
	FORWARD_IF_ERROR(RP_GROW(p->dateline, p->capdl, d + 1));
	FORWARD_IF_ERROR(RP_GROW(p->lsp, p->caplsp, p->nlsp + f->nsp + 1));
	if (!d)
		p->loff[0] = 0;
	if (f->nsp) /* (b->sp may be NULL) */
		memcpy(p->lsp + p->nlsp, b->sp + f->sp0,
		       f->nsp * sizeof(*p->lsp));
	p->nlsp += f->nsp;
	p->loff[d + 1] = p->nlsp;
	p->dateline[d] = f->dateline;
	p->ndocs++;
	size_t table = table_lines(c);
	if (outlet && f->nkeys && !p->caprec && table < SIZE_MAX / 2) {
		/* Room for the whole table at once: held lines never pass
		 * it (then they go to the file). Grown by doubling, each step
		 * copied the records into fresh pages (1M bench: a third of
		 * the adding thread's samples, page zeroing); what is not
		 * filled is never touched. */
		p->rec = malloc((table + 1) * sizeof(*p->rec));
		RETURN_ERROR_IF(!p->rec, RP_ENOMEM);
		p->caprec = table + 1;
	}
	for (size_t x = 0; outlet && x < f->nkeys; x++) {
		/* Past the table's lines, held lines go to the file a chunk
		 * at a time. */
		if (p->nlines >= table &&
		    p->nrec >= RP_MIN((size_t)LINE_CHUNK, table))
			FORWARD_IF_ERROR(pages_spill(p, c));
		FORWARD_IF_ERROR(RP_GROW(p->rec, p->caprec, p->nrec + 1));
		const rp_page_key *k = &b->keys[f->key0 + x];
		p->rec[p->nrec++] = (line_rec){ k->key, { (uint32_t)d, k->a, k->b },
						0 };
		p->nlines++;
	}
	return RP_OK;
}

/* rp_boiler_find's step 1 from kept pages: jobs[0] takes every page's
 * layout spans and datelines, and its lines, held (the whole table) or
 * in the temporary file (marked in filt first, as the record sweep marks,
 * then joined like a job's records). */
static int take_pages(line_job *j, rp_boiler_pages *p, const rp_boiler_doc *docs,
		      size_t nd, const rp_corpus *pace, line_filter *filt,
		      size_t **own_extra)
{
	rp_corpus *c = (rp_corpus *)pace;
	memset(j, 0, sizeof(*j));
	j->docs = docs;
	j->from = 0;
	j->to = nd;
	j->chrome = j->notices = 1;
	j->pace = pace;
	j->lsp = p->lsp;
	j->nlsp = p->nlsp;
	j->caplsp = p->caplsp;
	j->loff = p->loff;
	j->dateline = p->dateline;
	p->lsp = NULL;
	p->loff = NULL;
	p->dateline = NULL;
	if (!p->nch) {
		/* (the held lines, read by the join as a job's records) */
		j->rec = p->rec;
		j->nrec = p->nrec;
		j->caprec = p->caprec;
		p->rec = NULL;
		return RP_OK;
	}
	FORWARD_IF_ERROR(pages_spill(p, c));
	*own_extra = calloc(nd, sizeof(**own_extra));
	RETURN_ERROR_IF(!*own_extra, RP_ENOMEM);
	FORWARD_IF_ERROR(filter_init(filt, p->nlines));
	/* The chunks are read back into the held lines' array (as large as
	 * the largest chunk, its pages already faulted in), which then
	 * goes with the job for the join to read them into again. */
	j->rec = p->rec;
	j->caprec = p->caprec;
	j->nrec = 0;
	p->rec = NULL;
	p->caprec = 0;
	for (size_t k = 0; k < p->nch; k++) {
		FORWARD_IF_ERROR(rp_grow((void **)&j->rec, &j->caprec,
					 p->ch[k].n, sizeof(*j->rec)));
		FORWARD_IF_ERROR(rp_corpus_temp_error(
			c, rp_tmpfile_read(p->tf, j->rec,
					   p->ch[k].n * sizeof(*j->rec),
					   p->ch[k].off)));
		mark_records(filt, j->rec, 0, p->ch[k].n);
	}
	j->filter = filt;
	j->own_extra = *own_extra;
	j->tf = p->tf;
	j->ch = p->ch;
	j->nch = p->nch;
	j->capch = p->capch;
	p->ch = NULL;
	return RP_OK;
}

int rp_boiler_find(rp_boiler *out, const rp_boiler_doc *docs, size_t nd,
		   unsigned min_pages, int chrome, int notices, unsigned threads,
		   const rp_boiler_prior *prior, const rp_corpus *pace,
		   struct rp_tmpfile *tf, rp_boiler_pages *pages)
{
	int err = RP_OK;
	rp_kv *kv = NULL, *tmp = NULL;
	occ *oc = NULL;
	size_t nkv = 0, capkv = 0, capoc = 0;
	uint8_t *is_chrome = NULL, *templated = NULL;
	size_t *soft_bytes = NULL, *opages = NULL, *total = NULL, *ptop = NULL;
	rp_span *sp = NULL;
	size_t nsp = 0, capsp = 0;
	line_job jobs[RP_MAX_THREADS];
	unsigned nt = 0;
	line_filter filt = { NULL, 0 };
	size_t *own_extra = NULL;
	char *reused = NULL; /* a job's records: tmp, then total */
	line_rec *rbuf = NULL; /* the join's, read back from the file */
	size_t caprbuf = 0;

	memset(out, 0, sizeof(*out));
	out->ndocs = nd;
	out->off = calloc(nd + 1, sizeof(*out->off));
	GOTO_IF(!out->off, RP_ENOMEM);
	if (min_pages < 2)
		min_pages = 2;
	if (nd && pages && pages->on && pages->ndocs == nd && chrome &&
	    notices && !prior) {
		/* Every page's facts are at hand: no text is read. */
		nt = 1;
		err = take_pages(&jobs[0], pages, docs, nd, pace, &filt,
				 &own_extra);
		rp_boiler_pages_free(pages);
		GOTO_IF_ERROR(err);
		goto join;
	}
	rp_boiler_pages_free(pages);

	/* 1. Every line of every page of an outlet, keyed by (outlet, bytes),
	 * and the layout chrome of every page, on `threads` threads over
	 * contiguous ranges of pages, then joined in page order. Under a
	 * memory bound that a quarter of would not hold the whole table,
	 * only the lines that may repeat (line_filter); not with a prior,
	 * whose counts make a line on one page here chrome. */
	if (nd) {
		size_t est = chrome && !prior && pace && pace->memory
				     ? estimate_lines(docs, nd, pace)
				     : 0;
		int filtered = est && est > pace->memory / 4 / LINE_TABLE_BYTES;
		/* A prior that counts every page and names the lines it counts
		 * twice or more: only those (and the few that share a bit
		 * with one) are kept; no sweep to mark. */
		int known = !filtered && chrome && prior && prior->keep &&
			    prior->stride;
		for (size_t d = 0; known && d < nd; d++)
			known = prior->counted[d] != 0;
		if (filtered || known) {
			own_extra = calloc(nd, sizeof(*own_extra));
			GOTO_IF(!own_extra, RP_ENOMEM);
			/* (sixteen bits a known line: about one line in
			 * sixteen on one page kept with them) */
			GOTO_IF_ERROR(filter_init(&filt, filtered ? est
								  : 4 * prior->nkeep));
		}
		for (size_t k = 0; known && k < prior->nkeep; k++) {
			uint64_t h = prior->keep[k * prior->stride] >> filt.shift;
			TWICE(&filt, h) |= (uint64_t)1 << (h & 63);
		}
		nt = threads ? RP_MIN(threads, (unsigned)RP_MAX_THREADS) : 1;
		if (nt > nd)
			nt = (unsigned)nd;
		/* With a temporary file, the lines are written there in the
		 * one sweep (record mode); without, the texts are read twice. */
		for (int mark = filtered && !tf; mark >= 0; mark--) {
			for (unsigned t = 0; t < nt; t++) {
				memset(&jobs[t], 0, sizeof(jobs[t]));
				jobs[t].docs = docs;
				jobs[t].chrome = chrome;
				jobs[t].notices = notices;
				jobs[t].from = nd * t / nt;
				jobs[t].to = nd * (t + 1) / nt;
				jobs[t].pace = pace;
				jobs[t].filter = filtered || known ? &filt : NULL;
				jobs[t].mark = mark;
				jobs[t].own_extra = own_extra;
				jobs[t].tf = filtered ? tf : NULL;
			}
			rp_run_jobs(line_worker, jobs, sizeof(jobs[0]), nt);
			/* (a failed marking sweep is not swept again) */
			for (unsigned t = 0; mark && t < nt; t++)
				if (jobs[t].err < 0)
					err = jobs[t].err;
			if (err < 0)
				break;
		}
		for (unsigned t = 0; t < nt; t++)
			if (jobs[t].err < 0)
				err = jobs[t].err;
	}
join:
	if (nd) {
		for (unsigned t = 0; t < nt && err == RP_OK; t++) {
			/* A job whose lines are all in the file: its records'
			 * array (faulted in) for reading them back. */
			if (jobs[t].tf && !jobs[t].nrec && jobs[t].caprec > caprbuf) {
				free(rbuf);
				rbuf = jobs[t].rec;
				caprbuf = jobs[t].caprec;
				jobs[t].rec = NULL;
				jobs[t].caprec = 0;
			}
			err = RP_GROW(kv, capkv, nkv + jobs[t].n + 1);
			if (err == RP_OK)
				err = RP_GROW(oc, capoc, nkv + jobs[t].n + 1);
			for (size_t x = 0; err == RP_OK && x < jobs[t].n; x++) {
				kv[nkv + x] = (rp_kv){ jobs[t].keys[x],
						       OCC_VAL(jobs[t].occ[x].doc,
							       nkv + x) };
				oc[nkv + x] = jobs[t].occ[x];
			}
			nkv += jobs[t].n;
			/* (kept pages' lines held: the whole table) */
			if (err == RP_OK && !jobs[t].tf && jobs[t].nrec) {
				err = RP_GROW(kv, capkv, nkv + jobs[t].nrec + 1);
				if (err == RP_OK)
					err = RP_GROW(oc, capoc, nkv + jobs[t].nrec + 1);
				for (size_t x = 0; err == RP_OK && x < jobs[t].nrec;
				     x++, nkv++) {
					const line_rec *r = &jobs[t].rec[x];
					kv[nkv] = (rp_kv){ r->key,
							   OCC_VAL(r->o.doc, nkv) };
					oc[nkv] = r->o;
				}
			}
			if (err == RP_OK && jobs[t].tf)
				err = join_records(&jobs[t], &kv, &capkv, &oc, &capoc,
						   &nkv, &rbuf, &caprbuf);
			out->lines_let_go += jobs[t].let_go;
			free(jobs[t].keys);
			free(jobs[t].occ);
			jobs[t].keys = NULL;
			jobs[t].occ = NULL;
		}
		free(filt.bits);
		filt.bits = NULL;
		GOTO_IF_ERROR(err);
		/* (an entry's value holds an occurrence's index in 32 bits) */
		GOTO_IF(nkv > UINT32_MAX, RP_ELIMIT);
	}

	/* 2. Pages per outlet; which outlets have a site template (a line,
	 * not a credit, on half or more of their pages, three at least);
	 * in those, lines on min_pages pages or more. With a prior, the
	 * counts are its counts plus the pages it has not counted. */
	is_chrome = calloc(nkv + 1, 1);
	soft_bytes = calloc(nd + 1, sizeof(*soft_bytes));
	opages = calloc(nd + 1, sizeof(*opages));
	ptop = calloc(nd + 1, sizeof(*ptop));
	templated = calloc(nd + 1, 1);
	/* The sort's scratch and the lines' counts (24 bytes a line) in the
	 * records a job held, copied into kv and oc above (24 bytes a line):
	 * memory already faulted in, where two fresh arrays were zeroed by
	 * the kernel a page at a time (news 100k: 0.17 of the 0.27 s this
	 * step takes on one thread). */
	_Static_assert(sizeof(line_rec) >= sizeof(*tmp) + sizeof(*total),
		       "a line record holds a line's scratch and count");
	if (rbuf && caprbuf >= nkv + 1) {
		reused = (char *)rbuf;
		rbuf = NULL;
	}
	for (unsigned t = 0; t < nt && !reused; t++)
		if (jobs[t].rec && jobs[t].caprec >= nkv + 1) {
			reused = (char *)jobs[t].rec;
			jobs[t].rec = NULL;
		}
	free(rbuf);
	rbuf = NULL;
	if (reused) {
		tmp = (rp_kv *)reused;
		total = (size_t *)(reused + (nkv + 1) * sizeof(*tmp));
	} else {
		tmp = reallocarray(NULL, nkv + 1, sizeof(*tmp));
		total = reallocarray(NULL, nkv + 1, sizeof(*total));
	}
	GOTO_IF(!is_chrome || !soft_bytes || !opages || !ptop || !total ||
			!templated || !tmp,
		RP_ENOMEM);
	for (size_t d = 0; d < nd; d++)
		if (docs[d].outlet < nd && !(prior && prior->counted[d]))
			opages[docs[d].outlet]++;
	if (prior && chrome) {
		/* Each outlet's prior, asked once (at its first page). */
		uint8_t *asked = calloc(nd + 1, 1);
		GOTO_IF(!asked, RP_ENOMEM);
		for (size_t d = 0; d < nd && err == RP_OK; d++) {
			uint32_t ot = docs[d].outlet;
			if (ot >= nd || asked[ot])
				continue;
			asked[ot] = 1;
			size_t pn = 0;
			err = prior->outlet(prior->ctx, docs[d].outlet_name, &pn,
					    &ptop[ot]);
			opages[ot] += pn;
			templated[ot] = (uint8_t)rp_outlet_templated(opages[ot],
								     ptop[ot]);
		}
		free(asked);
		GOTO_IF_ERROR(err);
	}
	rp_sort_kv(kv, tmp, nkv); /* stable: occurrences stay in page order */
	/* (a line's text is read through the mapping, out of order: paced,
	 * or its pages stay mapped through the stages after) */
	size_t paced = 0;
	for (int sweep = 0; sweep < 2; sweep++) {
		for (size_t i = 0; i < nkv;) {
			size_t j = i + 1, pages = 1;
			uint32_t od = OCC_DOC(kv[i].val);
			if (sweep == 0) {
				pages = !(prior && prior->counted[od]);
				while (j < nkv && kv[j].key == kv[i].key) {
					uint32_t pd = OCC_DOC(kv[j].val);
					pages += pd != OCC_DOC(kv[j - 1].val) &&
						 !(prior && prior->counted[pd]);
					j++;
				}
				if (prior) {
					size_t pp = 0;
					GOTO_IF_ERROR(prior->line(
						prior->ctx, docs[od].outlet_name,
						kv[i].key, &pp));
					pages += pp;
				}
				total[i] = pages;
			} else {
				while (j < nkv && kv[j].key == kv[i].key)
					j++;
				pages = total[i];
			}
			uint32_t ot = docs[od].outlet;
			size_t n = opages[ot];
			const occ *o = &oc[OCC_AT(kv[i].val)];
			if (sweep == 0) {
				if (rp_outlet_templated(n, pages)) {
					rp_corpus_pace(pace, &paced, RP_PACE_RANDOM);
					if (!rp_is_credit_line(docs[o->doc].text + o->start,
							       o->end - o->start))
						templated[ot] = 1;
				}
			} else if (templated[ot] && pages >= min_pages) {
				rp_corpus_pace(pace, &paced, RP_PACE_RANDOM);
				int kind = rp_line_kind(
					pages, n, min_pages,
					rp_line_is_prose(docs[o->doc].text + o->start,
							 o->end - o->start));
				for (size_t x = i; x < j; x++) {
					const occ *p = &oc[OCC_AT(kv[x].val)];
					is_chrome[OCC_AT(kv[x].val)] = (uint8_t)kind;
					if (kind == LINE_SOFT)
						soft_bytes[p->doc] += p->end - p->start;
				}
				GOTO_IF_ERROR(RP_GROW(out->lines, out->caplines,
						      out->nlines + 1));
				out->lines[out->nlines++] = (rp_boiler_line_info){
					ot, o->doc, o->start, o->end, pages };
				out->chrome_lines++;
			}
			i = j;
		}
	}

	/* 3. Each page's spans: layout chrome and credits (found by the
	 * threads), learned chrome, dateline. Learned lines on few pages (LINE_SOFT) stay text on a
	 * page where they are more of it than its own lines: there they are
	 * the story, run again. Occurrences are in page order. */
	size_t x = 0;
	unsigned jt = 0;
	for (size_t d = 0; d < nd; d++) {
		size_t first = nsp;
		out->off[d] = nsp;
		while (jt + 1 < nt && d >= jobs[jt].to)
			jt++;
		const rp_span *ls = NULL;
		size_t nls = 0;
		if (nt) {
			const size_t *lo = jobs[jt].loff + (d - jobs[jt].from);
			nls = lo[1] - lo[0];
			/* (no offset into a NULL array: a job may have none) */
			ls = nls ? jobs[jt].lsp + lo[0] : NULL;
		}
		size_t x0 = x, own = 0, l = 0;
		for (; x < nkv && oc[x].doc == d; x++) {
			while (l < nls && ls[l].start < oc[x].start)
				l++;
			int in_layout = l < nls && ls[l].start == oc[x].start;
			if (!is_chrome[x] && !in_layout)
				own += oc[x].end - oc[x].start;
		}
		if (own_extra)
			own += own_extra[d];
		int keep_soft = soft_bytes[d] > own;
		int stripped = 0;
		for (size_t y = x0; y < x; y++)
			if (is_chrome[y] == LINE_FIRM ||
			    (is_chrome[y] == LINE_SOFT && !keep_soft)) {
				GOTO_IF_ERROR(add_span(&sp, &nsp, &capsp,
						       oc[y].start, oc[y].end));
				stripped = 1;
			}
		for (size_t k = 0; k < nls; k++)
			GOTO_IF_ERROR(add_span(&sp, &nsp, &capsp, ls[k].start,
					       ls[k].end));
		out->docs_stripped += stripped || nls;
		/* (the dateline as the threads found it: a page's text is
		 * not read again here, one thread, out of its cache) */
		if (notices && nt)
			GOTO_IF_ERROR(add_span(&sp, &nsp, &capsp, 0,
					       jobs[jt].dateline[d - jobs[jt].from]));
		if (nsp > first)
			nsp = first + merge_spans(sp + first, nsp - first);
		for (size_t s = first; s < nsp; s++)
			out->bytes_excluded += sp[s].end - sp[s].start;
	}
	out->off[nd] = nsp;
	out->spans = sp;
	sp = NULL;
	if (out->nlines > 1)
		qsort(out->lines, out->nlines, sizeof(*out->lines), cmp_line);
cleanup:
	if (err < 0)
		rp_boiler_free(out);
	for (unsigned t = 0; t < nt; t++) {
		free(jobs[t].keys);
		free(jobs[t].occ);
		free(jobs[t].lsp);
		free(jobs[t].loff);
		free(jobs[t].dateline);
		free(jobs[t].rec);
		free(jobs[t].ch);
	}
	free(filt.bits);
	free(own_extra);
	free(rbuf);
	free(kv);
	if (reused) {
		free(reused);
	} else {
		free(tmp);
		free(total);
	}
	free(oc);
	free(is_chrome);
	free(soft_bytes);
	free(opages);
	free(ptop);
	free(templated);
	free(sp);
	return err;
}
