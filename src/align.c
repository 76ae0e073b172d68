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
 * Passages shorter than MIN_WORDS words are dropped: a common phrase shared
 * by chance is not reuse.
 */
#include "align.h"

#include "minhash.h"

#define GAP_EXTRA 10
#define MIN_WORDS 8

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
	free(al->anch);
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

/* An open chain while anchors are scanned. */
typedef struct chain {
	size_t first;     /* index of its first anchor in al->anch pairs */
	size_t last_i, last_j;
	size_t count;
	size_t *members;  /* anchor indexes */
	size_t cap;
} chain;

static int add_passage(rp_align *al, const rp_token *ta, const rp_token *tb,
		       const chain *c, unsigned k)
{
	const uint32_t *an = al->anch;
	size_t i0 = an[2 * c->members[0]], j0 = an[2 * c->members[0] + 1];
	size_t i1 = c->last_i + k, j1 = c->last_j + k; /* exclusive */
	if (i1 - i0 < MIN_WORDS && j1 - j0 < MIN_WORDS)
		return RP_OK;
	FORWARD_IF_ERROR(RP_GROW(al->pass, al->cappass, al->npass + 1));
	rp_passage *p = &al->pass[al->npass];
	memset(p, 0, sizeof(*p));
	p->a_start = ta[i0].start;
	p->a_end = ta[i1 - 1].end;
	p->b_start = tb[j0].start;
	p->b_end = tb[j1 - 1].end;
	p->words_a = i1 - i0;
	p->words_b = j1 - j0;
	p->first_edit = al->nedits;
	for (size_t m = 1; m < c->count; m++) {
		size_t pi = an[2 * c->members[m - 1]], pj = an[2 * c->members[m - 1] + 1];
		size_t ni = an[2 * c->members[m]], nj = an[2 * c->members[m] + 1];
		size_t ga = ni > pi + k ? ni - pi - k : 0;
		size_t gb = nj > pj + k ? nj - pj - k : 0;
		if (ga == 0 && gb == 0)
			continue;
		size_t sub = RP_MIN(ga, gb);
		p->substituted += sub;
		p->deleted += ga - sub;
		p->inserted += gb - sub;
		FORWARD_IF_ERROR(RP_GROW(al->edits, al->capedits, al->nedits + 1));
		rp_edit *e = &al->edits[al->nedits++];
		/* Byte ranges of the gap; an empty side sits where the other
		 * side's words would be. */
		e->words_a = ga;
		e->words_b = gb;
		e->a_start = ga ? ta[pi + k].start : ta[ni - 1].end;
		e->a_end = ga ? ta[ni - 1].end : e->a_start;
		e->b_start = gb ? tb[pj + k].start : tb[nj - 1].end;
		e->b_end = gb ? tb[nj - 1].end : e->b_start;
	}
	p->edit_count = al->nedits - p->first_edit;
	al->shared_words += p->words_a - p->deleted - p->substituted;
	al->npass++;
	return RP_OK;
}

int rp_align_tokens(rp_align *al, const rp_token *ta, size_t na,
		    const rp_token *tb, size_t nb, unsigned k, uint64_t a_key)
{
	int err = RP_OK;
	chain *open = NULL;
	size_t nopen = 0, capopen = 0;
	size_t nsa, nsb;

	al->npass = al->nedits = al->shared_words = al->nanch = 0;
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
		 * with equal hashes are linked through al->next. */
		size_t cap = 16;
		while (cap < 2 * nsa)
			cap *= 2;
		FORWARD_IF_ERROR(rp_grow((void **)&al->ht, &al->capht, cap,
					 sizeof(*al->ht)));
		FORWARD_IF_ERROR(rp_grow((void **)&al->next, &al->capnext,
					 nsa + 1, sizeof(*al->next)));
		memset(al->ht, 0, cap * sizeof(*al->ht));
		al->htmask = cap - 1;
		for (size_t i = nsa; i-- > 0;) {
			size_t slot = (size_t)al->sa[i] & al->htmask;
			while (al->ht[slot] && al->sa[al->ht[slot] - 1] != al->sa[i])
				slot = (slot + 1) & al->htmask;
			al->next[i] = al->ht[slot];   /* 0 ends the list */
			al->ht[slot] = (uint32_t)i + 1; /* smallest i first */
		}
		al->a_key = a_key;
		al->a_k = k;
	}

	/* Anchors in order of j (position in b), then i. */
	for (size_t j = 0; j < nsb; j++) {
		uint64_t h = al->sb[j];
		size_t slot = (size_t)h & al->htmask;
		while (al->ht[slot] && al->sa[al->ht[slot] - 1] != h)
			slot = (slot + 1) & al->htmask;
		for (uint32_t x = al->ht[slot]; x; x = al->next[x - 1]) {
			FORWARD_IF_ERROR(RP_GROW(al->anch, al->capanch,
						 2 * (al->nanch + 1)));
			al->anch[2 * al->nanch] = x - 1;
			al->anch[2 * al->nanch + 1] = (uint32_t)j;
			al->nanch++;
		}
	}

	/* Chain anchors into passages, walking b. */
	const size_t G = k + GAP_EXTRA;
	for (size_t a = 0; a < al->nanch; a++) {
		size_t i = al->anch[2 * a], j = al->anch[2 * a + 1];
		/* Close chains that fell behind; they can no longer grow. */
		for (size_t c = 0; c < nopen;) {
			if (open[c].last_j + G < j) {
				GOTO_IF_ERROR(add_passage(al, ta, tb, &open[c], k));
				free(open[c].members);
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
			GOTO_IF_ERROR(RP_GROW(open, capopen, nopen + 1));
			memset(&open[nopen], 0, sizeof(open[nopen]));
			best = nopen++;
		}
		chain *ch = &open[best];
		GOTO_IF_ERROR(rp_grow((void **)&ch->members, &ch->cap,
				      ch->count + 1, sizeof(size_t)));
		ch->members[ch->count++] = a;
		ch->last_i = i;
		ch->last_j = j;
	}
	for (size_t c = 0; c < nopen; c++)
		GOTO_IF_ERROR(add_passage(al, ta, tb, &open[c], k));

	/* Order passages by their start in a (chains close out of order). */
	for (size_t x = 1; x < al->npass; x++) {
		rp_passage p = al->pass[x];
		size_t y = x;
		while (y > 0 && (al->pass[y - 1].a_start > p.a_start ||
				 (al->pass[y - 1].a_start == p.a_start &&
				  al->pass[y - 1].b_start > p.b_start))) {
			al->pass[y] = al->pass[y - 1];
			y--;
		}
		al->pass[y] = p;
	}
cleanup:
	for (size_t c = 0; c < nopen; c++)
		free(open[c].members);
	free(open);
	return err;
}
