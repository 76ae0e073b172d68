/*
 * contain.c - passage candidates by winnowing (see contain.h).
 *
 * Design. Banding finds pairs by Jaccard, and a third of a story inside
 * the whole scores only about 0.33, an excerpt of three paragraphs set
 * into another article less than 0.2. What such pairs share is a run of
 * consecutive words. Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing:
 * local algorithms for document fingerprinting", SIGMOD 2003; the
 * fingerprints of MOSS) keeps, of every window of w consecutive shingle
 * hashes, the minimum (the rightmost on ties), about 2/(w+1) of all
 * shingles. Selection is local: a window holds the same hashes in both
 * texts wherever the texts agree, so both select the same shingle in it.
 * A shared run of L words holds L - k + 1 shingles, hence
 * floor((L - k + 1) / w) disjoint windows, each giving a fingerprint to
 * both texts at the same offset between the two positions (one diagonal).
 * With w = floor((P - k + 1) / 2) every shared run of P words or more
 * therefore gives at least two shared fingerprints on one diagonal: a
 * guarantee, not a probability (P = 25, k = 5: w = 10, 18% of shingles).
 *
 * The mod-4 sample this replaces (Broder's consistent sampling) kept 25%
 * of the shingles and missed a pair sharing s shingles with probability
 * P(Binomial(s, 1/4) < 2): 2% at s = 20, with no guarantee at any length,
 * and it paired every two texts that shared two common phrases anywhere.
 * Asking for two fingerprints on one diagonal keeps out pairs that share
 * common phrases in unrelated places: two fingerprints at the same
 * distance in both texts is what a shared passage looks like. Containment
 * of scattered shingles (no run of P words) is found only when it also
 * shares such a run; a contained text of 20 or more shingles that lies
 * whole inside the other always does.
 *
 * Fingerprints keep the low 32 bits of the hash: a collision can only add
 * a candidate, which exact verification then removes. Postings (one
 * fingerprint's documents) longer than a cap are skipped and counted, like
 * LSH buckets: a phrase on thousands of documents is a formula, not a
 * passage; a story reprinted that often is still found by banding.
 *
 * Winnowing's selection depends on each shingle's neighbours, so reuse
 * scattered in short pieces (a light revision of an answer, plagiarism
 * reworded sentence by sentence) is what it finds worst. For containment
 * thresholds below RP_CONTAIN_SCATTERED, where such reuse is what the user
 * asks for, a consistent sample (Broder 1997: every shingle whose hash is
 * 0 mod 4, the same in every text) is kept as well: on Clough-Stevenson it
 * finds the light revisions that winnowing alone misses. It costs a
 * quarter of all shingles and pairs every two texts sharing two common
 * phrases, so it is not part of the news defaults.
 */
#include "contain.h"
#include "spool.h"

#include "pairs.h"
#include "sort.h"

unsigned rp_winnow_window(unsigned words, unsigned k)
{
	if (words < k + 1)
		return 1;
	unsigned w = (words - k + 1) / RP_PASSAGE_FPS;
	return w ? w : 1;
}

static int push_fp(rp_fp **fp, size_t *nfp, size_t *cap, uint64_t h,
		   uint32_t doc, size_t pos)
{
	FORWARD_IF_ERROR(rp_grow((void **)fp, cap, *nfp + 1, sizeof(**fp)));
	(*fp)[(*nfp)++] = (rp_fp){ (uint32_t)h, doc, (uint32_t)pos };
	return RP_OK;
}

int rp_winnow(rp_fp **fp, size_t *nfp, size_t *cap, const uint64_t *h,
	      size_t n, unsigned w, uint32_t doc)
{
	if (n == 0)
		return RP_OK;
	RETURN_ERROR_IF(n > UINT32_MAX, RP_ELIMIT);
	if (w == 0)
		w = 1;
	if (n < w) {
		size_t m = 0;
		for (size_t i = 1; i < n; i++)
			if (h[i] <= h[m])
				m = i;
		return push_fp(fp, nfp, cap, h[m], doc, m);
	}
	/* Room for a fingerprint a window, so that each window writes one
	 * and keeps it only when its minimum moved (whether it did is a
	 * coin toss a branch mispredicted), and minima taken by
	 * conditional moves: the same fingerprints as a branch per
	 * comparison, 5% of a news scan's cycles before. */
	FORWARD_IF_ERROR(rp_grow((void **)fp, cap, *nfp + (n - w + 1),
				 sizeof(**fp)));
	rp_fp *o = *fp + *nfp;
	size_t k = 0, m = 0, last = SIZE_MAX;
	uint64_t mv = h[0];
	for (size_t s = 0; s + w <= n; s++) {
		size_t e = s + w - 1; /* the window is h[s .. e] */
		if (s == 0 || m < s) {
			/* the minimum left: the window's rightmost one */
			m = s;
			mv = h[s];
			for (size_t i = s + 1; i <= e; i++) {
				int le = h[i] <= mv;
				m = le ? i : m;
				mv = le ? h[i] : mv;
			}
		} else {
			int le = h[e] <= mv;
			m = le ? e : m;
			mv = le ? h[e] : mv;
		}
		o[k] = (rp_fp){ (uint32_t)mv, doc, (uint32_t)m };
		k += m != last;
		last = m;
	}
	*nfp += k;
	return RP_OK;
}

/* The packed form. The hash space is cut into 2^bits parts by the top
 * bits of the hash, and each part of each thread's buffer holds, per
 * document: varint(doc - previous doc of the part), varint(count), then
 * per fingerprint the 4 bytes of its hash and varint(position - previous
 * position). That is about 5-6 bytes a fingerprint where the plain form
 * takes 12, and each part is unpacked and sorted alone, once per pass:
 * what keeps the index within a fraction of the collection's text. */
/* A varint at p (room for 10 bytes); returns the bytes written. */
static inline size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static uint64_t get_varint(const uint8_t **p)
{
	uint64_t v = 0;
	for (unsigned sh = 0;; sh += 7) {
		uint8_t c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << sh;
		if (!(c & 0x80))
			return v;
	}
}

unsigned rp_fpbuf_bits(size_t ndocs)
{
	unsigned bits = 0;
	while (bits < 10 && (ndocs >> bits) > 8192)
		bits++;
	return bits;
}

uint64_t rp_fp_estimate(uint64_t text_bytes, unsigned w)
{
	return text_bytes / 6 * 2 / (w + 1);
}

unsigned rp_fpbuf_bits_within(size_t ndocs, uint64_t text_bytes, unsigned w,
			      size_t memory)
{
	unsigned bits = rp_fpbuf_bits(ndocs);
	if (!memory)
		return bits;
	/* 24 bytes a fingerprint unpacked with the sort's copy: a part in
	 * an eighth of the bound. */
	uint64_t need = rp_fp_estimate(text_bytes, w) * 2 * sizeof(rp_fp);
	while (bits < 10 && (need >> bits) > memory / 8)
		bits++;
	return bits;
}

void rp_fpbuf_free(rp_fpbuf *b)
{
	if (!b)
		return;
	for (size_t p = 0; b->part && p < ((size_t)1 << b->bits); p++)
		if (b->part[p].own)
			free(b->part[p].buf);
	free(b->part);
	free(b->block);
	free(b->one);
	free(b->sorted);
	free(b->chunk);
	memset(b, 0, sizeof(*b));
}

static uint32_t part_of_hash(uint32_t h, unsigned bits)
{
	return bits ? h >> (32 - bits) : 0;
}

/* Append every part to the spill file as a chunk; the parts start over
 * from document 0. */
static int spill_parts(rp_fpbuf *b)
{
	for (size_t p = 0; p < ((size_t)1 << b->bits); p++) {
		rp_fppart *q = &b->part[p];
		if (!q->len)
			continue;
		uint64_t off;
		FORWARD_IF_ERROR(RP_GROW(b->chunk, b->capchunk, b->nchunk + 1));
		FORWARD_IF_ERROR(rp_tmpfile_append(b->spill, q->buf, q->len, &off));
		b->chunk[b->nchunk++] = (rp_fpchunk){ off, q->len, (uint32_t)p };
		q->len = 0;
		q->last_doc = 0;
	}
	b->held = 0;
	return RP_OK;
}

/* The 4 bytes fingerprint f keeps in its part: its hash (the low 32 bits
 * of the shingle's), whose top `bits` bits its part already says, those
 * bits given to the next bits of the shingle's 64-bit hash full[f.pos]
 * (none without full). Within a part, equal keys are then equal in 32 +
 * bits bits: chance collisions of 32-bit hashes grow with the square of
 * the collection (1.25G fingerprints at 10M documents made about 180M
 * chance entries, more than a third of the search's), 2^bits times fewer
 * this way, at no byte more. rp_fpbuf_unpack_part gives the hash back. */
static inline uint32_t part_key(const rp_fp *f, const uint64_t *full,
				unsigned bits)
{
	if (!full || !bits)
		return f->h;
	uint32_t low = (uint32_t)(((uint64_t)1 << (32 - bits)) - 1);
	return (f->h & low) | (uint32_t)(full[f->pos] >> 32) << (32 - bits);
}

/* Room for `need` more bytes in part q. */
static int part_room(const rp_fpbuf *b, rp_fppart *q, size_t need)
{
	if (q->cap - q->len >= need)
		return RP_OK;
	if (q->buf && !q->own) {
		/* Out of its place in the block: a block of its own. */
		size_t cap = RP_MAX(2 * q->cap, q->len + need);
		uint8_t *nb = malloc(cap);
		RETURN_ERROR_IF(!nb, RP_ENOMEM);
		memcpy(nb, q->buf, q->len);
		q->buf = nb;
		q->cap = cap;
		q->own = 1;
		return RP_OK;
	}
	q->own = 1;
	return rp_grow((void **)&q->buf, &q->cap,
		       RP_MAX(q->len + need, q->cap ? 0 : b->part_hint), 1);
}

int rp_fpbuf_add(rp_fpbuf *b, uint32_t doc, const rp_fp *fp, size_t n,
		 const uint64_t *full)
{
	size_t np = (size_t)1 << b->bits;
	if (n == 0)
		return RP_OK;
	if (!b->part) {
		b->part = calloc(np, sizeof(*b->part));
		RETURN_ERROR_IF(!b->part, RP_ENOMEM);
		if (b->part_hint && b->part_hint <= SIZE_MAX / np) {
			b->block = rp_malloc_pages(np * b->part_hint);
			RETURN_ERROR_IF(!b->block, RP_ENOMEM);
			for (size_t p = 0; p < np; p++) {
				b->part[p].buf = b->block + p * b->part_hint;
				b->part[p].cap = b->part_hint;
			}
		}
	}
	/* The document's fingerprints by part (stable: positions stay in
	 * order), then each part's run. */
	size_t cnt[1025];
	memset(cnt, 0, (np + 1) * sizeof(*cnt));
	FORWARD_IF_ERROR(rp_grow((void **)&b->sorted, &b->sortedcap, n, sizeof(*fp)));
	for (size_t i = 0; i < n; i++)
		cnt[part_of_hash(fp[i].h, b->bits) + 1]++;
	for (size_t p = 1; p <= np; p++)
		cnt[p] += cnt[p - 1];
	for (size_t i = 0; i < n; i++)
		b->sorted[cnt[part_of_hash(fp[i].h, b->bits)]++] = fp[i];
	for (size_t i = 0; i < n;) {
		uint32_t p = part_of_hash(b->sorted[i].h, b->bits);
		size_t j = i;
		while (j < n && part_of_hash(b->sorted[j].h, b->bits) == p)
			j++;
		rp_fppart *q = &b->part[p];
		/* Room for the run at once: two varints of the document and
		 * the count, 4 + at most 5 bytes a fingerprint. */
		FORWARD_IF_ERROR(part_room(b, q, 20 + (j - i) * 9));
		uint8_t *o = q->buf + q->len;
		o += put_varint(o, doc - q->last_doc);
		o += put_varint(o, j - i);
		uint32_t prev = 0;
		for (size_t x = i; x < j; x++) {
			uint32_t key = part_key(&b->sorted[x], full, b->bits);
			memcpy(o, &key, 4);
			o += 4 + put_varint(o + 4, b->sorted[x].pos - prev);
			prev = b->sorted[x].pos;
		}
		size_t len = (size_t)(o - q->buf);
		b->held += len - q->len;
		q->len = len;
		q->last_doc = doc;
		i = j;
	}
	b->nfp += n;
	if (b->spill) {
		if (b->held > b->spill_at)
			FORWARD_IF_ERROR(spill_parts(b));
	}
	return RP_OK;
}

int rp_winnow_pack(rp_fpbuf *b, const uint64_t *h, size_t n, unsigned w,
		   uint32_t doc)
{
	b->none = 0;
	FORWARD_IF_ERROR(rp_winnow(&b->one, &b->none, &b->onecap, h, n, w, doc));
	return rp_fpbuf_add(b, doc, b->one, b->none, h);
}

/* By hash, with sort.h's radix sort (a scatter by the top differing
 * digit first past 8 MB: a part of 1.2M fingerprints at 10M documents
 * 20.5 -> 10.7 ns a fingerprint against two 16-bit LSD digits before). */
#define KEY_FP_HASH(x) ((uint64_t)(x).h)
static RP_DEFINE_RADIX(sort_fp_hash, rp_fp, KEY_FP_HASH)

int rp_sort_fp(rp_fp *a, size_t n)
{
	if (n < 2)
		return RP_OK; /* (a may be NULL: no part unpacked yet) */
	rp_fp *tmp = reallocarray(NULL, n, sizeof(*tmp));
	if (!tmp)
		return RP_ENOMEM;
	sort_fp_hash(a, tmp, n);
	free(tmp);
	return RP_OK;
}

/*
 * Does one diagonal hold RP_PASSAGE_FPS fingerprints spanning more than w
 * shingles? v[0..m): (diagonal << 32 | position in a), sorted here, with
 * v[m..2m) as scratch. A run of RP_PASSAGE_FPS * w shingles has
 * fingerprints in its first and last disjoint windows, at least w + 1
 * apart; a shared phrase of fewer than w + k + 1 words cannot span that
 * far.
 */
int rp_passage_diagonal(uint64_t *v, size_t m, unsigned w)
{
	if (m < RP_PASSAGE_FPS)
		return 0;
	/* (a radix sort, insertion below 48: glibc's qsort, a merge sort
	 * calling a comparison, was 2.7% of a news scan's cycles) */
	rp_sort_u64(v, v + m, m);
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && v[j] >> 32 == v[i] >> 32)
			j++;
		if (j - i >= RP_PASSAGE_FPS &&
		    (uint32_t)v[j - 1] - (uint32_t)v[i] > w)
			return 1;
		i = j;
	}
	return 0;
}

/* Which of `parts` passes a pair's entries are made in. */
static size_t part_of(uint64_t pair, size_t parts)
{
	pair ^= pair >> 33;
	pair *= 0xff51afd7ed558ccdULL;
	pair ^= pair >> 33;
	return (size_t)(pair % parts);
}

/* Append the packed run s[0..len) to *out: each hash its key (part_key)
 * with the bits outside `keep` set to `set`. */
static int unpack_run(rp_fp **out, size_t *n, size_t *cap, const uint8_t *s,
		      size_t len, uint32_t keep, uint32_t set)
{
	const uint8_t *end = s + len;
	uint32_t doc = 0;
	while (s < end) {
		doc += (uint32_t)get_varint(&s);
		size_t cnt = (size_t)get_varint(&s);
		uint32_t pos = 0;
		FORWARD_IF_ERROR(rp_grow((void **)out, cap, *n + cnt,
					 sizeof(**out)));
		for (size_t i = 0; i < cnt; i++) {
			uint32_t h;
			memcpy(&h, s, 4);
			s += 4;
			pos += (uint32_t)get_varint(&s);
			(*out)[(*n)++] = (rp_fp){ (h & keep) | set, doc, pos };
		}
	}
	return RP_OK;
}

/* Part p of every buffer, its chunks in the spill file first, unpacked
 * into *out (n fingerprints); *rb: scratch for the chunks. Each .h is the
 * fingerprint's key in the part (part_key: what the search compares), or
 * with `hashes` its hash again. */
static int unpack_part(rp_fp **out, size_t *n, size_t *cap, uint8_t **rb,
		       size_t *rbcap, const rp_fpbuf *bufs, size_t nbufs,
		       size_t p, int hashes)
{
	uint32_t keep = UINT32_MAX, set = 0;
	*n = 0;
	for (size_t k = 0; k < nbufs; k++) {
		if (!bufs[k].part)
			continue;
		unsigned bits = bufs[k].bits;
		if (hashes && bits) {
			keep = (uint32_t)(((uint64_t)1 << (32 - bits)) - 1);
			set = (uint32_t)p << (32 - bits);
		}
		for (size_t x = 0; x < bufs[k].nchunk; x++) {
			const rp_fpchunk *ch = &bufs[k].chunk[x];
			if (ch->part != p)
				continue;
			FORWARD_IF_ERROR(rp_grow((void **)rb, rbcap, ch->len, 1));
			FORWARD_IF_ERROR(rp_tmpfile_read(bufs[k].spill, *rb,
							 ch->len, ch->off));
			FORWARD_IF_ERROR(unpack_run(out, n, cap, *rb, ch->len,
						    keep, set));
		}
		const rp_fppart *q = &bufs[k].part[p];
		if (!q->buf)
			continue; /* nothing in this part (and no NULL + 0) */
		FORWARD_IF_ERROR(unpack_run(out, n, cap, q->buf, q->len, keep,
					    set));
	}
	return RP_OK;
}

int rp_fpbuf_unpack_part(rp_fp **out, size_t *n, size_t *cap,
			 const rp_fpbuf *bufs, size_t nbufs, size_t part)
{
	uint8_t *rb = NULL;
	size_t caprb = 0;
	int err = unpack_part(out, n, cap, &rb, &caprb, bufs, nbufs, part, 1);
	free(rb);
	return err;
}

/* The candidate search's pairs fall in SHARES shares (part_of). */
enum { SHARES = 64 };
/* With a spill file, a thread sets its entries aside at 2^20 (16 MiB)
 * or half its budget, whichever comes first: what is written is the
 * same, and a smaller buffer is memory used again rather than fresh
 * pages (news 100k under the default bound: 64 MiB per thread and as
 * much scratch before, peak 712 -> 505-523 MB, search 0.71-0.87 ->
 * 0.59-0.72 s). */
#define SPILL_AT ((size_t)1 << 20)

/* A share's entries set aside in the spill file. */
typedef struct entry_chunk {
	uint64_t off;
	size_t n;
	unsigned share;
} entry_chunk;

/* Set the entries e[0..ne) aside in tf, one chunk per share they hold
 * (tmp: room for ne entries). */
static int spill_entries(rp_tmpfile *tf, entry_chunk **ch, size_t *nch,
			 size_t *capch, const rp_kv *e, size_t ne, rp_kv *tmp)
{
	size_t at[SHARES + 1] = { 0 };
	for (size_t x = 0; x < ne; x++)
		at[part_of(e[x].key, SHARES) + 1]++;
	for (unsigned k = 0; k < SHARES; k++)
		at[k + 1] += at[k];
	size_t from[SHARES + 1];
	memcpy(from, at, sizeof(from));
	for (size_t x = 0; x < ne; x++)
		tmp[at[part_of(e[x].key, SHARES)]++] = e[x];
	for (unsigned k = 0; k < SHARES; k++) {
		size_t n = from[k + 1] - from[k];
		if (!n)
			continue;
		uint64_t off;
		FORWARD_IF_ERROR(rp_grow((void **)ch, capch, *nch + 1,
					 sizeof(**ch)));
		FORWARD_IF_ERROR(rp_tmpfile_append(tf, tmp + from[k],
						   n * sizeof(*tmp), &off));
		(*ch)[(*nch)++] = (entry_chunk){ off, n, k };
	}
	return RP_OK;
}

int rp_diagonal_pairs(uint64_t **pairs, size_t *np, size_t *capp,
		      uint64_t **v, size_t *capv, const rp_kv *e, size_t ne,
		      unsigned w)
{
	for (size_t i = 0; i < ne;) {
		size_t j = i + 1;
		while (j < ne && e[j].key == e[i].key)
			j++;
		FORWARD_IF_ERROR(rp_grow((void **)v, capv, 2 * (j - i),
					 sizeof(**v)));
		for (size_t x = i; x < j; x++)
			(*v)[x - i] = e[x].val;
		if (rp_passage_diagonal(*v, j - i, w)) {
			FORWARD_IF_ERROR(rp_grow((void **)pairs, capp, *np + 1,
						 sizeof(**pairs)));
			(*pairs)[(*np)++] = e[i].key;
		}
		i = j;
	}
	return RP_OK;
}

/* The pair and diagonal of the entry of fingerprints x and y (of two
 * documents); *apos: the position in the first document. Positions are
 * below 2^31 (a word takes two bytes of a text under 4 GiB), so the
 * difference fits 32 bits. */
static uint64_t entry_of(const rp_fp *x, const rp_fp *y, uint32_t *diag,
			 uint32_t *apos)
{
	const rp_fp *a = x->doc < y->doc ? x : y, *b = x->doc < y->doc ? y : x;
	*diag = a->pos - b->pos;
	*apos = a->pos;
	return RP_PAIR(a->doc, b->doc);
}

/*
 * Pair entries that may make a passage. Entries grow faster than the
 * collection (chance-shared shingles: postings under the cap grow with
 * it, their pairs with its square), and a passage takes RP_PASSAGE_FPS
 * entries of one pair on one diagonal. So when the entries would be
 * many budgets, a sweep first counts every (pair, diagonal) (two bits a
 * slot, saturating at three), and the search then keeps only entries
 * whose slot reached three: every entry of a passage does, others only
 * when their slot is shared, so the candidates are exactly those of all
 * entries. Threads count into the same words (compare and swap).
 */
typedef struct diag_count {
	uint64_t *w;    /* 32 slots a word */
	unsigned shift; /* slot = mixed hash >> shift */
} diag_count;

static uint64_t diag_slot(const diag_count *c, uint64_t pair, uint32_t diag)
{
	uint64_t h = pair * 0x9e3779b97f4a7c15ULL ^
		     (uint64_t)diag * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 31;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	return h >> c->shift;
}

static void diag_add(diag_count *c, uint64_t slot)
{
	uint64_t *p = &c->w[slot >> 5];
	unsigned sh = (unsigned)(slot & 31) * 2;
	uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
	while ((old >> sh & 3) != 3 &&
	       !__atomic_compare_exchange_n(p, &old, old + ((uint64_t)1 << sh),
					    1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Did the slot reach three? */
static int slot_full(const diag_count *c, uint64_t slot)
{
	return (c->w[slot >> 5] >> ((slot & 31) * 2) & 3) == 3;
}

/* Room for about `entries` (four slots an entry), at most `bytes`. */
static int diag_init(diag_count *c, size_t entries, size_t bytes)
{
	unsigned log2 = 12;
	while (log2 < 40 && ((uint64_t)1 << log2) < (uint64_t)entries * 4 &&
	       ((uint64_t)1 << (log2 + 1)) / 4 <= bytes)
		log2++;
	c->shift = 64 - log2;
	c->w = calloc(((size_t)1 << log2) / 32, sizeof(*c->w));
	return c->w ? RP_OK : RP_ENOMEM;
}

/* Entries a thread has on their way to the counting words at once: a
 * slot's word is a cache (and TLB) miss in a bitmap of a quarter of the
 * memory bound, and so many misses in flight instead of one. */
enum { PREFETCH = 32 };

/* One thread of the search (search_bounded), or the one of the passes
 * without a spill file (rp_contain_candidates). */
typedef struct cand_job {
	const rp_fpbuf *bufs;
	size_t nbufs, cap, nparts;
	unsigned w;
	rp_tmpfile *tf;
	diag_count *dc;       /* count into it, or keep by it (NULL: all) */
	int counting;         /* (with dc NULL: only count the entries) */
	/* The counting sweep sets aside the postings it pairs (keep), a
	 * chunk a part (posted[part]), and the search reads them (posted
	 * set, keep 0) rather than unpacking and sorting every part again;
	 * postings' figures (st) are then the counting sweep's. */
	int keep;
	entry_chunk *posted;
	uint8_t *kb;
	size_t nkb, capkb;
	size_t counted;
	size_t *next;         /* the next part or share to take (atomic) */
	size_t budget;        /* this thread's entries and their scratch */
	size_t lo, hi;        /* without tf: the shares kept this pass */
	const entry_chunk *all; /* the share sweep: every chunk */
	size_t nall;
	rp_kv *e, *etmp;
	size_t ne, cape, captmp;
	entry_chunk *ch;      /* this thread's entries set aside */
	size_t nch, capch;
	rp_fp *fp;
	size_t capfp;
	uint8_t *rb;
	size_t caprb;
	uint64_t *pairs, *v;
	size_t np, capp, capv;
	/* Entries waiting PREFETCH places for their slot's word (fetched
	 * meanwhile) before they are counted or kept (ring_add). */
	struct {
		uint64_t slot, pair, val;
	} ring[PREFETCH];
	size_t nring;
	size_t rung;          /* entries out of the ring: counted or checked */
	rp_contain_stats st;
	int err;
} cand_job;

/* The entry in ring place r counted (counting) or kept in j->e when its
 * slot may pass (room for it there: the caller's). */
static inline void ring_out(cand_job *j, size_t r)
{
	uint64_t slot = j->ring[r].slot;
	j->rung++;
	if (j->counting)
		diag_add(j->dc, slot);
	else if (slot_full(j->dc, slot))
		j->e[j->ne++] = (rp_kv){ j->ring[r].pair, j->ring[r].val };
}

/* Entry (pair, val) of slot `slot` into the ring; the one that waited
 * PREFETCH places out of it (ring_out). */
static inline void ring_add(cand_job *j, uint64_t slot, uint64_t pair,
			    uint64_t val)
{
	if (j->counting)
		__builtin_prefetch(&j->dc->w[slot >> 5], 1, 0);
	else
		__builtin_prefetch(&j->dc->w[slot >> 5], 0, 0);
	size_t r = j->nring & (PREFETCH - 1);
	if (j->nring >= PREFETCH)
		ring_out(j, r);
	j->ring[r].slot = slot;
	j->ring[r].pair = pair;
	j->ring[r].val = val;
	j->nring++;
}

/* The entries still in the ring counted or kept. */
static void ring_drain(cand_job *j)
{
	size_t from = j->nring > PREFETCH ? j->nring - PREFETCH : 0;
	for (size_t x = from; x < j->nring; x++)
		ring_out(j, x & (PREFETCH - 1));
	j->nring = 0;
}

/* Without a spill file, entries past the budget: keep the lowest shares
 * that fit (one at least), drop the entries of the others (a later pass
 * makes them again). */
static void drop_shares(cand_job *j)
{
	size_t cnt[SHARES] = { 0 }, keep = 0, hi = j->lo;
	for (size_t x = 0; x < j->ne; x++)
		cnt[part_of(j->e[x].key, SHARES)]++;
	while (hi < j->hi && (hi == j->lo || keep + cnt[hi] <= j->budget / 2))
		keep += cnt[hi++];
	size_t kept = 0;
	for (size_t x = 0; x < j->ne; x++)
		if (part_of(j->e[x].key, SHARES) < hi)
			j->e[kept++] = j->e[x];
	j->ne = kept;
	j->hi = hi;
}

/* The postings of `part` the counting sweep set aside, as fingerprints
 * in j->fp (*n of them) grouped as they were: a posting's fingerprints
 * share a hash, the posting's number; the chunk's disk space given back.
 * A posting there: its count m (4 bytes), then m (document, position)
 * pairs of 4 bytes each. */
static int read_postings(cand_job *j, size_t part, size_t *n)
{
	const entry_chunk *c = &j->posted[part];
	*n = 0;
	if (!c->n)
		return RP_OK;
	FORWARD_IF_ERROR(rp_grow((void **)&j->rb, &j->caprb, c->n, 1));
	FORWARD_IF_ERROR(rp_tmpfile_read(j->tf, j->rb, c->n, c->off));
	rp_tmpfile_discard(j->tf, c->off, c->n);
	/* (at most (n - 4) / 8 fingerprints a posting of n bytes) */
	FORWARD_IF_ERROR(rp_grow((void **)&j->fp, &j->capfp, c->n / 8 + 1,
				 sizeof(*j->fp)));
	const uint8_t *p = j->rb, *end = j->rb + c->n;
	for (uint32_t q = 0; p < end; q++) {
		uint32_t m, v[2];
		memcpy(&m, p, 4);
		p += 4;
		for (uint32_t x = 0; x < m; x++, p += 8) {
			memcpy(v, p, 8);
			j->fp[(*n)++] = (rp_fp){ q, v[0], v[1] };
		}
	}
	return RP_OK;
}

/* The counting sweep's posting fp[0..m) set aside (in j->kb). */
static int keep_posting(cand_job *j, const rp_fp *fp, size_t m)
{
	FORWARD_IF_ERROR(rp_grow((void **)&j->kb, &j->capkb,
				 j->nkb + 4 + 8 * m, 1));
	uint8_t *o = j->kb + j->nkb;
	uint32_t mm = (uint32_t)m;
	memcpy(o, &mm, 4);
	o += 4;
	for (size_t x = 0; x < m; x++, o += 8) {
		uint32_t v[2] = { fp[x].doc, fp[x].pos };
		memcpy(o, v, 8);
	}
	j->nkb += 4 + 8 * m;
	return RP_OK;
}

/* Counting or searching the parts taken from *next: fingerprints
 * unpacked and sorted (or the postings the counting sweep set aside),
 * each posting of 2 .. cap paired. With tf, entries
 * are set aside by share at half the budget; without, only the shares
 * [lo, hi) are kept, hi lowered past the budget (drop_shares). */
static int sweep_parts(cand_job *j)
{
	int some = j->lo > 0 || j->hi < SHARES;
	/* (the postings' figures: in the sweep that sees every posting) */
	int figures = j->keep || (!j->counting && !j->posted);
	for (;;) {
		size_t part = __atomic_fetch_add(j->next, 1, __ATOMIC_RELAXED);
		if (part >= j->nparts) {
			if (j->dc && !some)
				ring_drain(j);
			return RP_OK;
		}
		size_t n = 0;
		if (j->posted && !j->keep) {
			FORWARD_IF_ERROR(read_postings(j, part, &n));
		} else {
			FORWARD_IF_ERROR(unpack_part(&j->fp, &n, &j->capfp,
						     &j->rb, &j->caprb, j->bufs,
						     j->nbufs, part, 0));
			FORWARD_IF_ERROR(rp_sort_fp(j->fp, n));
		}
		const rp_fp *fp = j->fp;
		for (size_t i = 0; i < n;) {
			size_t k = i + 1;
			while (k < n && fp[k].h == fp[i].h)
				k++;
			size_t m = k - i;
			if (figures) {
				j->st.largest_posting = RP_MAX(j->st.largest_posting, m);
				j->st.postings_skipped += m > j->cap;
			}
			if (m > j->cap || m < 2) {
				i = k;
				continue;
			}
			if (j->keep)
				FORWARD_IF_ERROR(keep_posting(j, fp + i, m));
			/* With a spill file the entries reach SPILL_AT or
			 * half the budget before they are set aside: room
			 * for that at once, not grown by doubling (each move
			 * copies into fresh pages, 4.5% of a news scan's
			 * cycles; pages never written take no memory). */
			size_t need = j->ne + m * (m - 1) / 2 + PREFETCH;
			if (!j->counting && j->tf && need > j->cape)
				need = RP_MAX(need, RP_MIN(j->budget / 2, (size_t)SPILL_AT) + 1);
			if (!j->counting)
				FORWARD_IF_ERROR(rp_grow((void **)&j->e, &j->cape,
							 need, sizeof(*j->e)));
			for (size_t x = i; x < k; x++)
				for (size_t y = x + 1; y < k; y++) {
					if (fp[x].doc == fp[y].doc)
						continue;
					uint32_t diag, apos;
					uint64_t pair = entry_of(&fp[x], &fp[y], &diag, &apos);
					if (j->counting && !j->dc) {
						j->counted++;
					} else if (j->dc && !some) {
						ring_add(j, diag_slot(j->dc, pair, diag),
							 pair, (uint64_t)diag << 32 | apos);
					} else if (some) {
						size_t sh = part_of(pair, SHARES);
						if (sh >= j->lo && sh < j->hi)
							j->e[j->ne++] = (rp_kv){
								pair, (uint64_t)diag << 32 | apos };
					} else {
						j->e[j->ne++] = (rp_kv){
							pair, (uint64_t)diag << 32 | apos };
					}
				}
			/* Half the budget (or SPILL_AT): the entries are
			 * gathered by share in as many before they are set
			 * aside. */
			if (!j->counting && j->tf &&
			    (2 * j->ne > j->budget || j->ne > SPILL_AT)) {
				FORWARD_IF_ERROR(rp_grow((void **)&j->etmp, &j->captmp,
							 j->ne, sizeof(*j->etmp)));
				FORWARD_IF_ERROR(spill_entries(j->tf, &j->ch, &j->nch,
							       &j->capch, j->e, j->ne,
							       j->etmp));
				j->ne = 0;
			} else if (!j->tf && j->ne > j->budget && j->hi > j->lo + 1) {
				drop_shares(j);
				some = 1;
			}
			i = k;
		}
		if (j->keep && j->nkb) {
			uint64_t off;
			FORWARD_IF_ERROR(rp_tmpfile_append(j->tf, j->kb, j->nkb,
							   &off));
			j->posted[part] = (entry_chunk){ off, j->nkb, 0 };
			j->nkb = 0;
		}
	}
}

/* The shares taken from *next: their chunks read back (and their disk
 * space given back), sorted and searched. */
static int sweep_shares(cand_job *j)
{
	for (;;) {
		size_t k = __atomic_fetch_add(j->next, 1, __ATOMIC_RELAXED);
		if (k >= SHARES)
			return RP_OK;
		j->ne = 0;
		for (size_t x = 0; x < j->nall; x++) {
			const entry_chunk *c = &j->all[x];
			if (c->share != k)
				continue;
			FORWARD_IF_ERROR(rp_grow((void **)&j->e, &j->cape,
						 j->ne + c->n, sizeof(*j->e)));
			FORWARD_IF_ERROR(rp_tmpfile_read(j->tf, j->e + j->ne,
							 c->n * sizeof(*j->e),
							 c->off));
			/* (read once: its disk space back) */
			rp_tmpfile_discard(j->tf, c->off, c->n * sizeof(*j->e));
			j->ne += c->n;
		}
		FORWARD_IF_ERROR(rp_grow((void **)&j->etmp, &j->captmp,
					 j->ne + 1, sizeof(*j->etmp)));
		rp_sort_kv(j->e, j->etmp, j->ne);
		FORWARD_IF_ERROR(rp_diagonal_pairs(&j->pairs, &j->np, &j->capp,
						   &j->v, &j->capv, j->e, j->ne,
						   j->w));
	}
}

static void *parts_worker(void *arg)
{
	cand_job *j = arg;
	j->err = sweep_parts(j);
	return NULL;
}

static void *shares_worker(void *arg)
{
	cand_job *j = arg;
	j->err = sweep_shares(j);
	return NULL;
}

static void cand_job_free(cand_job *j)
{
	free(j->e);
	free(j->etmp);
	free(j->ch);
	free(j->fp);
	free(j->rb);
	free(j->pairs);
	free(j->v);
	free(j->kb);
}

/*
 * The search under a memory bound, with the fingerprints' spill file tf,
 * on `threads` threads: each takes the next part, and sets its entries
 * aside by share whenever they reach half its share of the budget; then
 * each takes the next share and searches its chunks (or, when nothing
 * was set aside, the threads' entries are searched together). When the
 * entries (estimated from part 0, when there are 16 parts or more) would
 * be more than eight budgets, a counting sweep comes first: below that,
 * setting entries aside costs less than the sweep (the 1M bench corpus,
 * about two budgets: candidates 6.4 s set aside, 18.1 s counted). The
 * counting sweep sets aside the postings it pairs, part by part, and the
 * search reads those back instead of unpacking and sorting every part a
 * second time (news 100k at --memory 24M: candidates 1.12-1.30 -> 0.88
 * s, 62 MB more written).
 */
static int search_bounded(uint64_t **out, size_t *nout, rp_contain_stats *stats,
			  const rp_fpbuf *bufs, size_t nbufs, unsigned bits,
			  unsigned w, size_t cap, size_t memory, size_t budget,
			  rp_tmpfile *tf, unsigned threads)
{
	cand_job jobs[RP_MAX_THREADS];
	diag_count dc = { NULL, 0 };
	entry_chunk *all = NULL, *posted = NULL;
	rp_kv *e = NULL, *etmp = NULL;
	uint64_t *pairs = NULL, *v = NULL;
	size_t nall = 0, capall = 0, np = 0, capp = 0, capv = 0, next = 0;
	unsigned nt = RP_MAX(1u, RP_MIN(threads, (unsigned)RP_MAX_THREADS));
	int err = RP_OK;

	memset(jobs, 0, sizeof(jobs));
	for (unsigned t = 0; t < nt; t++)
		jobs[t] = (cand_job){ .bufs = bufs, .nbufs = nbufs, .cap = cap,
				      .nparts = (size_t)1 << bits, .w = w,
				      .tf = tf, .next = &next,
				      .budget = budget / nt, .lo = 0,
				      .hi = SHARES };
	if (bits >= 4) {
		/* Part 0's entries, counted on this thread. */
		cand_job *j = &jobs[0];
		j->nparts = 1;
		j->counting = 1;
		GOTO_IF_ERROR(sweep_parts(j));
		size_t est = j->counted << bits;
		j->nparts = (size_t)1 << bits;
		j->counting = 0;
		next = 0;
		if (est > 8 * budget) {
			GOTO_IF_ERROR(diag_init(&dc, est,
						RP_MAX(memory / 4, (size_t)1 << 20)));
			/* The postings the counting sweep pairs are set aside
			 * for the search: at 10M documents, a second unpacking
			 * and sorting of every fingerprint otherwise. */
			posted = calloc((size_t)1 << bits, sizeof(*posted));
			GOTO_IF(!posted, RP_ENOMEM);
			for (unsigned t = 0; t < nt; t++) {
				jobs[t].dc = &dc;
				jobs[t].counting = 1;
				jobs[t].keep = 1;
				jobs[t].posted = posted;
			}
			rp_run_jobs(parts_worker, jobs, sizeof(jobs[0]), nt);
			for (unsigned t = 0; t < nt; t++) {
				GOTO_IF_ERROR(jobs[t].err);
				stats->entries_counted += jobs[t].rung;
				jobs[t].rung = 0;
				jobs[t].counting = 0;
				jobs[t].keep = 0;
				/* (the bitmaps take a quarter of the bound,
				 * the entries another) */
				jobs[t].budget /= 2;
			}
			next = 0;
		}
	}
	rp_run_jobs(parts_worker, jobs, sizeof(jobs[0]), nt);
	for (unsigned t = 0; t < nt; t++) {
		GOTO_IF_ERROR(jobs[t].err);
		stats->largest_posting = RP_MAX(stats->largest_posting,
						jobs[t].st.largest_posting);
		stats->postings_skipped += jobs[t].st.postings_skipped;
		stats->entries_checked += jobs[t].rung;
		nall += jobs[t].nch;
		/* (the fingerprints' buffers are not needed again) */
		free(jobs[t].fp);
		free(jobs[t].rb);
		jobs[t].fp = NULL;
		jobs[t].rb = NULL;
		jobs[t].capfp = jobs[t].caprb = 0;
	}
	if (nall) {
		/* Entries were set aside: the rest join them, and each
		 * share is searched from its chunks. */
		nall = 0;
		for (unsigned t = 0; t < nt; t++) {
			cand_job *j = &jobs[t];
			GOTO_IF_ERROR(rp_grow((void **)&j->etmp, &j->captmp,
					      j->ne + 1, sizeof(*j->etmp)));
			GOTO_IF_ERROR(spill_entries(tf, &j->ch, &j->nch, &j->capch,
						    j->e, j->ne, j->etmp));
			GOTO_IF_ERROR(rp_grow((void **)&all, &capall,
					      nall + j->nch, sizeof(*all)));
			if (j->nch)
				memcpy(all + nall, j->ch, j->nch * sizeof(*all));
			nall += j->nch;
		}
		next = 0;
		for (unsigned t = 0; t < nt; t++) {
			jobs[t].all = all;
			jobs[t].nall = nall;
		}
		rp_run_jobs(shares_worker, jobs, sizeof(jobs[0]), nt);
		for (unsigned t = 0; t < nt; t++) {
			GOTO_IF_ERROR(jobs[t].err);
			GOTO_IF_ERROR(RP_GROW(pairs, capp, np + jobs[t].np + 1));
			if (jobs[t].np)
				memcpy(pairs + np, jobs[t].pairs,
				       jobs[t].np * sizeof(*pairs));
			np += jobs[t].np;
		}
		uint64_t *ptmp = reallocarray(NULL, np + 1, sizeof(*ptmp));
		GOTO_IF(!ptmp, RP_ENOMEM);
		rp_sort_u64(pairs, ptmp, np);
		free(ptmp);
	} else {
		/* Everything held: the threads' entries together. */
		size_t ne = 0;
		for (unsigned t = 0; t < nt; t++)
			ne += jobs[t].ne;
		e = reallocarray(NULL, ne + 1, sizeof(*e));
		GOTO_IF(!e, RP_ENOMEM);
		ne = 0;
		for (unsigned t = 0; t < nt; t++) {
			if (jobs[t].ne)
				memcpy(e + ne, jobs[t].e, jobs[t].ne * sizeof(*e));
			ne += jobs[t].ne;
			free(jobs[t].e);
			jobs[t].e = NULL;
			jobs[t].ne = jobs[t].cape = 0;
		}
		etmp = reallocarray(NULL, ne + 1, sizeof(*etmp));
		GOTO_IF(!etmp, RP_ENOMEM);
		rp_sort_kv(e, etmp, ne);
		GOTO_IF_ERROR(rp_diagonal_pairs(&pairs, &np, &capp, &v, &capv, e,
					     ne, w));
	}
	*out = pairs;
	*nout = np;
	pairs = NULL;
cleanup:
	for (unsigned t = 0; t < nt; t++)
		cand_job_free(&jobs[t]);
	free(dc.w);
	free(all);
	free(posted);
	free(e);
	free(etmp);
	free(pairs);
	free(v);
	return err;
}

int rp_contain_candidates(uint64_t **out, size_t *nout,
			  rp_contain_stats *stats, const rp_fpbuf *bufs,
			  size_t nbufs, unsigned w, size_t cap, size_t memory,
			  unsigned threads)
{
	cand_job j;
	size_t next = 0;
	int err = RP_OK;

	memset(&j, 0, sizeof(j));
	*out = NULL;
	*nout = 0;
	memset(stats, 0, sizeof(*stats));
	/* The packed fingerprints' size and their spill file, which set how
	 * the entries are kept (below). */
	size_t packed = 0;
	unsigned bits = 0;
	rp_tmpfile *tf = NULL;
	for (size_t k = 0; k < nbufs; k++) {
		if (bufs[k].part)
			bits = bufs[k].bits;
		if (bufs[k].spill)
			tf = bufs[k].spill;
		for (size_t p = 0; bufs[k].part && p < ((size_t)1 << bits); p++)
			packed += bufs[k].part[p].len;
	}
	/* Under a memory bound, the entries and their sort buffer take half
	 * of it (a quarter made the 1M bench corpus's candidate search 1.5x
	 * slower for 160 MB less); else twice the packed fingerprints. */
	size_t budget = memory ? RP_MAX(memory / 2, (size_t)1 << 20) / (2 * sizeof(rp_kv))
			       : RP_MAX(2 * packed, (size_t)64 << 20) / (2 * sizeof(rp_kv));
	/* With a spill file (the fingerprints' own, under a memory bound)
	 * the threads search together, setting entries aside by share. */
	if (tf)
		return search_bounded(out, nout, stats, bufs, nbufs, bits, w, cap,
				      memory, budget, tf, threads);
	/* Without one, on this thread: pairs fall in SHARES shares, and a
	 * pass keeps the shares [lo, hi) and, when their entries outgrow the
	 * budget, gives up the highest of them (dropping what it made of
	 * them) for the next pass; one pass does when everything fits. */
	size_t lo = 0, passes = 0;
	j = (cand_job){ .bufs = bufs, .nbufs = nbufs, .cap = cap,
			.nparts = (size_t)1 << bits, .w = w, .next = &next,
			.budget = budget };
	while (lo < SHARES) {
		next = 0;
		j.lo = lo;
		j.hi = SHARES;
		j.ne = 0;
		memset(&j.st, 0, sizeof(j.st));
		GOTO_IF_ERROR(sweep_parts(&j));
		if (passes == 0)
			*stats = j.st;
		GOTO_IF_ERROR(rp_grow((void **)&j.etmp, &j.captmp, j.ne + 1,
				      sizeof(*j.etmp)));
		rp_sort_kv(j.e, j.etmp, j.ne);
		GOTO_IF_ERROR(rp_diagonal_pairs(&j.pairs, &j.np, &j.capp, &j.v,
					     &j.capv, j.e, j.ne, w));
		lo = j.hi;
		passes++;
	}
	if (passes > 1) {
		uint64_t *ptmp = reallocarray(NULL, j.np + 1, sizeof(*ptmp));
		GOTO_IF(!ptmp, RP_ENOMEM);
		rp_sort_u64(j.pairs, ptmp, j.np);
		free(ptmp);
	}
	*out = j.pairs;
	*nout = j.np;
	j.pairs = NULL;
cleanup:
	cand_job_free(&j);
	return err;
}

int rp_contain_sample(rp_kv **kv, size_t *nkv, size_t *cap, uint32_t *nsamp,
		      const uint64_t *h, size_t n, uint32_t doc)
{
	/* A shingle repeated inside the text is kept twice, which at worst
	 * makes one more candidate to verify. */
	int all = n < RP_CONTAIN_ALL;
	size_t sampled = 0;
	FORWARD_IF_ERROR(rp_grow((void **)kv, cap, *nkv + n + 1, sizeof(**kv)));
	for (size_t i = 0; i < n; i++) {
		int s = rp_contain_sampled(h[i]);
		sampled += (size_t)s;
		if (all || s)
			(*kv)[(*nkv)++] = (rp_kv){ h[i], doc };
	}
	*nsamp = (uint32_t)RP_MIN(sampled, (size_t)UINT32_MAX);
	return RP_OK;
}

int rp_sample_candidates(uint64_t **out, size_t *nout, rp_contain_stats *stats,
			 rp_kv *kv, size_t n, const uint32_t *nsamp, size_t cap)
{
	uint64_t *pairs = NULL, *ptmp = NULL;
	rp_kv *tmp = NULL;
	size_t np = 0, capp = 0, captmp = 0;
	int err = RP_OK;

	*out = NULL;
	*nout = 0;
	memset(stats, 0, sizeof(*stats));
	tmp = reallocarray(NULL, n + 1, sizeof(*tmp));
	GOTO_IF(!tmp, RP_ENOMEM);
	rp_sort_kv(kv, tmp, n);
	free(tmp);
	tmp = NULL;
	GOTO_IF_ERROR(rp_pairs_of_runs(&pairs, &np, &capp, kv, n, cap,
				       &stats->postings_skipped,
				       &stats->largest_posting));
	/* Count how many sampled shingles each pair shares. */
	GOTO_IF_ERROR(RP_GROW(ptmp, captmp, np + 1));
	rp_sort_u64(pairs, ptmp, np);
	size_t w = 0;
	for (size_t i = 0; i < np;) {
		size_t j = i + 1;
		while (j < np && pairs[j] == pairs[i])
			j++;
		size_t a = RP_PAIR_A(pairs[i]), b = RP_PAIR_B(pairs[i]);
		size_t need = RP_MIN(nsamp[a], nsamp[b]) < RP_CONTAIN_SMALL
				      ? 1 : RP_CONTAIN_MIN_SHARED;
		if (j - i >= need)
			pairs[w++] = pairs[i];
		i = j;
	}
	*out = pairs;
	*nout = w;
	pairs = NULL;
cleanup:
	free(pairs);
	free(ptmp);
	free(tmp);
	return err;
}
