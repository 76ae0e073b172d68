/*
 * compare.c - `reprint compare A B`: one pair, explained for a person.
 *
 * Prints the relation, the likely source, the exact scores, and every
 * shared passage side by side (a on the left, b on the right), wrapped to
 * the terminal width. Inside a passage, words of a that b deleted or
 * replaced are red, words b inserted or put in their place are green. On a
 * non-terminal or with NO_COLOR set, edits are marked [-so-] and {+so+}.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

typedef struct side {
	char *buf;         /* display text: whitespace collapsed, marks added */
	size_t len, cap;
	unsigned char *col;/* per byte: 0 plain, 1 edit */
} side;

static int side_put(side *s, const char *p, size_t n, int edit)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = (s->len + n + 1) * 2;
		char *b = realloc(s->buf, cap);
		unsigned char *c = realloc(s->col, cap);
		if (!b || !c) {
			free(b ? b : s->buf);
			free(c ? c : s->col);
			s->buf = NULL;
			s->col = NULL;
			return -1;
		}
		s->buf = b;
		s->col = c;
		s->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch == '\n' || ch == '\r' || ch == '\t')
			ch = ' ';
		if (ch == ' ' && s->len && s->buf[s->len - 1] == ' ')
			continue;
		s->buf[s->len] = ch;
		s->col[s->len++] = (unsigned char)edit;
	}
	s->buf[s->len] = '\0';
	return 0;
}

/* Text [start, end) of doc with edits [es, ee) of this side marked. */
static int build_side(side *s, const char *text, size_t start, size_t end,
		      const rp_edit *ed, size_t ne, int is_a, int color)
{
	size_t at = start;
	for (size_t e = 0; e < ne; e++) {
		size_t es = is_a ? ed[e].a_start : ed[e].b_start;
		size_t ee = is_a ? ed[e].a_end : ed[e].b_end;
		if (es < at || ee > end)
			continue;
		if (side_put(s, text + at, es - at, 0) < 0)
			return -1;
		if (ee > es) {
			const char *open = is_a ? "[-" : "{+", *close = is_a ? "-]" : "+}";
			if (!color && side_put(s, open, 2, 1) < 0)
				return -1;
			if (side_put(s, text + es, ee - es, 1) < 0)
				return -1;
			if (!color && side_put(s, close, 2, 1) < 0)
				return -1;
		}
		at = ee;
	}
	return side_put(s, text + at, end - at, 0);
}

/* Next display line of s from *pos: at most width code points, broken at a
 * space when possible. Returns the byte length. */
static size_t next_line(const side *s, size_t pos, size_t width)
{
	size_t i = pos, cps = 0, last_space = 0;
	while (i < s->len && cps < width) {
		if (s->buf[i] == ' ')
			last_space = i;
		i++;
		while (i < s->len && ((unsigned char)s->buf[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	if (i < s->len && last_space > pos)
		return last_space - pos + 1;
	return i - pos;
}

static void print_side_by_side(const side *a, const side *b, size_t width,
			       int color)
{
	size_t pa = 0, pb = 0;
	while (pa < a->len || pb < b->len) {
		size_t na = next_line(a, pa, width), nb = next_line(b, pb, width);
		/* Colour per side: deletions red on the left, insertions
		 * green on the right. */
		size_t cps = 0;
		int cur = 0;
		for (size_t i = pa; i < pa + na; i++) {
			if (color && a->col[i] != cur) {
				fputs(a->col[i] ? RED : RESET, stdout);
				cur = a->col[i];
			}
			fputc(a->buf[i], stdout);
			if (((unsigned char)a->buf[i] & 0xC0) != 0x80)
				cps++;
		}
		if (color && cur)
			fputs(RESET, stdout);
		for (; cps < width; cps++)
			fputc(' ', stdout);
		fputs(" | ", stdout);
		cur = 0;
		for (size_t i = pb; i < pb + nb; i++) {
			if (color && b->col[i] != cur) {
				fputs(b->col[i] ? GREEN : RESET, stdout);
				cur = b->col[i];
			}
			fputc(b->buf[i], stdout);
		}
		if (color && cur)
			fputs(RESET, stdout);
		fputc('\n', stdout);
		pa += na;
		pb += nb;
	}
}

static void print_rejects(const rp_corpus *c)
{
	for (size_t i = 0; i < rp_corpus_reject_count(c); i++) {
		rp_reject rj;
		rp_corpus_reject(&rj, c, i);
		fprintf(stderr, "%s: %s:%zu: rejected: %s\n", progname, rj.source,
			rj.line, rj.reason);
	}
}

int cmd_compare(cli *cl, int argc, char **argv)
{
	rp_corpus *c = NULL;
	rp_result *r = NULL;
	int rc = EXIT_OK, err;
	size_t ia = 0, ib = 1;

	if (argc - optind != 2)
		return usage_error("compare needs two documents: A B");
	const char *A = argv[optind], *B = argv[optind + 1];
	if (!(c = new_corpus(cl, &rc)))
		return rc;
	if (cl->in) {
		if (rp_corpus_read_path(c, cl->in, &cl->ro) == RP_ENOMEM) {
			msg("out of memory reading %s", cl->in);
			rc = EXIT_FAIL;
			goto done;
		}
		print_rejects(c);
		const char *missing = rp_corpus_find(&ia, c, A) < 0 ? A
				      : rp_corpus_find(&ib, c, B) < 0 ? B : NULL;
		if (missing) {
			msg("no document with id '%s' in %s", missing, cl->in);
			rc = EXIT_INPUT;
			goto done;
		}
		if (ia == ib)
			return rp_corpus_free(c),
			       usage_error("compare needs two different documents");
	} else if (rp_corpus_read_text(c, A, &cl->ro) < 0 ||
		   rp_corpus_read_text(c, B, &cl->ro) < 0) {
		print_rejects(c);
		rc = EXIT_INPUT;
		goto done;
	}

	err = rp_corpus_compare(&r, c, ia, ib, &cl->q);
	if (err < 0) {
		msg("cannot compare: %s", rp_corpus_error(c));
		rc = err == RP_EINPUT ? EXIT_INPUT : EXIT_FAIL;
		goto done;
	}

	const char *nc = getenv("NO_COLOR");
	int color = isatty(STDOUT_FILENO) && !(nc && *nc);
	const rp_pair *p = rp_result_pairs(r);
	const char *why;
	int reported = rp_result_verdict(r, &why);
	rp_doc_info da, db;
	/* In the pair's order, a the earlier document of the collection, as
	 * scan reports it. */
	rp_corpus_doc(&da, c, p ? p->a : RP_CLI_MIN(ia, ib));
	rp_corpus_doc(&db, c, p ? p->b : (ia < ib ? ib : ia));
	printf("%sa%s  %s%s%s%s\n", color ? BOLD : "", color ? RESET : "", da.id,
	       da.outlet ? "  (" : "", da.outlet ? da.outlet : "", da.outlet ? ")" : "");
	printf("%sb%s  %s%s%s%s\n", color ? BOLD : "", color ? RESET : "", db.id,
	       db.outlet ? "  (" : "", db.outlet ? db.outlet : "", db.outlet ? ")" : "");
	if (!cl->in)
		printf("chrome        none learned: two loose files (layout chrome, "
		       "datelines and credits are left out; --in COLLECTION "
		       "compares with what a collection teaches)\n");
	if (!p) {
		printf("relation      none (no shared shingle)\n");
		goto done;
	}
	printf("relation      %s\n", rp_relation_name(p->relation));
	printf("reported      %s (%s)\n", reported == 1 ? "yes" : "no", why);
	printf("source        %s\n", p->source < 0 ? "unknown" : p->source == 0 ? "a" : "b");
	printf("jaccard       %.6f\n", p->jaccard);
	printf("a in b        %.6f\n", p->containment_a);
	printf("b in a        %.6f\n", p->containment_b);
	printf("shared words  %zu\n", p->shared_words);
	printf("passages      %zu\n", p->passages);

	struct winsize ws;
	size_t cols = 100;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		cols = ws.ws_col;
	size_t width = (cols - 3) / 2;
	const rp_passage *ps;
	const rp_edit *ed;
	size_t np, ne;
	rp_result_passages(&ps, &np, r, 0);
	rp_result_edits(&ed, &ne, r, 0);
	for (size_t k = 0; k < np; k++) {
		printf("\n%spassage %zu%s: a bytes %zu-%zu (%zu words), b bytes %zu-%zu "
		       "(%zu words); %zu substituted, %zu deleted, %zu inserted\n",
		       color ? BOLD : "", k + 1, color ? RESET : "", ps[k].a_start,
		       ps[k].a_end, ps[k].words_a, ps[k].b_start, ps[k].b_end,
		       ps[k].words_b, ps[k].substituted, ps[k].deleted, ps[k].inserted);
		side sa = { 0 }, sb = { 0 };
		if (build_side(&sa, da.text, ps[k].a_start, ps[k].a_end,
			       ed + ps[k].first_edit, ps[k].edit_count, 1, color) < 0 ||
		    build_side(&sb, db.text, ps[k].b_start, ps[k].b_end,
			       ed + ps[k].first_edit, ps[k].edit_count, 0, color) < 0) {
			free(sa.buf); free(sa.col); free(sb.buf); free(sb.col);
			msg("out of memory");
			rc = EXIT_FAIL;
			goto done;
		}
		print_side_by_side(&sa, &sb, width, color);
		free(sa.buf);
		free(sa.col);
		free(sb.buf);
		free(sb.col);
	}
done:
	if (fflush(stdout) != 0 && rc == EXIT_OK)
		rc = EXIT_FAIL;
	rp_result_free(r);
	rp_corpus_free(c);
	return rc;
}
