/*
 * runs.h - the archive index's keyed entries (band keys, fingerprints,
 * line postings), packed into sorted blocks per generation (runs.c).
 */
#ifndef RP_RUNS_H
#define RP_RUNS_H

#include "index_int.h"

/* Kinds: 0 .. bands - 1 the band keys of band b; fingerprints; lines. */
#define RP_KIND_FP 4096
#define RP_KIND_LINE 4097

/* One entry: a key, a document (doc.n), how often (fingerprints), the
 * generation it was read from (when read). */
typedef struct rp_runent {
	uint64_t key;
	int64_t doc;
	uint32_t cnt;
	int64_t gen;
} rp_runent;

typedef struct rp_runvec {
	rp_runent *e;
	size_t n, cap;
} rp_runvec;

/* An entry to write (ix->kv): the key, and in val RP_RUNS_VAL(d, cnt), d
 * indexing the caller's documents, cnt how often (fingerprints). */
#define RP_RUNS_VAL(d, cnt) ((uint64_t)(d) << 32 | (uint32_t)(cnt))

/* Room for n entries in ix->kv (and for sorting them). The scratch is
 * kept from one batch to the next: freshly mapped pages cost more than
 * the entries' sort on these machines (rp_runs_release frees it). */
RP_INTERNAL int rp_runs_reserve(rp_index *ix, size_t n);
RP_INTERNAL void rp_runs_release(rp_index *ix);

/* Write ix->kv[0..n) as generation gen's blocks of this kind, document
 * d of an entry being docs[d] (d < ndocs): in (key, doc) order, so
 * sorted says they are; otherwise they are sorted here by key, equal
 * keys keeping their order (give them in ascending doc). */
RP_INTERNAL int rp_runs_write(rp_index *ix, int64_t gen, int kind, size_t n,
			      const int64_t *docs, size_t ndocs, int sorted);

/* Load the generations and the removed entries (call inside the
 * operation's transaction; rp_runs_end frees nothing but the
 * statement, the arrays are reused). */
RP_INTERNAL int rp_runs_begin(rp_index *ix);
RP_INTERNAL void rp_runs_end(rp_index *ix);

/* Every live entry with this key, in every generation, appended to out. */
RP_INTERNAL int rp_runs_lookup(rp_index *ix, int kind, uint64_t key,
			       rp_runvec *out);

/* counts[i]: how many live entries have key keys[i], in every
 * generation (keys ascending and distinct): rp_runs_lookup's count for
 * each key, with one walk of each generation where keys are dense. */
RP_INTERNAL int rp_runs_count(rp_index *ix, int kind, const uint64_t *keys,
			      size_t n, size_t *counts);

/* Every live entry of one generation and kind, appended, in key order. */
RP_INTERNAL int rp_runs_all(rp_index *ix, int64_t gen, int kind,
			    rp_runvec *out);

/* The kinds that have blocks, ascending (*kinds: caller frees). */
RP_INTERNAL int rp_runs_kinds(rp_index *ix, int **kinds, size_t *n);

/* Is (gen, kind's class, doc) removed? */
RP_INTERNAL int rp_runs_dead(const rp_index *ix, int64_t gen, int kind,
			     int64_t doc);

/* Write the live entries of the generations from `from` up to c (the
 * newest ones; ids as rp_runs_begin read them) as generation c; drop
 * their blocks and removed entries. */
RP_INTERNAL int rp_runs_merge(rp_index *ix, int64_t from, int64_t c);

#endif
