/*
 * contain.h - candidate pairs that share a passage: a trimmed reprint, an
 * excerpt set into another text, a story in heavy chrome, whose Jaccard is
 * too low for banding.
 *
 * Every document contributes its winnowing fingerprints (the minimum
 * shingle hash of every window of w consecutive shingles, with its
 * position); two documents become a candidate when they share two
 * fingerprints on one diagonal (the same offset between their positions
 * in the two texts), which every shared run of 2w + k - 1 words or more
 * guarantees. Candidates are then verified exactly like LSH candidates.
 *
 * Invariant: the candidate list is sorted, distinct, (a << 32 | b), a < b.
 */
#ifndef RP_CONTAIN_H
#define RP_CONTAIN_H

#include "common.h"
#include "sort.h"

/* With passages off, containment candidates come from runs of this many
 * words: a contained text of RP_CONTAIN_MIN_SHINGLES shingles (verify.h). */
#define RP_CONTAIN_RUN_WORDS 24u
/* Shared fingerprints on one diagonal that make a candidate. */
#define RP_PASSAGE_FPS 3u
/* Fingerprints on more documents than this are skipped (and counted). */
#define RP_PASSAGE_POSTING_CAP 256u

/* One fingerprint: the low 32 bits of a shingle hash, its document and its
 * position in the document's shingle sequence. */
typedef struct rp_fp {
	uint32_t h, doc, pos;
} rp_fp;

/* The window that guarantees RP_PASSAGE_FPS shared fingerprints, spanning
 * more than the window, for every shared run of `words` words of k-word
 * shingles: floor((words - k + 1) / RP_PASSAGE_FPS), at least 1. */
RP_INTERNAL unsigned rp_winnow_window(unsigned words, unsigned k);

/*
 * Append to *fp the fingerprints of one document's shingle hashes h[0..n)
 * (in text order): in each window of w, the minimum, rightmost on ties,
 * once per position (Schleimer, Wilkerson and Aiken 2003). A text of fewer
 * than w shingles gives its minimum.
 */
RP_INTERNAL int rp_winnow(rp_fp **fp, size_t *nfp, size_t *cap,
			  const uint64_t *h, size_t n, unsigned w,
			  uint32_t doc);

/* fp[0..n) sorted by hash (.h), stably; RP_ENOMEM when its scratch
 * cannot be had. */
RP_INTERNAL int rp_sort_fp(rp_fp *fp, size_t n);

typedef struct rp_contain_stats {
	size_t postings_skipped;  /* fingerprints on more than cap docs */
	size_t largest_posting;
	/* Under a bound with the (pair, diagonal) counts: the entries the
	 * counting sweep counted and those the search then checked (each
	 * every entry of every posting it pairs, all threads). */
	size_t entries_counted, entries_checked;
} rp_contain_stats;

/* One thread's fingerprints, packed by part of the hash space
 * (contain.c): zero-initialise, set bits (rp_fpbuf_bits; the same for
 * every buffer of a scan), free with rp_fpbuf_free. Documents must come
 * in ascending order. */
typedef struct rp_fppart {
	uint8_t *buf;
	size_t len, cap;
	uint32_t last_doc;
	int own;             /* buf is its own block (else in rp_fpbuf's) */
} rp_fppart;

/* A part's bytes set aside in a temporary file: a run of documents that
 * starts over from document 0 (its first delta is the document). */
typedef struct rp_fpchunk {
	uint64_t off;
	size_t len;
	uint32_t part;
} rp_fpchunk;

struct rp_tmpfile;

typedef struct rp_fpbuf {
	unsigned bits;       /* 2^bits parts, by the top bits of the hash */
	rp_fppart *part;
	size_t nfp;          /* fingerprints packed */
	rp_fp *one, *sorted; /* scratch: one document's fingerprints */
	size_t none, onecap, sortedcap;
	/* Under a memory bound: when the parts hold more than spill_at
	 * bytes, they are appended to spill as chunks and start over. */
	struct rp_tmpfile *spill;
	size_t spill_at, held;
	rp_fpchunk *chunk;
	size_t nchunk, capchunk;
	/* Bytes a part is given when it is first written (0: grown from
	 * nothing): the size it is expected to reach, so that it is not
	 * copied into fresh memory at every doubling. With a hint, the
	 * parts start side by side in one block, part p at p * part_hint:
	 * one block of huge pages rather than a block of small pages a part
	 * (news 100k: parts of 3.4 MB, three quarters of their memory
	 * faulted in 4 KiB at a time, a third of a scan's page faults, the
	 * helper thread's signing 40% slower than the calling one's). The
	 * parts fill at about the same pace, so the block is used nearly to
	 * its end; a part that outgrows its place moves to a block of its
	 * own. */
	size_t part_hint;
	uint8_t *block;
} rp_fpbuf;

/* Parts for a collection of ndocs documents (at most 10 bits). */
RP_INTERNAL unsigned rp_fpbuf_bits(size_t ndocs);
/* The fingerprints text_bytes of text give at window w, about: a word in
 * six bytes, 2 / (w + 1) of the shingles (Schleimer et al.). */
RP_INTERNAL uint64_t rp_fp_estimate(uint64_t text_bytes, unsigned w);
/* Under a memory bound (0: none), enough parts that one part, unpacked
 * and sorted, takes about an eighth of it (up to 10 bits). */
RP_INTERNAL unsigned rp_fpbuf_bits_within(size_t ndocs, uint64_t text_bytes,
					  unsigned w, size_t memory);

RP_INTERNAL void rp_fpbuf_free(rp_fpbuf *b);

/* Pack document doc's fingerprints fp[0..n) (ascending positions; doc
 * above the buffer's previous one) into b. full: the shingle hashes the
 * positions index (rp_winnow's h), whose high bits the search then
 * compares as well; NULL: the fingerprints' 32 bits alone. */
RP_INTERNAL int rp_fpbuf_add(rp_fpbuf *b, uint32_t doc, const rp_fp *fp,
			     size_t n, const uint64_t *full);

/* Winnow one document's shingle hashes (as rp_winnow) into b. */
RP_INTERNAL int rp_winnow_pack(rp_fpbuf *b, const uint64_t *h, size_t n,
			       unsigned w, uint32_t doc);

/*
 * Candidates from the fingerprints of bufs[0..nbufs), made with window w:
 * pairs of documents sharing RP_PASSAGE_FPS fingerprints on one diagonal
 * (their positions differ by the same amount in both texts) that span
 * more than w shingles. Postings of more than cap documents are skipped
 * and counted. The hash space is unpacked and sorted a part at a time,
 * and pairs are made within half of `memory` bytes (0: about the size
 * of the packed fingerprints). With the fingerprints' spill file (a
 * memory bound), on `threads` threads: entries past it go to the file by
 * share, each share then searched alone, and when they would be many
 * budgets only the entries that may make a passage are kept (counted
 * first); without one, on this thread, in as many passes over the
 * fingerprints as keep them within it. Chunks set aside in a spill file
 * are read back a part at a time; RP_ETEMP when they cannot be. The
 * candidates are the same whatever the bound and the threads.
 */
RP_INTERNAL int rp_contain_candidates(uint64_t **out, size_t *nout,
				      rp_contain_stats *stats,
				      const rp_fpbuf *bufs, size_t nbufs,
				      unsigned w, size_t cap, size_t memory,
				      unsigned threads);

/* The fingerprints of part `part` (hashes whose top bits are part) of
 * every buffer, their chunks set aside included, unpacked into *out (*n
 * of them, in no order; *out grown). RP_ETEMP when a chunk cannot be
 * read back. */
RP_INTERNAL int rp_fpbuf_unpack_part(rp_fp **out, size_t *n, size_t *cap,
				     const rp_fpbuf *bufs, size_t nbufs,
				     size_t part);

/* Does one diagonal hold RP_PASSAGE_FPS fingerprints spanning more than
 * w shingles? v[0..m): (diagonal << 32 | position in the pair's first
 * document), sorted here, v[m..2m) its scratch; the rule
 * rp_contain_candidates applies to the shared fingerprints of a pair. */
RP_INTERNAL int rp_passage_diagonal(uint64_t *v, size_t m, unsigned w);

/* Of entries e[0..ne) sorted by pair (key: RP_PAIR, val: diagonal << 32 |
 * position in the first text), the pairs with a passage on one diagonal
 * (rp_passage_diagonal), appended to *pairs (*np of them, grown); *v:
 * scratch. */
RP_INTERNAL int rp_diagonal_pairs(uint64_t **pairs, size_t *np, size_t *capp,
				  uint64_t **v, size_t *capv, const rp_kv *e,
				  size_t ne, unsigned w);

/*
 * Scattered reuse. A light revision shares many shingles but few long
 * runs; for containment thresholds below RP_CONTAIN_SCATTERED the scan
 * also keeps a consistent sample of every document's shingles (hash = 0
 * mod RP_CONTAIN_SAMPLE, all of them for texts under RP_CONTAIN_ALL
 * shingles), and a pair sharing two sampled shingles (one when either
 * text has fewer than RP_CONTAIN_SMALL samples) is a candidate: a pair
 * sharing s shingles is missed with probability P(Binomial(s, 1/4) < 2).
 */
#define RP_CONTAIN_SCATTERED 0.5
#define RP_CONTAIN_SAMPLE 4u
#define RP_CONTAIN_MIN_SHARED 2u
#define RP_CONTAIN_SMALL 8u
#define RP_CONTAIN_ALL 24u

static inline int rp_contain_sampled(uint64_t h)
{
	return (h & (RP_CONTAIN_SAMPLE - 1)) == 0;
}

/* Append document doc's sampled shingles (h[0..n), text order) to *kv
 * as (hash, doc) and set *nsamp to how many are sampled. */
RP_INTERNAL int rp_contain_sample(rp_kv **kv, size_t *nkv, size_t *cap,
				  uint32_t *nsamp, const uint64_t *h,
				  size_t n, uint32_t doc);

/* Candidates from samples (sorted here, in place): pairs
 * sharing two sampled shingles, or one when either has fewer than
 * RP_CONTAIN_SMALL samples (nsamp[d]). */
RP_INTERNAL int rp_sample_candidates(uint64_t **out, size_t *nout,
				     rp_contain_stats *stats, rp_kv *kv,
				     size_t n, const uint32_t *nsamp,
				     size_t cap);

#endif
