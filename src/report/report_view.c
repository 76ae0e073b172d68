/*
 * report_view.c - one pair explained for a person at a terminal.
 *
 * The relation, the likely source, the exact scores, and every shared
 * passage side by side (a on the left, b on the right), wrapped to a
 * width in display columns (wide CJK characters take two). Inside a
 * passage, words of a that b deleted or replaced are red, words b inserted
 * or put in their place are green; without colour, edits are marked
 * [-so-] and {+so+}.
 */
#include "report.h"

#include <utf8proc.h>

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

/* Display columns of the character at s[i..n) (2 for wide CJK, 0 for
 * combining marks), and its length in bytes in *len. */
static size_t columns_at(const char *s, size_t n, size_t *len)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, &cp);
	if (l <= 0) {
		*len = 1;
		return 1;
	}
	*len = (size_t)l;
	int w = utf8proc_charwidth(cp);
	return w < 0 ? 0 : (size_t)w;
}

/* Next display line of s from *pos: at most width columns, broken at a
 * space when possible. Returns the byte length. */
static size_t next_line(const side *s, size_t pos, size_t width)
{
	size_t i = pos, cols = 0, last_space = 0;
	while (i < s->len) {
		size_t len, w = columns_at(s->buf + i, s->len - i, &len);
		if (cols + w > width)
			break;
		if (s->buf[i] == ' ')
			last_space = i;
		i += len;
		cols += w;
	}
	if (i < s->len && last_space > pos)
		return last_space - pos + 1;
	return i - pos;
}

static void print_side_by_side(FILE *out, const side *a, const side *b,
			       size_t width, int color)
{
	size_t pa = 0, pb = 0;
	while (pa < a->len || pb < b->len) {
		size_t na = next_line(a, pa, width), nb = next_line(b, pb, width);
		/* Colour per side: deletions red on the left, insertions
		 * green on the right. */
		size_t cps = 0;
		int cur = 0;
		for (size_t i = pa; i < pa + na;) {
			if (color && a->col[i] != cur) {
				fputs(a->col[i] ? RED : RESET, out);
				cur = a->col[i];
			}
			size_t len;
			cps += columns_at(a->buf + i, pa + na - i, &len);
			fwrite(a->buf + i, 1, len, out);
			i += len;
		}
		if (color && cur)
			fputs(RESET, out);
		for (; cps < width; cps++)
			fputc(' ', out);
		fputs(" | ", out);
		cur = 0;
		for (size_t i = pb; i < pb + nb; i++) {
			if (color && b->col[i] != cur) {
				fputs(b->col[i] ? GREEN : RESET, out);
				cur = b->col[i];
			}
			fputc(b->buf[i], out);
		}
		if (color && cur)
			fputs(RESET, out);
		fputc('\n', out);
		pa += na;
		pb += nb;
	}
}


int rp_report_view(const rp_sink *sink, const rp_result *r, size_t pair,
		   const rp_view_options *v)
{
	FILE *fp;
	rp_view_options def = { RP_VIEW_OPTIONS_VERSION, 0, 0 };
	if (!v)
		v = &def;
	RETURN_ERROR_IF(!r || v->version != RP_VIEW_OPTIONS_VERSION, RP_EINVAL);
	int none = r->compared && r->npairs == 0;
	RETURN_ERROR_IF(!none && pair >= r->npairs, RP_EINVAL);
	FORWARD_IF_ERROR(rp_report_open(&fp, sink));
	const rp_corpus *c = r->corpus;
	int color = v->color;
	size_t cols = v->width >= 40 ? v->width : 100;
	const rp_pair *p = none ? NULL : &r->pairs[pair];
	rp_doc_info da, db;
	rp_corpus_doc(&da, c, p ? p->a : r->cmp_a);
	rp_corpus_doc(&db, c, p ? p->b : r->cmp_b);
	fprintf(fp, "%sa%s  %s%s%s%s\n", color ? BOLD : "", color ? RESET : "", da.id,
		da.outlet ? "  (" : "", da.outlet ? da.outlet : "", da.outlet ? ")" : "");
	fprintf(fp, "%sb%s  %s%s%s%s\n", color ? BOLD : "", color ? RESET : "", db.id,
		db.outlet ? "  (" : "", db.outlet ? db.outlet : "", db.outlet ? ")" : "");
	if (!p) {
		fprintf(fp, "relation      none (%s)\n", r->why);
		return rp_report_close(fp, RP_OK);
	}
	fprintf(fp, "relation      %s\n", rp_relation_name(p->relation));
	if (r->compared)
		fprintf(fp, "reported      %s (%s)\n", r->verdict == 1 ? "yes" : "no",
			r->why);
	fprintf(fp, "source        %s\n", p->source < 0 ? "unknown" : p->source == 0 ? "a" : "b");
	fprintf(fp, "jaccard       %.6f\n", p->jaccard);
	fprintf(fp, "a in b        %.6f\n", p->containment_a);
	fprintf(fp, "b in a        %.6f\n", p->containment_b);
	fprintf(fp, "shared words  %zu\n", p->shared_words);
	fprintf(fp, "passages      %zu\n", p->passages);

	size_t width = (cols - 3) / 2;
	const rp_passage *ps = r->pass[pair];
	const rp_edit *ed = r->edits[pair];
	int err = RP_OK;
	for (size_t k = 0; k < p->passages; k++) {
		fprintf(fp, "\n%spassage %zu%s: a bytes %zu-%zu (%zu words), b bytes %zu-%zu "
			"(%zu words); %zu substituted, %zu deleted, %zu inserted\n",
			color ? BOLD : "", k + 1, color ? RESET : "", ps[k].a_start,
			ps[k].a_end, ps[k].words_a, ps[k].b_start, ps[k].b_end,
			ps[k].words_b, ps[k].substituted, ps[k].deleted, ps[k].inserted);
		side sa = { 0 }, sb = { 0 };
		if (build_side(&sa, da.text, ps[k].a_start, ps[k].a_end,
			       ed + ps[k].first_edit, ps[k].edit_count, 1, color) < 0 ||
		    build_side(&sb, db.text, ps[k].b_start, ps[k].b_end,
			       ed + ps[k].first_edit, ps[k].edit_count, 0, color) < 0)
			err = RP_ENOMEM;
		else
			print_side_by_side(fp, &sa, &sb, width, color);
		free(sa.buf);
		free(sa.col);
		free(sb.buf);
		free(sb.col);
		if (err < 0)
			break;
	}
	return rp_report_close(fp, err);
}
