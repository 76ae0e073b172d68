/*
 * gen_corpus.c - a deterministic news-like JSONL corpus with known reprints.
 *
 * usage: gen_corpus N_DOCS OUT.jsonl TRUTH.tsv [SEED]
 *
 * Articles of 300-1,500 words drawn from a Zipf-distributed vocabulary of
 * 60,000 invented words, in sentences and paragraphs, from 40 outlets, each
 * with its own chrome line (boilerplate) appended to most of its pages.
 * About 10% of the articles are reprints of an earlier one: another outlet
 * and headline, up to 3% of the words substituted, and possibly trimmed to
 * 85-100% of the paragraphs. Every (original, reprint) pair is written to
 * TRUTH.tsv; by construction their Jaccard on word 5-shingles is well above
 * 0.5, so recall against the truth is measured at the default threshold.
 *
 * The output depends only on N_DOCS and SEED.
 *
 * usage: gen_corpus --news N_DOCS OUT.jsonl TRUTH.tsv [SEED]
 *
 * News-shaped pages, the shape of ../shared/tools/gen_news.py in C (10M
 * pages in minutes): 40 outlets, each page wrapped in its outlet's site
 * chrome (site name, section bar, an "Updated" line that changes from
 * page to page, a share bar, a "Most read" list of four of the outlet's
 * recent headlines, newsletter and copyright lines); half the original
 * stories are wire copy with a dateline ("KALOVA (Wire) - "). A quarter
 * of the pages are copies of a recent original in another outlet: a full
 * reprint with up to 1% of the words changed (55%), a trim to its first
 * 40-85% of paragraphs (25%), or an excerpt of one or two of its
 * paragraphs (40 words or more) inside a story of the outlet's own (20%). TRUTH.tsv lists
 * each (original, copy) pair with its kind: full, trimmed or excerpt.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VOCAB 60000
#define OUTLETS 40
#define MAX_WORDS 1500

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static char words[VOCAB][12];
static double zipf_cdf[VOCAB];

static void make_vocab(void)
{
	static const char *syl[] = { "ka", "lo", "ri", "men", "ta", "vo", "se",
				     "ul", "dan", "pre", "no", "bi", "tor", "ex",
				     "ga", "lu", "mi", "sto", "fa", "ne", "qui",
				     "ar", "zo", "hel", "vin", "ost", "per", "ju" };
	const int nsyl = (int)(sizeof(syl) / sizeof(syl[0]));
	for (int i = 0; i < VOCAB; i++) {
		int n = 1 + (int)(rnd() % 3);
		words[i][0] = '\0';
		for (int k = 0; k < n; k++)
			strcat(words[i], syl[rnd() % (uint64_t)nsyl]);
		/* Make every word distinct by a base-26 suffix. */
		size_t l = strlen(words[i]);
		int v = i;
		do {
			words[i][l++] = (char)('a' + v % 26);
			v /= 26;
		} while (v && l < 11);
		words[i][l] = '\0';
	}
	double sum = 0;
	for (int i = 0; i < VOCAB; i++)
		sum += 1.0 / pow(i + 1, 1.0);
	double acc = 0;
	for (int i = 0; i < VOCAB; i++) {
		acc += 1.0 / pow(i + 1, 1.0) / sum;
		zipf_cdf[i] = acc;
	}
}

static int zipf_word(void)
{
	double u = unif();
	int lo = 0, hi = VOCAB - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* An article: words with paragraph breaks (-1) and sentence ends (-2). */
typedef struct art {
	int w[MAX_WORDS + 200];
	int n;
	int outlet;
} art;

static void make_article(art *a)
{
	int nwords = 300 + (int)(rnd() % 1201), n = 0, sent = 0, par = 0;
	while (n < nwords + 200 && nwords > 0) {
		a->w[n++] = zipf_word();
		nwords--;
		if (++sent >= 8 + (int)(rnd() % 18)) {
			a->w[n++] = -2;
			sent = 0;
			if (++par >= 3 + (int)(rnd() % 4)) {
				a->w[n++] = -1;
				par = 0;
			}
		}
	}
	a->n = n;
}

static void reprint(art *dst, const art *src)
{
	double rate = unif() * 0.03;
	int keep = src->n;
	if (unif() < 0.4) { /* trim to 85-100%, at a paragraph end if any */
		keep = (int)(src->n * (0.85 + 0.15 * unif()));
		for (int i = keep; i > keep * 9 / 10; i--)
			if (src->w[i] == -1) {
				keep = i;
				break;
			}
	}
	for (int i = 0; i < keep; i++) {
		int w = src->w[i];
		dst->w[i] = (w >= 0 && unif() < rate) ? zipf_word() : w;
	}
	dst->n = keep;
}

static void put_article(FILE *fp, const art *a)
{
	int cap = 1;
	for (int i = 0; i < a->n; i++) {
		int w = a->w[i];
		if (w == -1) {
			fputs("\\n\\n", fp);
			cap = 1;
		} else if (w == -2) {
			fputc('.', fp);
			cap = 1;
		} else {
			if (i > 0 && a->w[i - 1] != -1)
				fputc(' ', fp);
			if (cap) {
				fputc(words[w][0] - 32, fp);
				fputs(words[w] + 1, fp);
				cap = 0;
			} else {
				fputs(words[w], fp);
			}
		}
	}
}

/* ---- --news ---- */

static void put_cap(FILE *fp, int w)
{
	fputc(words[w][0] - 32, fp);
	fputs(words[w] + 1, fp);
}

/* Paragraph p (0-based) of a: [*from, *to) of a->w; 0 when none. */
static int paragraph(const art *a, int p, int *from, int *to)
{
	int i = 0;
	for (int k = 0; k < p; k++) {
		while (i < a->n && a->w[i] != -1)
			i++;
		if (i >= a->n)
			return 0;
		i++;
	}
	if (i >= a->n)
		return 0;
	*from = i;
	while (i < a->n && a->w[i] != -1)
		i++;
	*to = i;
	return *to > *from;
}

static int paragraphs(const art *a)
{
	int n = a->n > 0;
	for (int i = 0; i + 1 < a->n; i++)
		n += a->w[i] == -1;
	return n;
}

/* Append words [from, to) of src to dst (room permitting). */
static void append(art *dst, const art *src, int from, int to)
{
	for (int i = from; i < to && dst->n < MAX_WORDS + 190; i++)
		dst->w[dst->n++] = src->w[i];
}

/* A story of the outlet's own of about nwords words, appended. */
static void own_paragraphs(art *dst, int npar)
{
	art tmp;
	make_article(&tmp);
	int from, to;
	for (int p = 0; p < npar && paragraph(&tmp, p, &from, &to); p++) {
		if (dst->n)
			dst->w[dst->n++] = -1;
		append(dst, &tmp, from, to);
	}
}

static const char *const SECTIONS[] = { "Home", "World", "Business", "Sport",
					"Culture", "Opinion", "Science", "Travel" };

static int news_main(long ndocs, FILE *out, FILE *truth)
{
	enum { RING = 4096, READ = 8 };
	static art ring[RING];
	static long ring_id[RING];
	static int ring_wire[RING];
	static char titles[OUTLETS][READ][80];
	long nring = 0, npairs = 0;
	int ntitles[OUTLETS] = { 0 };
	art *cur = malloc(sizeof(art));
	if (!cur)
		return 1;
	fputs("a\tb\tkind\n", truth);
	for (long d = 0; d < ndocs; d++) {
		int copy = nring > 0 && unif() < 0.25, wire = 0;
		const char *kind = NULL;
		long src = -1;
		int outlet;
		if (copy) {
			long k = (long)(rnd() % (uint64_t)(nring < RING ? nring : RING));
			const art *o = &ring[k];
			src = ring_id[k];
			wire = ring_wire[k];
			outlet = (o->outlet + 1 + (int)(rnd() % (OUTLETS - 1))) % OUTLETS;
			double u = unif();
			cur->n = 0;
			if (u < 0.55) {
				kind = "full";
				double rate = unif() * 0.01;
				for (int i = 0; i < o->n; i++)
					cur->w[i] = o->w[i] >= 0 && unif() < rate ? zipf_word()
										 : o->w[i];
				cur->n = o->n;
			} else if (u < 0.80) {
				kind = "trimmed";
				int np = paragraphs(o);
				int keep = (int)(np * (0.40 + 0.45 * unif()));
				int from, to;
				if (keep < 1)
					keep = 1;
				for (int p = 0; p < keep && paragraph(o, p, &from, &to); p++) {
					if (cur->n)
						cur->w[cur->n++] = -1;
					append(cur, o, from, to);
				}
			} else {
				kind = "excerpt";
				wire = 0;
				own_paragraphs(cur, 1 + (int)(rnd() % 3));
				int np = paragraphs(o), p0 = (int)(rnd() % (uint64_t)np);
				int p1 = p0 + 1 + (int)(rnd() % 2), from, to;
				if (p1 > np)
					p1 = np;
				/* At least 40 words (a paragraph may be one short
				 * sentence): more paragraphs after, or before at
				 * the story's end. */
				for (;;) {
					int words = 0;
					for (int p = p0; p < p1 && paragraph(o, p, &from, &to); p++)
						words += to - from;
					if (words >= 40 || (p0 == 0 && p1 >= np))
						break;
					if (p1 < np)
						p1++;
					else
						p0--;
				}
				for (int p = p0; p < p1 && paragraph(o, p, &from, &to); p++) {
					cur->w[cur->n++] = -1;
					append(cur, o, from, to);
				}
				art tail;
				tail.n = 0;
				own_paragraphs(&tail, 1 + (int)(rnd() % 2));
				cur->w[cur->n++] = -1;
				append(cur, &tail, 0, tail.n);
			}
			cur->outlet = outlet;
			fprintf(truth, "doc-%ld\tdoc-%ld\t%s\n", src, d, kind);
			npairs++;
		} else {
			make_article(cur);
			outlet = cur->outlet = (int)(rnd() % OUTLETS);
			wire = unif() < 0.5;
			ring[nring % RING] = *cur;
			ring_id[nring % RING] = d;
			ring_wire[nring % RING] = wire;
			nring++;
		}
		long minutes = d * 3;
		char title[80];
		int tl = 0;
		for (int i = 0; i < 6; i++)
			tl += snprintf(title + tl, sizeof(title) - (size_t)tl, "%s%s",
				       i ? " " : "", words[zipf_word() % 5000 + 50]);
		fprintf(out, "{\"id\":\"doc-%ld\",\"outlet\":\"Outlet %d\","
			"\"date\":\"2026-%02ld-%02ldT%02ld:%02ld:00Z\",\"title\":\"%s\","
			"\"text\":\"", d, outlet, 1 + (minutes / 43200) % 12,
			1 + (minutes / 1440) % 28, (minutes / 60) % 24, minutes % 60, title);
		/* The site's head: its name, its section bar, the update line. */
		fputs("The ", out);
		put_cap(out, outlet * 11 + 7);
		fputc(' ', out);
		put_cap(out, outlet * 13 + 5);
		fputs("\\n", out);
		for (int i = 0; i < 6; i++)
			fprintf(out, "%s%s", i ? " | " : "", SECTIONS[(outlet + i * 3) % 8]);
		fprintf(out, "\\nUpdated %02ld:%02ld, %02ld/%02ld/2026\\n\\n",
			(minutes / 60) % 24, minutes % 60, 1 + (minutes / 1440) % 28,
			1 + (minutes / 43200) % 12);
		if (wire) {
			/* the dateline: a place in capitals, the agency, a dash */
			for (const char *c = words[(src >= 0 ? src : d) % 200 + 900]; *c; c++)
				fputc(*c - 32, out);
			fputs(" (Wire) \u2013 ", out);
		}
		put_article(out, cur);
		/* The foot: share bar, most read, newsletter, copyright. */
		fputs("\\n\\nShare on Facebook | Share on X | Email this story", out);
		if (ntitles[outlet]) {
			fputs("\\n\\nMost read", out);
			for (int i = 0; i < 4 && i < ntitles[outlet]; i++)
				fprintf(out, "\\n%d. %s", i + 1,
					titles[outlet][(ntitles[outlet] - 1 - i) % READ]);
		}
		fprintf(out, "\\n\\nSubscribe to the Outlet %d newsletter for the day's news."
			"\\n\u00a9 2026 Outlet %d. All rights reserved.\"}\n", outlet,
			outlet);
		snprintf(titles[outlet][ntitles[outlet] % READ], 80, "%s", title);
		ntitles[outlet]++;
	}
	free(cur);
	fprintf(stderr, "gen_corpus: %ld news pages, %ld true pairs\n", ndocs, npairs);
	return 0;
}

int main(int argc, char **argv)
{
	int news = argc > 1 && strcmp(argv[1], "--news") == 0;
	if (news) {
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: gen_corpus [--news] N_DOCS OUT.jsonl TRUTH.tsv [SEED]\n");
		return 2;
	}
	long ndocs = atol(argv[1]);
	rng_state = argc > 4 ? strtoull(argv[4], NULL, 10) : 20261128;
	FILE *out = fopen(argv[2], "w"), *truth = fopen(argv[3], "w");
	if (ndocs <= 0 || !out || !truth) {
		fprintf(stderr, "gen_corpus: bad arguments or cannot write\n");
		return 2;
	}
	make_vocab();
	if (news) {
		setvbuf(out, NULL, _IOFBF, 1 << 20);
		int rc = news_main(ndocs, out, truth);
		if (fclose(out) != 0 || fclose(truth) != 0) {
			fprintf(stderr, "gen_corpus: write failed\n");
			return 1;
		}
		return rc;
	}
	char chrome[OUTLETS][200];
	for (int o = 0; o < OUTLETS; o++)
		snprintf(chrome[o], sizeof(chrome[o]),
			 "Share this story. Follow Outlet %d on social media. "
			 "Subscribe to the %s daily newsletter. Related posts.",
			 o, words[o * 7 + 3]);

	/* A ring of recent originals that later articles may reprint. */
	enum { RING = 4096 };
	static art ring[RING];
	static long ring_id[RING];
	long nring = 0;
	art *cur = malloc(sizeof(art));
	long npairs = 0;
	fputs("a\tb\n", truth);
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	for (long d = 0; d < ndocs; d++) {
		int is_reprint = nring > 0 && unif() < 0.10;
		long src = -1;
		if (is_reprint) {
			long k = (long)(rnd() % (uint64_t)(nring < RING ? nring : RING));
			src = ring_id[k];
			reprint(cur, &ring[k]);
			cur->outlet = (ring[k].outlet + 1 + (int)(rnd() % (OUTLETS - 1))) % OUTLETS;
			fprintf(truth, "doc-%ld\tdoc-%ld\n", src, d);
			npairs++;
		} else {
			make_article(cur);
			cur->outlet = (int)(rnd() % OUTLETS);
			ring[nring % RING] = *cur;
			ring_id[nring % RING] = d;
			nring++;
		}
		long minutes = d * 3;
		fprintf(out, "{\"id\":\"doc-%ld\",\"outlet\":\"Outlet %d\","
			"\"date\":\"2026-%02ld-%02ldT%02ld:%02ld:00Z\",\"title\":\"",
			d, cur->outlet, 1 + (minutes / 43200) % 12,
			1 + (minutes / 1440) % 28, (minutes / 60) % 24, minutes % 60);
		for (int i = 0; i < 6; i++)
			fprintf(out, "%s%s", i ? " " : "", words[zipf_word() % 5000 + 50]);
		fputs("\",\"text\":\"", out);
		put_article(out, cur);
		if (unif() < 0.8)
			fprintf(out, "\\n\\n%s", chrome[cur->outlet]);
		fputs("\"}\n", out);
	}
	free(cur);
	if (fclose(out) != 0 || fclose(truth) != 0) {
		fprintf(stderr, "gen_corpus: write failed\n");
		return 1;
	}
	fprintf(stderr, "gen_corpus: %ld documents, %ld true pairs\n", ndocs, npairs);
	return 0;
}
