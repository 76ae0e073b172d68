/*
 * align.c - passage alignment of two texts by shared shingles.
 *
 * Design. A shared k-shingle is an anchor: position i in a and j in b where
 * the k words starting there are the same. Anchors are found by indexing
 * the shingle hashes of a (a hash table of positions, kept while the
 * caller aligns a against several partners) and looking up each shingle
 * of b in order. Anchors are then chained into passages: an anchor joins
 * an open passage whose last anchor is at most G = k + 10 words behind it
 * in both texts (preferring the same diagonal, then the smallest gap);
 * otherwise it opens a new passage. Because chains only move
 * forward in both texts, a reordered paragraph becomes a passage of its
 * own, an inserted paragraph or a trimmed ending leaves a gap between or
 * after passages, and a short edit inside a passage is bridged.
 *
 * Edits need no general diff: between consecutive anchors (i, j) and
 * (i', j') of a passage the words not covered by either anchor's shingle
 * are a[i+k .. i') and b[j+k .. j'). When both are empty the text runs on;
 * otherwise the gap is an edit: min(|ga|, |gb|) words substituted, the
 * rest deleted from a or inserted in b. This is the alignment passim and
 * similar reuse detectors compute (Smith et al. 2013), restricted to
 * anchor chains, and costs O(n) expected for texts of n words.
 *
 * A shingle repeated more than MAX_REPEAT times inside a makes no anchors:
 * it would pair every repetition in a with every one in b (a post of
 * twenty-line tables, a signature block) and make alignment quadratic,
 * and such a refrain tells nothing about where the texts agree.
 *
 * Passages shorter than MIN_WORDS words are dropped: a common phrase shared
 * by chance is not reuse. Of passages that overlap in either text (a
 * phrase repeated inside one text matches in two places), the longest is
 * kept, so every word belongs to at most one passage.
 */
#include "align.h"

#include "hash.h"

#define GAP_EXTRA 10
#define MIN_WORDS 8
#define MAX_REPEAT 8

void rp_align_free(rp_align *al)
{
	if (!al)
		return;
	free(al->pass);
	free(al->edits);
	free(al->sa);
	free(al->sb);
	free(al->ht);
	free(al->next);
	free(al->twice);
	free(al->anch);
	free(al->link);
	free(al->open);
	free(al->done);
	memset(al, 0, sizeof(*al));
}

int rp_tokens_equal(const rp_token *ta, size_t na, const rp_token *tb,
		    size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (ta[i].hash != tb[i].hash)
			return 0;
	return 1;
}

/* Hashes of every k-word window, by a rolling polynomial over the token
 * hashes (O(1) per window); internal to alignment, so it need not match the
 * shingles of signatures. */
static int shingles(uint64_t **out, size_t *cap, const rp_token *t, size_t n,
		    unsigned k, size_t *ns)
{
	const uint64_t P = 0x9e3779b97f4a7c15ULL;
	uint64_t pk = 1, h = 0;
	*ns = n >= k ? n - k + 1 : 0;
	FORWARD_IF_ERROR(rp_grow((void **)out, cap, *ns + 1, sizeof(**out)));
	for (unsigned x = 0; x + 1 < k; x++)
		pk *= P; /* P^(k-1) */
	for (size_t i = 0; i < n; i++) {
		if (i >= k)
			h -= t[i - k].hash * pk;
		h = h * P + t[i].hash;
		if (i + 1 >= k)
			(*out)[i + 1 - k] = rp_mix64(h);
	}
	return RP_OK;
}

/* A chain of anchors while they are scanned: its members are anchors
 * first, link[first], link[link[first]], ... (count of them). */
typedef struct rp_chain {
	size_t last_i, last_j;
	size_t count;
	size_t first, last;       /* anchor indexes */
	/* extent once closed: words [i0, i1) of a and [j0, j1) of b, of
	 * which lead/trail words were added by edge_run */
	size_t i0, i1, j0, j1, lead, trail;
} chain;

/* Are all tokens of t[lo, hi) figures? (An empty range is.) */
static int all_numeric(const rp_token *t, size_t lo, size_t hi)
{
	for (size_t x = lo; x < hi; x++)
		if (!t[x].numeric)
			return 0;
	return 1;
}

/* Is any token of t[lo, hi) a figure? */
static int has_figure(const rp_token *t, size_t lo, size_t hi)
{
	for (size_t x = lo; x < hi; x++)
		if (t[x].numeric)
			return 1;
	return 0;
}

static int push_edit(rp_align *al, rp_passage *p, const rp_token *ta,
		     const rp_token *tb, size_t a0, size_t a1, size_t b0,
		     size_t b1)
{
	size_t ga = a1 - a0, gb = b1 - b0, sub = RP_MIN(ga, gb);
	FORWARD_IF_ERROR(RP_GROW(al->edits, al->capedits, al->nedits + 1));
	/* Edits come in text order: the words since the last one ran on. */
	if (a0 > al->run_from)
		al->longest_run = RP_MAX(al->longest_run, a0 - al->run_from);
	al->run_from = a1;
	rp_edit *e = &al->edits[al->nedits++];
	p->substituted += sub;
	p->deleted += ga - sub;
	p->inserted += gb - sub;
	al->figure_places += has_figure(ta, a0, a1) && has_figure(tb, b0, b1);
	if (all_numeric(ta, a0, a1) && all_numeric(tb, b0, b1))
		al->figure_edits += RP_MAX(ga, gb);
	else
		al->word_edits += RP_MAX(ga, gb);
	/* Byte ranges; an empty side sits where the other side's words
	 * would be (after the previous word). */
	e->words_a = ga;
	e->words_b = gb;
	e->a_start = ga ? ta[a0].start : (a0 ? ta[a0 - 1].end : ta[0].start);
	e->a_end = ga ? ta[a1 - 1].end : e->a_start;
	e->b_start = gb ? tb[b0].start : (b0 ? tb[b0 - 1].end : tb[0].start);
	e->b_end = gb ? tb[b1 - 1].end : e->b_start;
	return RP_OK;
}

/* A gap of equal length on both sides: only the differing words are
 * edits (runs of them, so "1.2 billion" -> "1.3 billion" is one edit). */
static int push_gap(rp_align *al, rp_passage *p, const rp_token *ta,
		    const rp_token *tb, size_t a0, size_t a1, size_t b0,
		    size_t b1)
{
	if (a1 - a0 != b1 - b0)
		return push_edit(al, p, ta, tb, a0, a1, b0, b1);
	size_t n = a1 - a0;
	for (size_t x = 0; x < n;) {
		if (ta[a0 + x].hash == tb[b0 + x].hash) {
			x++;
			continue;
		}
		size_t y = x;
		while (y < n && ta[a0 + y].hash != tb[b0 + y].hash)
			y++;
		FORWARD_IF_ERROR(push_edit(al, p, ta, tb, a0 + x, a0 + y,
					   b0 + x, b0 + y));
		x = y;
	}
	return RP_OK;
}

/* How far the words before (dir < 0) or after a passage still match, one
 * for one, allowing figures to differ: k-1 equal words next to a changed
 * figure make no anchor, but they are part of the same passage. */
static size_t edge_run(const rp_token *ta, size_t na, const rp_token *tb,
		       size_t nb, size_t i, size_t j, int dir)
{
	size_t n = 0, last_equal = 0;
	for (;;) {
		size_t x = n + 1;
		if (dir < 0 ? (i < x || j < x) : (i + n >= na || j + n >= nb))
			break;
		const rp_token *u = dir < 0 ? &ta[i - x] : &ta[i + n];
		const rp_token *v = dir < 0 ? &tb[j - x] : &tb[j + n];
		if (u->hash != v->hash && !(u->numeric && v->numeric))
			break;
		n++;
		if (u->hash == v->hash)
			last_equal = n;
	}
	return last_equal; /* never end a passage on a changed figure */
}

static int add_passage(rp_align *al, const rp_token *ta, const rp_token *tb,
		       const chain *c, unsigned k)
{
	const uint32_t *an = al->anch;
	size_t i0 = c->i0, j0 = c->j0, i1 = c->i1, j1 = c->j1;
	size_t lead = c->lead, trail = c->trail;
	FORWARD_IF_ERROR(RP_GROW(al->pass, al->cappass, al->npass + 1));
	rp_passage *p = &al->pass[al->npass];
	memset(p, 0, sizeof(*p));
	p->first_edit = al->nedits;
	al->run_from = i0;
	FORWARD_IF_ERROR(push_gap(al, p, ta, tb, i0, i0 + lead, j0, j0 + lead));
	for (size_t m = 1, prev = c->first; m < c->count; m++) {
		size_t cur = al->link[prev];
		size_t pi = an[2 * prev], pj = an[2 * prev + 1];
		size_t ni = an[2 * cur], nj = an[2 * cur + 1];
		prev = cur;
		size_t ga = ni > pi + k ? ni - pi - k : 0;
		size_t gb = nj > pj + k ? nj - pj - k : 0;
		if (ga == 0 && gb == 0)
			continue;
		FORWARD_IF_ERROR(push_gap(al, p, ta, tb, ni - ga, ni, nj - gb, nj));
	}
	FORWARD_IF_ERROR(push_gap(al, p, ta, tb, i1 - trail, i1, j1 - trail, j1));
	if (i1 > al->run_from)
		al->longest_run = RP_MAX(al->longest_run, i1 - al->run_from);
	p->a_start = ta[i0].start;
	p->a_end = ta[i1 - 1].end;
	p->b_start = tb[j0].start;
	p->b_end = tb[j1 - 1].end;
	p->words_a = i1 - i0;
	p->words_b = j1 - j0;
	p->a_word = i0;
	p->b_word = j0;
	p->edit_count = al->nedits - p->first_edit;
	al->shared_words += p->words_a - p->deleted - p->substituted;
	al->npass++;
	return RP_OK;
}

/* Extents of the closed chains, then the passages: chains shorter than
 * MIN_WORDS are dropped, and of chains that overlap in either text
 * (a phrase repeated inside one text matches in two places) the longer
 * one is kept. Passages are made in order of their start in a. */
static int make_passages(rp_align *al, const rp_token *ta, size_t na,
			 const rp_token *tb, size_t nb, chain *ch, size_t n,
			 unsigned k)
{
	const uint32_t *an = al->anch;
	size_t *order = reallocarray(NULL, n + 1, sizeof(*order)), m = 0;
	RETURN_ERROR_IF(!order, RP_ENOMEM);
	for (size_t x = 0; x < n; x++) {
		chain *c = &ch[x];
		size_t i0 = an[2 * c->first], j0 = an[2 * c->first + 1];
		size_t i1 = c->last_i + k, j1 = c->last_j + k;
		c->lead = edge_run(ta, na, tb, nb, i0, j0, -1);
		c->trail = edge_run(ta, na, tb, nb, i1, j1, 1);
		c->i0 = i0 - c->lead;
		c->j0 = j0 - c->lead;
		c->i1 = i1 + c->trail;
		c->j1 = j1 + c->trail;
		if (c->i1 - c->i0 >= MIN_WORDS || c->j1 - c->j0 >= MIN_WORDS)
			order[m++] = x;
	}
	/* Longest first (insertion sort: chains are few). */
	for (size_t x = 1; x < m; x++) {
		size_t v = order[x], y = x;
		size_t len = ch[v].i1 - ch[v].i0 + ch[v].j1 - ch[v].j0;
		while (y > 0 && ch[order[y - 1]].i1 - ch[order[y - 1]].i0 +
					  ch[order[y - 1]].j1 - ch[order[y - 1]].j0 < len) {
			order[y] = order[y - 1];
			y--;
		}
		order[y] = v;
	}
	size_t kept = 0;
	for (size_t x = 0; x < m; x++) {
		chain *c = &ch[order[x]];
		int clash = 0;
		for (size_t y = 0; y < kept && !clash; y++) {
			chain *d = &ch[order[y]];
			clash = (c->i0 < d->i1 && d->i0 < c->i1) ||
				(c->j0 < d->j1 && d->j0 < c->j1);
		}
		if (!clash)
			order[kept++] = order[x];
	}
	/* In order of a. */
	for (size_t x = 1; x < kept; x++) {
		size_t v = order[x], y = x;
		while (y > 0 && ch[order[y - 1]].i0 > ch[v].i0) {
			order[y] = order[y - 1];
			y--;
		}
		order[y] = v;
	}
	int err = RP_OK;
	al->lead_a = na;
	al->lead_b = nb;
	al->trail_a = na;
	al->trail_b = nb;
	for (size_t x = 0; x < kept && err == RP_OK; x++) {
		chain *c = &ch[order[x]];
		err = add_passage(al, ta, tb, c, k);
		al->lead_a = RP_MIN(al->lead_a, c->i0);
		al->lead_b = RP_MIN(al->lead_b, c->j0);
		al->trail_a = RP_MIN(al->trail_a, na - c->i1);
		al->trail_b = RP_MIN(al->trail_b, nb - c->j1);
	}
	free(order);
	return err;
}

/* Anchor (i, j): a's window i is b's window j. */
static int push_anchor(rp_align *al, size_t i, size_t j)
{
	FORWARD_IF_ERROR(RP_GROW(al->anch, al->capanch, 2 * (al->nanch + 1)));
	al->anch[2 * al->nanch] = (uint32_t)i;
	al->anch[2 * al->nanch + 1] = (uint32_t)j;
	al->nanch++;
	return RP_OK;
}

int rp_align_tokens(rp_align *al, const rp_token *ta, size_t na,
		    const rp_token *tb, size_t nb, unsigned k, uint64_t a_key)
{
	size_t nsa, nsb;

	al->npass = al->nedits = al->shared_words = al->nanch = 0;
	al->longest_run = 0;
	al->figure_edits = al->word_edits = al->figure_places = 0;
	al->lead_a = na;
	al->lead_b = nb;
	al->trail_a = na;
	al->trail_b = nb;
	k = (unsigned)RP_MIN((size_t)k, RP_MIN(na, nb));
	if (k == 0)
		return RP_OK;
	if (k > 64)
		k = 64;
	if (!a_key || a_key != al->a_key || k != al->a_k)
		FORWARD_IF_ERROR(shingles(&al->sa, &al->capsa, ta, na, k, &nsa));
	else
		nsa = na >= k ? na - k + 1 : 0;
	FORWARD_IF_ERROR(shingles(&al->sb, &al->capsb, tb, nb, k, &nsb));

	/* Index a's shingles, (hash, position) sorted by hash, unless the
	 * caller says a is the same text as last time (pairs come sorted by
	 * a, so one index serves all of a's partners). */
	if (!a_key || a_key != al->a_key || k != al->a_k) {
		/* Open addressing, power-of-two size, load <= 1/2; positions
		 * with equal hashes are linked through al->next, and marked in
		 * al->twice. */
		size_t cap = 16;
		while (cap < 2 * nsa)
			cap *= 2;
		al->a_key = 0; /* (until the index is whole) */
		FORWARD_IF_ERROR(rp_grow((void **)&al->ht, &al->capht, cap,
					 sizeof(*al->ht)));
		FORWARD_IF_ERROR(rp_grow((void **)&al->next, &al->capnext,
					 nsa + 1, sizeof(*al->next)));
		FORWARD_IF_ERROR(rp_grow((void **)&al->twice, &al->captwice,
					 nsa + 1, 1));
		memset(al->ht, 0, cap * sizeof(*al->ht));
		memset(al->twice, 0, nsa);
		al->htmask = cap - 1;
		for (size_t i = nsa; i-- > 0;) {
			size_t slot = (size_t)al->sa[i] & al->htmask;
			while (al->ht[slot] && al->sa[al->ht[slot] - 1] != al->sa[i])
				slot = (slot + 1) & al->htmask;
			if (al->ht[slot])
				al->twice[i] = al->twice[al->ht[slot] - 1] = 1;
			al->next[i] = al->ht[slot];   /* 0 ends the list */
			al->ht[slot] = (uint32_t)i + 1; /* smallest i first */
		}
		al->a_key = a_key;
		al->a_k = k;
	}

	/* Anchors in order of j (position in b), then i. Where b runs on
	 * as a does, b's next shingle is a's next one: when that one occurs
	 * once in a, it is the whole answer of the table, found without a
	 * probe. */
	size_t guess = SIZE_MAX; /* a's position after j - 1's last anchor */
	for (size_t j = 0; j < nsb; j++) {
		uint64_t h = al->sb[j];
		if (guess < nsa && al->sa[guess] == h && !al->twice[guess]) {
			FORWARD_IF_ERROR(push_anchor(al, guess, j));
			guess++;
			continue;
		}
		guess = SIZE_MAX;
		size_t slot = (size_t)h & al->htmask;
		while (al->ht[slot] && al->sa[al->ht[slot] - 1] != h)
			slot = (slot + 1) & al->htmask;
		/* A shingle that a repeats more than MAX_REPEAT times (a
		 * refrain, a table, a line of dashes) anchors nothing: its
		 * anchors would grow as the product of the two texts. */
		size_t reps = 0;
		for (uint32_t x = al->ht[slot]; x && reps <= MAX_REPEAT; x = al->next[x - 1])
			reps++;
		if (reps > MAX_REPEAT)
			continue;
		for (uint32_t x = al->ht[slot]; x; x = al->next[x - 1]) {
			FORWARD_IF_ERROR(push_anchor(al, x - 1, j));
			guess = x; /* (x - 1) + 1 */
		}
	}

	/* Chain anchors, walking b. */
	const size_t G = k + GAP_EXTRA;
	size_t nopen = 0, ndone = 0;
	FORWARD_IF_ERROR(rp_grow((void **)&al->link, &al->caplink,
				 al->nanch + 1, sizeof(*al->link)));
	for (size_t a = 0; a < al->nanch; a++) {
		size_t i = al->anch[2 * a], j = al->anch[2 * a + 1];
		chain *open = al->open;
		/* Close chains that fell behind; they can no longer grow. */
		for (size_t c = 0; c < nopen;) {
			if (open[c].last_j + G < j) {
				FORWARD_IF_ERROR(RP_GROW(al->done, al->capdone,
							 ndone + 1));
				al->done[ndone++] = open[c];
				open[c] = open[--nopen];
				continue;
			}
			c++;
		}
		size_t best = SIZE_MAX, best_cost = SIZE_MAX;
		for (size_t c = 0; c < nopen; c++) {
			chain *ch = &open[c];
			if (!(ch->last_i < i && ch->last_j < j && i <= ch->last_i + G))
				continue;
			size_t di = i - ch->last_i, dj = j - ch->last_j;
			size_t cost = (di == dj ? 0 : G) + RP_MAX(di, dj);
			if (cost < best_cost) {
				best_cost = cost;
				best = c;
			}
		}
		if (best == SIZE_MAX) {
			FORWARD_IF_ERROR(RP_GROW(al->open, al->capopen, nopen + 1));
			open = al->open;
			memset(&open[nopen], 0, sizeof(open[nopen]));
			open[nopen].first = a;
			best = nopen++;
		} else {
			al->link[open[best].last] = a;
		}
		chain *ch = &open[best];
		ch->last = a;
		ch->count++;
		ch->last_i = i;
		ch->last_j = j;
	}
	FORWARD_IF_ERROR(RP_GROW(al->done, al->capdone, ndone + nopen + 1));
	for (size_t c = 0; c < nopen; c++)
		al->done[ndone++] = al->open[c];
	return make_passages(al, ta, na, tb, nb, al->done, ndone, k);
}
