/*
 * eval.c - `reprint eval`: a scan's pairs and clusters scored against
 * ground truth.
 *
 * Truth is a folder shaped like ../shared/data/syndication/seed*:
 * truth.tsv (id, story) lists every document; truth_pairs.tsv (a, b,
 * relation), when present, lists every pair that should be reported;
 * without it the truth pairs are all pairs of documents of one story
 * (relation "same_story"); corpus.jsonl (or --corpus) gives each id its
 * outlet, to count the false pairs inside one outlet (shared site chrome is
 * the usual cause).
 *
 * Pairs are unordered and counted once however often they are listed.
 * Clusters are scored over every document of truth.tsv, a document in no
 * cluster being a singleton: the adjusted Rand index of Hubert and Arabie
 * (1985), from the contingency table of stories x clusters, and B-cubed
 * precision and recall (Bagga and Baldwin 1998), the per-document shares
 * of its cluster in its story and of its story in its cluster, averaged
 * over documents (Amigo et al. 2009 show it is the cluster measure that
 * meets their formal constraints).
 *
 * Invariant: every id goes through one table of the truth's ids to a dense
 * index; an id that is not there is counted and warned about, never
 * scored. A malformed line is reported as FILE:LINE and skipped; the rest
 * is scored, and the exit status is then 1 (input errors).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

#define NONE SIZE_MAX

/* ---- growable arrays and interned strings ---- */

/* p with room for at least need elements of size bytes (capacity doubles);
 * NULL when out of memory, p then unchanged. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t nc = *cap ? *cap : 16;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return NULL;
		nc *= 2;
	}
	void *q = reallocarray(p, nc, size);
	if (q)
		*cap = nc;
	return q;
}

/* Strings mapped to dense indexes 0..n-1 in order of first sight, by open
 * addressing (linear probing, at most half full). */
typedef struct strtab {
	char **str;
	size_t n, cap;
	size_t *slot;  /* index + 1; 0 is empty */
	size_t nslot;  /* a power of two, or 0 */
} strtab;

static size_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;  /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 29));
}

static size_t st_find(const strtab *t, const char *s)
{
	if (!t->nslot)
		return NONE;
	size_t mask = t->nslot - 1;
	for (size_t h = hash_str(s) & mask;; h = (h + 1) & mask) {
		size_t v = t->slot[h];
		if (!v)
			return NONE;
		if (strcmp(t->str[v - 1], s) == 0)
			return v - 1;
	}
}

static int st_rehash(strtab *t, size_t nslot)
{
	size_t *slot = calloc(nslot, sizeof(*slot));
	if (!slot)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_str(t->str[i]) & (nslot - 1);
		while (slot[h])
			h = (h + 1) & (nslot - 1);
		slot[h] = i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

/* *idx = the index of s, added when new (then *added = 1, when given);
 * -1 when out of memory. */
static int st_add(strtab *t, const char *s, size_t *idx, int *added)
{
	size_t i = st_find(t, s);
	if (added)
		*added = i == NONE;
	if (i != NONE) {
		*idx = i;
		return 0;
	}
	if ((t->n + 1) * 2 > t->nslot) {
		if (t->nslot > SIZE_MAX / 4 ||
		    st_rehash(t, t->nslot ? t->nslot * 2 : 64) < 0)
			return -1;
	}
	char **str = grow(t->str, &t->cap, t->n + 1, sizeof(*str));
	if (!str)
		return -1;
	t->str = str;
	if (!(str[t->n] = strdup(s)))
		return -1;
	size_t h = hash_str(s) & (t->nslot - 1);
	while (t->slot[h])
		h = (h + 1) & (t->nslot - 1);
	t->slot[h] = t->n + 1;
	*idx = t->n++;
	return 0;
}

static void st_free(strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* ---- input lines ---- */

typedef struct lines {
	FILE *fp;
	const char *name;
	char *buf;
	size_t cap, lineno;
	int own;  /* fp is ours to close */
} lines;

/* 0, or -1 after a message (the file cannot be opened). */
static int lines_open(lines *l, const char *path)
{
	memset(l, 0, sizeof(*l));
	if (strcmp(path, "-") == 0) {
		l->fp = stdin;
		l->name = "(stdin)";
		return 0;
	}
	l->name = path;
	if (!(l->fp = fopen(path, "r"))) {
		msg("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	l->own = 1;
	return 0;
}

/* The next line without its newline (and a CR before it): its length, or
 * -1 at the end, or -2 on a read error or out of memory (after a
 * message). */
static ssize_t lines_next(lines *l)
{
	errno = 0;
	ssize_t n = getline(&l->buf, &l->cap, l->fp);
	if (n < 0) {
		if (ferror(l->fp) || errno == ENOMEM) {
			msg("cannot read %s: %s", l->name,
			    strerror(errno ? errno : EIO));
			return -2;
		}
		return -1;
	}
	l->lineno++;
	if (n && l->buf[n - 1] == '\n')
		l->buf[--n] = '\0';
	if (n && l->buf[n - 1] == '\r')
		l->buf[--n] = '\0';
	return n;
}

static void lines_close(lines *l)
{
	if (l->own && l->fp)
		fclose(l->fp);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r\n\f\v")] == '\0';
}

/* ---- TSV and JSON fields ---- */

enum { MAX_FIELDS = 64 };

/* Split line in place at tabs; the field count (a 64th field keeps any
 * further tabs). */
static size_t split_tsv(char *line, char **f)
{
	size_t n = 0;
	f[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p == '\t' && n < MAX_FIELDS) {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

/* Undo the scan's TSV escapes in place: \t \n \r \\ (others are kept). */
static void unescape(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1]) {
			char c = r[1] == 't' ? '\t' : r[1] == 'n' ? '\n' :
				 r[1] == 'r' ? '\r' : r[1] == '\\' ? '\\' : 0;
			if (c) {
				*w++ = c;
				r++;
				continue;
			}
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* An id in JSON: a string, or a number written as the scan's readers write
 * it (integers plainly, others %.17g); NULL when v is neither. */
static const char *json_id(const cJSON *v, char *num, size_t numsz)
{
	if (cJSON_IsString(v) && v->valuestring)
		return v->valuestring;
	if (!cJSON_IsNumber(v))
		return NULL;
	double d = v->valuedouble;
	if (d > -9.007199254740992e15 && d < 9.007199254740992e15 &&
	    d == (double)(long long)d)
		snprintf(num, numsz, "%lld", (long long)d);
	else
		snprintf(num, numsz, "%.17g", d);
	return num;
}

/* Parse one JSONL line into an object; NULL after naming the problem. */
static cJSON *json_line(const char *s, size_t len, const char **why)
{
	if (memchr(s, '\0', len)) {
		*why = "NUL byte";
		return NULL;
	}
	cJSON *j = cJSON_ParseWithLength(s, len);
	if (!j) {
		*why = "malformed JSON";
		return NULL;
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		*why = "not a JSON object";
		return NULL;
	}
	return j;
}

/* ---- the evaluation ---- */

/* An unordered pair of documents, lo < hi, with a relation (an index into
 * a strtab, or NONE) and its position in the file (first listing wins). */
typedef struct ipair {
	size_t lo, hi, rel, order;
} ipair;

static int cmp_ipair(const void *x, const void *y)
{
	const ipair *a = x, *b = y;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Pairs read from one file. */
typedef struct plist {
	ipair *p;
	size_t n, cap;
	size_t listed;      /* pair lines read */
	size_t duplicates;  /* listed again (either order) */
	size_t ignored;     /* naming an id not in truth.tsv */
	strtab unknown;     /* those ids */
} plist;

typedef struct eval {
	strtab ids;      /* truth documents */
	strtab stories;
	size_t *story;   /* per document */
	size_t *outlet;  /* per document (NONE: unknown); NULL without corpus */
	strtab outlets;
	const char *corpus_name;
	/* Truth pairs: from truth_pairs.tsv, or (from_stories) every pair of
	 * one story. */
	int from_stories;
	plist truth;
	strtab trel;
	uint64_t truth_pairs;
	int bad;         /* an input error: exit 1 */
} eval;

/* A malformed line: message, and exit 1 at the end. */
static void bad_line(eval *ev, const lines *l, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad_line(eval *ev, const lines *l, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: %s:%zu: ", progname, l->name, l->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ev->bad = 1;
}

/* truth.tsv: 0, 1 when it cannot be read (message given), -1 out of
 * memory. */
static int read_truth(eval *ev, const char *path)
{
	lines l;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	size_t *first = NULL, fcap = 0;  /* line where each id was listed */

	if (lines_open(&l, path) < 0)
		return 1;
	while ((len = lines_next(&l)) >= 0) {
		char *f[MAX_FIELDS];
		if (blank(l.buf))
			continue;
		if (memchr(l.buf, '\0', (size_t)len)) {
			bad_line(ev, &l, "NUL byte");
			continue;
		}
		size_t nf = split_tsv(l.buf, f);
		if (ev->ids.n == 0 && nf >= 2 && strcmp(f[0], "id") == 0 &&
		    strcmp(f[1], "story") == 0)
			continue;  /* the header */
		if (nf < 2) {
			bad_line(ev, &l, "expected id<TAB>story");
			continue;
		}
		unescape(f[0]);
		unescape(f[1]);
		if (!*f[0] || !*f[1]) {
			bad_line(ev, &l, "empty %s", *f[0] ? "story" : "id");
			continue;
		}
		size_t d, s;
		int added;
		if (st_add(&ev->ids, f[0], &d, &added) < 0)
			goto oom;
		if (!added) {
			bad_line(ev, &l, "duplicate id '%s' (first at line %zu)",
				 f[0], first[d]);
			continue;
		}
		size_t *st = grow(ev->story, &cap, d + 1, sizeof(*st));
		size_t *fl = grow(first, &fcap, d + 1, sizeof(*fl));
		if (st)
			ev->story = st;
		if (fl)
			first = fl;
		if (!st || !fl || st_add(&ev->stories, f[1], &s, NULL) < 0)
			goto oom;
		ev->story[d] = s;
		first[d] = l.lineno;
	}
	if (len == -2)
		rc = 1;
	else if (ev->ids.n == 0) {
		msg("%s lists no documents", path);
		rc = 1;
	}
	free(first);
	lines_close(&l);
	return rc;
oom:
	free(first);
	lines_close(&l);
	return -1;
}

/* The outlet of each truth document from a JSONL corpus (id, outlet): 0,
 * 1 when it cannot be read, -1 out of memory. */
static int read_corpus(eval *ev, const char *path)
{
	lines l;
	ssize_t len;
	char num[64];

	if (lines_open(&l, path) < 0)
		return 1;
	ev->corpus_name = l.name;
	ev->outlet = reallocarray(NULL, ev->ids.n, sizeof(*ev->outlet));
	if (!ev->outlet) {
		lines_close(&l);
		return -1;
	}
	for (size_t i = 0; i < ev->ids.n; i++)
		ev->outlet[i] = NONE;
	while ((len = lines_next(&l)) >= 0) {
		const char *why;
		if (blank(l.buf))
			continue;
		cJSON *j = json_line(l.buf, (size_t)len, &why);
		if (!j) {
			bad_line(ev, &l, "%s", why);
			continue;
		}
		const char *id = json_id(cJSON_GetObjectItemCaseSensitive(j, "id"),
					 num, sizeof(num));
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "outlet");
		size_t d = id ? st_find(&ev->ids, id) : NONE;
		if (d != NONE && cJSON_IsString(o) && o->valuestring &&
		    *o->valuestring &&
		    st_add(&ev->outlets, o->valuestring, &ev->outlet[d], NULL) < 0) {
			cJSON_Delete(j);
			lines_close(&l);
			return -1;
		}
		cJSON_Delete(j);
	}
	lines_close(&l);
	return len == -2;
}

/* A pairs file: TSV (a, b, ..., relation, ...; an optional first line
 * "a<TAB>b..." names the columns, else relation is the scan's 6th) or JSONL
 * (objects with "a", "b", "relation"), told apart by a leading '{'. Pairs
 * are sorted and listed once. 0, 1 when the file cannot be read, -1 out of
 * memory. */
static int read_pairs(eval *ev, const char *path, strtab *rels, plist *pl)
{
	lines l;
	ssize_t len;
	int format = -1;  /* 0 TSV, 1 JSONL: from the first non-blank line */
	size_t relcol = 5, nfirst = 0;
	char num[2][64];

	if (lines_open(&l, path) < 0)
		return 1;
	while ((len = lines_next(&l)) >= 0) {
		const char *a, *b, *rel = NULL, *why;
		char *f[MAX_FIELDS];
		cJSON *j = NULL;

		if (blank(l.buf))
			continue;
		if (format < 0)
			format = l.buf[strspn(l.buf, " \t\r\f\v")] == '{';
		if (format == 1) {
			if (!(j = json_line(l.buf, (size_t)len, &why))) {
				bad_line(ev, &l, "%s", why);
				continue;
			}
			a = json_id(cJSON_GetObjectItemCaseSensitive(j, "a"),
				    num[0], sizeof(num[0]));
			b = json_id(cJSON_GetObjectItemCaseSensitive(j, "b"),
				    num[1], sizeof(num[1]));
			const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "relation");
			if (cJSON_IsString(r) && r->valuestring)
				rel = r->valuestring;
			if (!a || !b) {
				bad_line(ev, &l, "\"a\" and \"b\" must be ids (strings or numbers)");
				cJSON_Delete(j);
				continue;
			}
		} else {
			if (memchr(l.buf, '\0', (size_t)len)) {
				bad_line(ev, &l, "NUL byte");
				continue;
			}
			size_t nf = split_tsv(l.buf, f);
			if (nfirst++ == 0 && nf >= 2 && strcmp(f[0], "a") == 0 &&
			    strcmp(f[1], "b") == 0) {
				relcol = NONE;  /* the header names the columns */
				for (size_t i = 2; i < nf; i++)
					if (strcmp(f[i], "relation") == 0)
						relcol = i;
				continue;
			}
			if (nf < 2) {
				bad_line(ev, &l, "expected a<TAB>b, tab-separated");
				continue;
			}
			for (size_t i = 0; i < nf; i++)
				unescape(f[i]);
			a = f[0];
			b = f[1];
			if (relcol < nf && *f[relcol])
				rel = f[relcol];
		}
		int err = 0;
		pl->listed++;
		if (!*a || !*b) {
			bad_line(ev, &l, "empty id");
		} else if (strcmp(a, b) == 0) {
			bad_line(ev, &l, "a pair of '%s' with itself", a);
		} else {
			size_t da = st_find(&ev->ids, a), db = st_find(&ev->ids, b);
			size_t ri = NONE, u;
			if (da == NONE || db == NONE) {
				pl->ignored++;
				if ((da == NONE && st_add(&pl->unknown, a, &u, NULL) < 0) ||
				    (db == NONE && st_add(&pl->unknown, b, &u, NULL) < 0))
					err = -1;
			} else if (rel && st_add(rels, rel, &ri, NULL) < 0) {
				err = -1;
			} else {
				ipair *p = grow(pl->p, &pl->cap, pl->n + 1, sizeof(*p));
				if (!p) {
					err = -1;
				} else {
					pl->p = p;
					p[pl->n] = (ipair){ da < db ? da : db, da < db ? db : da,
							    ri, pl->n };
					pl->n++;
				}
			}
		}
		cJSON_Delete(j);
		if (err < 0) {
			lines_close(&l);
			return -1;
		}
	}
	lines_close(&l);
	if (pl->n)
		qsort(pl->p, pl->n, sizeof(*pl->p), cmp_ipair);
	size_t w = 0;
	for (size_t i = 0; i < pl->n; i++) {
		if (w && pl->p[w - 1].lo == pl->p[i].lo && pl->p[w - 1].hi == pl->p[i].hi)
			continue;
		pl->p[w++] = pl->p[i];
	}
	pl->duplicates = pl->n - w;
	pl->n = w;
	return len == -2;
}

static void warn_unknown(const char *what, const plist *pl, const char *unit,
			 size_t ignored)
{
	if (!pl->unknown.n)
		return;
	msg("warning: %s: %zu id%s not in truth.tsv (first: '%s'); %zu %s%s "
	    "with them not scored", what, pl->unknown.n,
	    pl->unknown.n == 1 ? "" : "s", pl->unknown.str[0], ignored, unit,
	    ignored == 1 ? "" : "s");
}

/* ---- pair scores ---- */

typedef struct pair_score {
	const char *name;
	uint64_t tp, fp, fn;
	double precision, recall, f1;
	size_t fp_outlet;      /* valid when ev->outlet */
	uint64_t *rel_found, *rel_total;  /* per truth relation, + (none) */
	size_t nrel;
	size_t *fp_rel;        /* per predicted relation, + (none) */
	size_t nprel;
	strtab prel;
	plist pred;
} pair_score;

static int cmp_ipair_key(const void *x, const void *y)
{
	const ipair *a = x, *b = y;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->hi < b->hi ? -1 : a->hi > b->hi;
}

/* 0/0 counts as 1: no prediction is wrong, nothing is left to find. */
static double ratio(uint64_t k, uint64_t n)
{
	return n ? (double)k / (double)n : 1.0;
}

static double f1_of(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static int score_pairs(eval *ev, pair_score *ps)
{
	ps->nrel = ev->from_stories ? 1 : ev->trel.n + 1;
	ps->nprel = ps->prel.n + 1;
	ps->rel_found = calloc(ps->nrel, sizeof(*ps->rel_found));
	ps->rel_total = calloc(ps->nrel, sizeof(*ps->rel_total));
	ps->fp_rel = calloc(ps->nprel, sizeof(*ps->fp_rel));
	unsigned char *found = calloc(ev->truth.n ? ev->truth.n : 1, 1);
	if (!ps->rel_found || !ps->rel_total || !ps->fp_rel || !found) {
		free(found);
		return -1;
	}
	for (size_t i = 0; i < ps->pred.n; i++) {
		const ipair *p = &ps->pred.p[i];
		int hit;
		if (ev->from_stories) {
			hit = ev->story[p->lo] == ev->story[p->hi];
		} else {
			const ipair *t = bsearch(p, ev->truth.p, ev->truth.n,
						 sizeof(*p), cmp_ipair_key);
			hit = t != NULL;
			if (t)
				found[t - ev->truth.p] = 1;
		}
		if (hit) {
			ps->tp++;
			continue;
		}
		ps->fp++;
		ps->fp_rel[p->rel == NONE ? ps->prel.n : p->rel]++;
		if (ev->outlet && ev->outlet[p->lo] != NONE &&
		    ev->outlet[p->lo] == ev->outlet[p->hi])
			ps->fp_outlet++;
	}
	if (ev->from_stories) {
		ps->rel_total[0] = ev->truth_pairs;
		ps->rel_found[0] = ps->tp;
	} else {
		for (size_t i = 0; i < ev->truth.n; i++) {
			size_t r = ev->truth.p[i].rel;
			r = r == NONE ? ev->trel.n : r;
			ps->rel_total[r]++;
			ps->rel_found[r] += found[i];
		}
	}
	free(found);
	ps->fn = ev->truth_pairs - ps->tp;
	ps->precision = ratio(ps->tp, ps->tp + ps->fp);
	ps->recall = ratio(ps->tp, ev->truth_pairs);
	ps->f1 = f1_of(ps->precision, ps->recall);
	return 0;
}

static const char *trel_name(const eval *ev, size_t r)
{
	if (ev->from_stories)
		return "same_story";
	return r < ev->trel.n ? ev->trel.str[r] : "(none)";
}

static const strtab *sort_names;

static int cmp_name(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	const char *sa = a < sort_names->n ? sort_names->str[a] : "(none)";
	const char *sb = b < sort_names->n ? sort_names->str[b] : "(none)";
	return strcmp(sa, sb);
}

static const size_t *sort_counts;

static int cmp_count(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	if (sort_counts[a] != sort_counts[b])
		return sort_counts[a] > sort_counts[b] ? -1 : 1;
	return cmp_name(x, y);
}

/* Indexes 0..n-1 (n - 1 standing for "(none)") by name or by count. */
static size_t *order(size_t n, const strtab *names, const size_t *counts)
{
	size_t *o = reallocarray(NULL, n, sizeof(*o));
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++)
		o[i] = i;
	sort_names = names;
	sort_counts = counts;
	qsort(o, n, sizeof(*o), counts ? cmp_count : cmp_name);
	return o;
}

/* ---- cluster scores ---- */

typedef struct cluster_score {
	const char *name;
	size_t clusters;   /* listed */
	size_t clustered;  /* truth documents in them */
	size_t ignored;    /* listings of ids not in truth.tsv */
	strtab unknown;
	double ari, precision, recall, f1;
} cluster_score;

typedef struct cell {
	size_t s, c;
} cell;

static int cmp_cell(const void *x, const void *y)
{
	const cell *a = x, *b = y;
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

static long double choose2(size_t n)
{
	return (long double)n * (long double)(n ? n - 1 : 0) / 2;
}

/* Adjusted Rand index and B-cubed of label[] against the stories. */
static int score_labels(const eval *ev, const size_t *label, size_t nlabels,
			cluster_score *cs)
{
	size_t n = ev->ids.n;
	cell *cells = reallocarray(NULL, n, sizeof(*cells));
	size_t *ssize = calloc(ev->stories.n, sizeof(*ssize));
	size_t *csize = calloc(nlabels ? nlabels : 1, sizeof(*csize));
	if (!cells || !ssize || !csize) {
		free(cells);
		free(ssize);
		free(csize);
		return -1;
	}
	for (size_t d = 0; d < n; d++) {
		cells[d] = (cell){ ev->story[d], label[d] };
		ssize[ev->story[d]]++;
		csize[label[d]]++;
	}
	qsort(cells, n, sizeof(*cells), cmp_cell);
	long double index = 0, sa = 0, sb = 0, bp = 0, br = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && cells[j].s == cells[i].s &&
				cells[j].c == cells[i].c; j++)
			;
		long double nij = (long double)(j - i);
		index += choose2(j - i);
		bp += nij * nij / (long double)csize[cells[i].c];
		br += nij * nij / (long double)ssize[cells[i].s];
	}
	for (size_t s = 0; s < ev->stories.n; s++)
		sa += choose2(ssize[s]);
	for (size_t c = 0; c < nlabels; c++)
		sb += choose2(csize[c]);
	long double n2 = choose2(n);
	long double expected = n2 > 0 ? sa * sb / n2 : 0, max = (sa + sb) / 2;
	/* The denominator is 0 only when both partitions are all singletons
	 * or both one block: identical, a perfect score. */
	if ((sa == 0 && sb == 0) || (sa == n2 && sb == n2))
		cs->ari = 1.0;
	else
		cs->ari = (double)((index - expected) / (max - expected));
	cs->precision = (double)(bp / (long double)n);
	cs->recall = (double)(br / (long double)n);
	cs->f1 = f1_of(cs->precision, cs->recall);
	free(cells);
	free(ssize);
	free(csize);
	return 0;
}

/* Clusters JSONL ({"cluster":N,"representative":ID,"ids":[...]}): 0, 1
 * when the file cannot be read, -1 out of memory. */
static int read_clusters(eval *ev, const char *path, cluster_score *cs)
{
	lines l;
	ssize_t len;
	char num[64];
	size_t n = ev->ids.n, *label, *line_of = NULL, lcap = 0;
	int rc = 0;

	if (lines_open(&l, path) < 0)
		return 1;
	cs->name = l.name;
	if (!(label = reallocarray(NULL, n, sizeof(*label)))) {
		lines_close(&l);
		return -1;
	}
	for (size_t d = 0; d < n; d++)
		label[d] = NONE;
	while ((len = lines_next(&l)) >= 0) {
		const char *why;
		if (blank(l.buf))
			continue;
		cJSON *j = json_line(l.buf, (size_t)len, &why);
		if (!j) {
			bad_line(ev, &l, "%s", why);
			continue;
		}
		const cJSON *ids = cJSON_GetObjectItemCaseSensitive(j, "ids"), *v;
		if (!cJSON_IsArray(ids)) {
			bad_line(ev, &l, "\"ids\" must be an array");
			cJSON_Delete(j);
			continue;
		}
		size_t c = cs->clusters++;
		size_t *lo = grow(line_of, &lcap, c + 1, sizeof(*lo));
		if (!lo) {
			cJSON_Delete(j);
			rc = -1;
			goto done;
		}
		line_of = lo;
		line_of[c] = l.lineno;
		int typed = 0;
		cJSON_ArrayForEach(v, ids) {
			const char *id = json_id(v, num, sizeof(num));
			size_t d, u;
			if (!id) {
				if (!typed++)
					bad_line(ev, &l, "an id that is neither a string nor a number");
				continue;
			}
			if ((d = st_find(&ev->ids, id)) == NONE) {
				cs->ignored++;
				if (st_add(&cs->unknown, id, &u, NULL) < 0) {
					cJSON_Delete(j);
					rc = -1;
					goto done;
				}
			} else if (label[d] == NONE) {
				label[d] = c;
				cs->clustered++;
			} else if (label[d] == c) {
				bad_line(ev, &l, "'%s' listed twice", id);
			} else {
				bad_line(ev, &l, "'%s' is already in the cluster of line %zu",
					 id, line_of[label[d]]);
			}
		}
		cJSON_Delete(j);
	}
	if (len == -2) {
		rc = 1;
		goto done;
	}
	/* Every other document is a cluster of its own. */
	size_t nl = cs->clusters;
	for (size_t d = 0; d < n; d++)
		if (label[d] == NONE)
			label[d] = nl++;
	if (score_labels(ev, label, nl, cs) < 0)
		rc = -1;
done:
	free(label);
	free(line_of);
	lines_close(&l);
	return rc;
}

/* ---- output ---- */

/* The text form; -1 when out of memory. */
static int print_text(const eval *ev, const pair_score *ps,
		      const cluster_score *cs)
{
	printf("truth: %zu documents, %zu stories, %llu pairs (%s)\n",
	       ev->ids.n, ev->stories.n, (unsigned long long)ev->truth_pairs,
	       ev->from_stories ? "all pairs of one story" : "truth_pairs.tsv");
	if (ps) {
		printf("pairs: precision %.3f recall %.3f f1 %.3f (tp %llu fp %llu fn %llu; ",
		       ps->precision, ps->recall, ps->f1,
		       (unsigned long long)ps->tp, (unsigned long long)ps->fp,
		       (unsigned long long)ps->fn);
		if (ev->outlet)
			printf("fp within one outlet %zu)\n", ps->fp_outlet);
		else
			printf("outlets unknown: no corpus)\n");
		size_t *o = order(ps->nrel, &ev->trel, NULL);
		if (!o)
			return -1;
		printf("recall by relation:");
		for (size_t i = 0, k = 0; i < ps->nrel; i++) {
			size_t r = o[i];
			if (!ps->rel_total[r])
				continue;
			printf("%s %s %.3f (%llu/%llu)", k++ ? "," : "",
			       trel_name(ev, r),
			       ratio(ps->rel_found[r], ps->rel_total[r]),
			       (unsigned long long)ps->rel_found[r],
			       (unsigned long long)ps->rel_total[r]);
		}
		printf("\n");
		free(o);
		if (!(o = order(ps->nprel, &ps->prel, ps->fp_rel)))
			return -1;
		printf("false positives by predicted relation:");
		if (!ps->fp)
			printf(" none");
		for (size_t i = 0, k = 0; i < ps->nprel; i++) {
			size_t r = o[i];
			if (ps->fp_rel[r])
				printf("%s %s %zu", k++ ? "," : "",
				       r < ps->prel.n ? ps->prel.str[r] : "(none)",
				       ps->fp_rel[r]);
		}
		printf("\n");
		free(o);
	}
	if (cs)
		printf("clusters: ARI %.3f, B-cubed precision %.3f recall %.3f "
		       "f1 %.3f (%zu clusters, %zu of %zu documents in them)\n",
		       cs->ari, cs->precision, cs->recall, cs->f1, cs->clusters,
		       cs->clustered, ev->ids.n);
	return 0;
}

/* Members of a JSON object. A NULL object or a failed addition (out of
 * memory) clears *ok, so one check at the end covers them all. */
static cJSON *add_obj(cJSON *o, const char *k, int *ok)
{
	cJSON *x = o ? cJSON_AddObjectToObject(o, k) : NULL;
	if (!x)
		*ok = 0;
	return x;
}

static void add_num(cJSON *o, const char *k, double v, int *ok)
{
	if (!o || !cJSON_AddNumberToObject(o, k, v))
		*ok = 0;
}

/* v, or null when !have. */
static void add_num_or_null(cJSON *o, const char *k, double v, int have, int *ok)
{
	if (have)
		add_num(o, k, v, ok);
	else if (!o || !cJSON_AddNullToObject(o, k))
		*ok = 0;
}

/* s, or null when NULL. */
static void add_str(cJSON *o, const char *k, const char *s, int *ok)
{
	if (!o || !(s ? cJSON_AddStringToObject(o, k, s) : cJSON_AddNullToObject(o, k)))
		*ok = 0;
}

/* The --format jsonl form: one object; -1 when out of memory. */
static int print_json(const eval *ev, const pair_score *ps,
		      const cluster_score *cs)
{
	int ok = 1;
	cJSON *root = cJSON_CreateObject(), *x, *y, *z;
	if (!root)
		return -1;
	x = add_obj(root, "truth", &ok);
	add_num(x, "documents", (double)ev->ids.n, &ok);
	add_num(x, "stories", (double)ev->stories.n, &ok);
	add_num(x, "pairs", (double)ev->truth_pairs, &ok);
	add_str(x, "pairs_from", ev->from_stories ? "stories" : "truth_pairs.tsv", &ok);
	add_str(x, "corpus", ev->corpus_name, &ok);
	if (ps) {
		x = add_obj(root, "pairs", &ok);
		add_str(x, "file", ps->name, &ok);
		add_num(x, "precision", ps->precision, &ok);
		add_num(x, "recall", ps->recall, &ok);
		add_num(x, "f1", ps->f1, &ok);
		add_num(x, "tp", (double)ps->tp, &ok);
		add_num(x, "fp", (double)ps->fp, &ok);
		add_num(x, "fn", (double)ps->fn, &ok);
		add_num_or_null(x, "fp_within_one_outlet", (double)ps->fp_outlet,
				ev->outlet != NULL, &ok);
		add_num(x, "listed", (double)ps->pred.listed, &ok);
		add_num(x, "duplicates", (double)ps->pred.duplicates, &ok);
		add_num(x, "unknown_ids", (double)ps->pred.unknown.n, &ok);
		add_num(x, "not_scored", (double)ps->pred.ignored, &ok);
		size_t *o = order(ps->nrel, &ev->trel, NULL);
		y = add_obj(x, "recall_by_relation", &ok);
		for (size_t i = 0; o && i < ps->nrel; i++) {
			size_t r = o[i];
			if (!ps->rel_total[r])
				continue;
			z = add_obj(y, trel_name(ev, r), &ok);
			add_num(z, "recall", ratio(ps->rel_found[r], ps->rel_total[r]), &ok);
			add_num(z, "found", (double)ps->rel_found[r], &ok);
			add_num(z, "total", (double)ps->rel_total[r], &ok);
		}
		ok &= o != NULL;
		free(o);
		o = order(ps->nprel, &ps->prel, ps->fp_rel);
		y = add_obj(x, "fp_by_relation", &ok);
		for (size_t i = 0; o && i < ps->nprel; i++) {
			size_t r = o[i];
			if (ps->fp_rel[r])
				add_num(y, r < ps->prel.n ? ps->prel.str[r] : "(none)",
					(double)ps->fp_rel[r], &ok);
		}
		ok &= o != NULL;
		free(o);
	}
	if (cs) {
		x = add_obj(root, "clusters", &ok);
		add_str(x, "file", cs->name, &ok);
		add_num(x, "ari", cs->ari, &ok);
		add_num(x, "bcubed_precision", cs->precision, &ok);
		add_num(x, "bcubed_recall", cs->recall, &ok);
		add_num(x, "bcubed_f1", cs->f1, &ok);
		add_num(x, "clusters", (double)cs->clusters, &ok);
		add_num(x, "clustered", (double)cs->clustered, &ok);
		add_num(x, "unknown_ids", (double)cs->unknown.n, &ok);
		add_num(x, "not_scored", (double)cs->ignored, &ok);
	}
	char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!s)
		return -1;
	puts(s);
	free(s);
	return 0;
}

/* ---- the command ---- */

static const char eval_usage[] =
	"usage: reprint eval --truth DIR [--pairs FILE] [--clusters FILE]\n"
	"                    [--corpus FILE] [--format text|jsonl]\n"
	"\n"
	"Scores a scan's pairs (TSV or JSONL) and clusters (JSONL) against\n"
	"DIR/truth.tsv (id, story), DIR/truth_pairs.tsv (a, b, relation; without\n"
	"it, every pair of one story) and the outlets of DIR/corpus.jsonl.\n"
	"  --pairs FILE     pairs as `reprint scan` writes them ('-': stdin)\n"
	"  --clusters FILE  clusters JSONL; a document in none is a singleton\n"
	"  --corpus FILE    id and outlet of each document (DIR/corpus.jsonl)\n"
	"  --format FMT     text (default): a few lines; jsonl: one JSON object\n";

enum { E_TRUTH = 256, E_PAIRS, E_CLUSTERS, E_CORPUS, E_FORMAT, E_HELP };

static const struct option eval_opts[] = {
	{ "truth", required_argument, NULL, E_TRUTH },
	{ "pairs", required_argument, NULL, E_PAIRS },
	{ "clusters", required_argument, NULL, E_CLUSTERS },
	{ "corpus", required_argument, NULL, E_CORPUS },
	{ "format", required_argument, NULL, E_FORMAT },
	{ "help", no_argument, NULL, E_HELP },
	{ NULL, 0, NULL, 0 }
};

/* DIR/name, malloc'd. */
static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static int exists(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (fp)
		fclose(fp);
	return fp != NULL || errno != ENOENT;
}

int cmd_eval(int argc, char **argv)
{
	const char *dir = NULL, *pairs = NULL, *clusters = NULL, *corpus = NULL;
	int jsonl = 0, ch, rc = EXIT_OK, r;
	eval ev;
	pair_score ps;
	cluster_score cs;
	char *truth_path = NULL, *tpairs_path = NULL, *corpus_path = NULL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", eval_opts, NULL)) != -1) {
		switch (ch) {
		case E_TRUTH: dir = optarg; break;
		case E_PAIRS: pairs = optarg; break;
		case E_CLUSTERS: clusters = optarg; break;
		case E_CORPUS: corpus = optarg; break;
		case E_FORMAT:
			if (strcmp(optarg, "text") == 0)
				jsonl = 0;
			else if (strcmp(optarg, "jsonl") == 0)
				jsonl = 1;
			else
				return usage_error("--format must be text or jsonl: '%s'", optarg);
			break;
		case E_HELP:
			fputs(eval_usage, stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option");
		}
	}
	if (optind < argc)
		return usage_error("eval takes no arguments besides options: '%s'",
				   argv[optind]);
	if (!dir)
		return usage_error("eval needs --truth DIR");
	if (!pairs && !clusters)
		return usage_error("eval needs --pairs FILE or --clusters FILE (or both)");
	if (pairs && clusters && strcmp(pairs, "-") == 0 && strcmp(clusters, "-") == 0)
		return usage_error("standard input can be read once: not both --pairs - and --clusters -");

	memset(&ev, 0, sizeof(ev));
	memset(&ps, 0, sizeof(ps));
	memset(&cs, 0, sizeof(cs));
	ev.from_stories = 1;
	truth_path = join(dir, "truth.tsv");
	tpairs_path = join(dir, "truth_pairs.tsv");
	corpus_path = corpus ? NULL : join(dir, "corpus.jsonl");
	if (!truth_path || !tpairs_path || (!corpus && !corpus_path))
		goto oom;

	if ((r = read_truth(&ev, truth_path)) < 0)
		goto oom;
	if (r > 0) {
		rc = EXIT_INPUT;
		goto done;
	}
	if (exists(tpairs_path)) {
		ev.from_stories = 0;
		if ((r = read_pairs(&ev, tpairs_path, &ev.trel, &ev.truth)) < 0)
			goto oom;
		if (r > 0)
			ev.bad = 1;
		ev.truth_pairs = ev.truth.n;
		warn_unknown(tpairs_path, &ev.truth, "truth pair", ev.truth.ignored);
	} else {
		size_t *count = calloc(ev.stories.n, sizeof(*count));
		if (!count)
			goto oom;
		for (size_t d = 0; d < ev.ids.n; d++)
			count[ev.story[d]]++;
		for (size_t s = 0; s < ev.stories.n; s++)
			ev.truth_pairs += (uint64_t)count[s] * (count[s] - 1) / 2;
		free(count);
	}
	if (corpus || exists(corpus_path)) {
		if ((r = read_corpus(&ev, corpus ? corpus : corpus_path)) < 0)
			goto oom;
		if (r > 0) {
			ev.bad = 1;
			free(ev.outlet);
			ev.outlet = NULL;
			ev.corpus_name = NULL;
		}
	}

	int have_pairs = 0, have_clusters = 0;
	if (pairs) {
		ps.name = strcmp(pairs, "-") == 0 ? "(stdin)" : pairs;
		if ((r = read_pairs(&ev, pairs, &ps.prel, &ps.pred)) < 0)
			goto oom;
		if (r > 0) {
			ev.bad = 1;
		} else {
			if (score_pairs(&ev, &ps) < 0)
				goto oom;
			have_pairs = 1;
			warn_unknown(ps.name, &ps.pred, "pair", ps.pred.ignored);
		}
	}
	if (clusters) {
		if ((r = read_clusters(&ev, clusters, &cs)) < 0)
			goto oom;
		if (r > 0) {
			ev.bad = 1;
		} else {
			have_clusters = 1;
			if (cs.unknown.n)
				msg("warning: %s: %zu id%s not in truth.tsv (first: '%s'); "
				    "%zu listing%s of them not scored", cs.name,
				    cs.unknown.n, cs.unknown.n == 1 ? "" : "s",
				    cs.unknown.str[0], cs.ignored,
				    cs.ignored == 1 ? "" : "s");
		}
	}
	if (have_pairs || have_clusters) {
		const pair_score *pp = have_pairs ? &ps : NULL;
		const cluster_score *cp = have_clusters ? &cs : NULL;
		if (jsonl) {
			if (print_json(&ev, pp, cp) < 0)
				goto oom;
		} else if (print_text(&ev, pp, cp) < 0) {
			goto oom;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg("cannot write standard output: %s", strerror(errno));
		rc = EXIT_FAIL;
		goto done;
	}
	rc = ev.bad ? EXIT_INPUT : EXIT_OK;
	goto done;
oom:
	msg("out of memory");
	rc = EXIT_FAIL;
done:
	free(truth_path);
	free(tpairs_path);
	free(corpus_path);
	st_free(&ev.ids);
	st_free(&ev.stories);
	st_free(&ev.outlets);
	st_free(&ev.trel);
	free(ev.story);
	free(ev.outlet);
	free(ev.truth.p);
	st_free(&ev.truth.unknown);
	free(ps.pred.p);
	st_free(&ps.pred.unknown);
	st_free(&ps.prel);
	free(ps.rel_found);
	free(ps.rel_total);
	free(ps.fp_rel);
	st_free(&cs.unknown);
	return rc;
}
