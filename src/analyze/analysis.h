/*
 * analysis.h - what a collection learns once and every question reuses.
 *
 * A collection is analysed at its first question: outlets are numbered,
 * chrome, datelines and credits are found (boiler.c, layout.c), and every
 * document is tokenized and shingled once (the base pass), which decides
 * whether it is a character text, whether it has words at all, and whether
 * its chrome covered it whole (it then keeps its words). The same pass
 * computes what the question at hand needs: MinHash signatures, winnowing
 * fingerprints (turned at once into passage candidates), sampled shingles
 * for scattered containment. Shingle sets are built later, only for the
 * documents that a question's candidates name.
 *
 * Everything computed is kept in the rp_analysis and reused by later
 * questions; a later question runs another pass only for what is missing
 * (fingerprints for another passage length, signatures that a question
 * released), and builds only the sets that are missing. Each document's
 * outputs depend only on the document and the analysis options, so a
 * question's answer is the same whatever ran before it.
 *
 * Invariant: once `based` is set, active[], chars[] and the excluded
 * ranges of boil never change again; sets[d] is NULL or the sorted,
 * distinct shingle hashes of document d (nsets[d] of them).
 */
#ifndef RP_ANALYSIS_H
#define RP_ANALYSIS_H

#include "boiler.h"
#include "common.h"
#include "contain.h"
#include "corpus.h"
#include "normalize.h"
#include "shingle.h"

#define RP_NO_OUTLET UINT32_MAX

typedef struct rp_analysis {
	/* Outlets and chrome (learned once). */
	int learned;
	uint32_t *outlet_of;       /* outlet number of each document, or NONE */
	const char **outlet_name;  /* outlet_name[n] is outlet n */
	rp_boiler boil;            /* excluded ranges; empty when turned off */

	/* The base pass. */
	int based;
	uint8_t *active;           /* has words (scanned) */
	uint8_t *chars;            /* a character text (word mode) */
	size_t documents, char_documents, shingles, text_bytes;

	/* What questions computed, kept for the next. */
	uint64_t *sigs;            /* ndocs x num_perm; NULL when not signed
				      or released */
	uint64_t *keys;            /* or only the band keys of one banding,
				      band-major (keys[band * ndocs + d]),
				      for a question that releases them */
	struct rp_keyspill *kspill; /* or set aside in a file (keyspill.h),
				      under a memory bound they outgrow */
	unsigned key_bands, key_rows;
	unsigned fp_w;             /* passage candidates for this window;
				      0 = none kept */
	uint64_t *pcand;           /* sorted, distinct (RP_PAIR) */
	size_t npcand;
	rp_contain_stats pstats;
	size_t samp_cap;           /* sampled candidates for this cap;
				      0 = none kept */
	uint64_t *scand;
	size_t nscand;
	rp_contain_stats sstats;
	uint64_t **sets;           /* per document, NULL until built */
	uint32_t *nsets;
	rp_arena set_arena;        /* where the sets are */

	/* A pass's fingerprints and samples, until rp_analysis_candidates. */
	rp_fpbuf *pend_fbuf;
	unsigned pend_w;
	struct sample_vec *pend_svec;
	uint32_t *pend_nsamp;
	size_t pend_scap;
} rp_analysis;

/* What a question needs computed over the whole collection. */
typedef struct rp_need {
	int sign;                  /* signatures */
	unsigned winnow_w;         /* passage candidates for this window (0) */
	size_t sample_cap;         /* sampled containment candidates with this
				      posting cap (0: none) */
	unsigned bands, rows;      /* with sign, nonzero: only the band keys
				      of this banding (a question that
				      releases its signatures) */
} rp_need;

/* What one question made the analysis do (its counters and clocks). */
typedef struct rp_work {
	size_t docs_shingled, docs_signed, sets_built;
	double seconds_boilerplate, seconds_sign, seconds_sets;
	double seconds_candidates; /* fingerprints and samples into pairs */
} rp_work;

/* Learn outlets and chrome (once). */
RP_INTERNAL int rp_analysis_learn(rp_corpus *c, rp_work *w);

/* Learn outlets and chrome, run the base pass if not yet run, and compute
 * whatever of *need is missing (need may be NULL). Rejects the documents
 * with no words at the base pass. */
RP_INTERNAL int rp_analysis_ensure(rp_corpus *c, const rp_need *need,
				   rp_work *w);

/* Turn the fingerprints and samples of the last pass into the passage
 * and sampled candidates (fp_w, pcand; samp_cap, scand), and free them.
 * A question calls it after banding (whose signatures it may free first:
 * this is the peak of memory). */
RP_INTERNAL int rp_analysis_candidates(rp_corpus *c, rp_work *w);

/* The analysis of documents analysed elsewhere (the stages over
 * shards): outlets numbered, which have words (active[d]) and which are
 * character texts, and what is left out of each (document d:
 * spans[off[d] .. off[d + 1]); off NULL: nothing; both taken over, freed
 * with the analysis, also on failure). Questions then build shingle sets
 * and verify without learning chrome or running the base pass.
 * RP_ESTATE when c was analysed. */
RP_INTERNAL int rp_analysis_given(rp_corpus *c, const uint8_t *active,
				  const uint8_t *chars, rp_span *spans,
				  size_t *off);

/* Build the missing shingle sets of the documents with want[d] != 0. */
RP_INTERNAL int rp_analysis_sets(rp_corpus *c, const uint8_t *want,
				 rp_work *w);

/* Free the signatures; free every shingle set. */
RP_INTERNAL void rp_analysis_release_sigs(rp_analysis *an);
RP_INTERNAL void rp_analysis_release_sets(rp_analysis *an, size_t ndocs);

RP_INTERNAL void rp_analysis_free(rp_analysis *an, size_t ndocs);

/* Per-thread scratch for rp_doc_tokens. */
typedef struct rp_scratch {
	char *cat;
	size_t catcap;
	uint64_t *sig;             /* a signature whose band keys are kept */
	size_t sigcap;
	uint64_t *row;             /* its band keys, to be set aside */
	size_t rowcap;
	int row_set;               /* row holds this document's keys */
	uint32_t *skip;
	size_t skipcap;
	char *text;                /* a spooled text read (RP_DOC_APART) */
	size_t textcap;
	rp_text_window win;        /* texts read in file order (RP_DOC_SEQ) */
	size_t paced;              /* this thread's texts read through a
	                            * mapping (rp_corpus_pace) */
} rp_scratch;

RP_INTERNAL void rp_scratch_free(rp_scratch *sc);

/* Shingle hashes of document d (text order) as the analysis shingles it:
 * its excluded ranges, its mode. Needs the base pass (RP_ESTATE). */
RP_INTERNAL int rp_analysis_shingles(const rp_corpus *c, size_t d,
				     rp_tokbuf *tb, rp_shinglebuf *sb,
				     rp_scratch *sc);

/* Document d's shingle set made from its tokens, the way the sets pass
 * makes it (rp_analysis_sets), for a stage that tokenizes the texts
 * anyway (verification beside alignment, relate.c):
 * rp_analysis_set_tokens tokenizes d (read apart) as its set wants;
 * rp_analysis_tokens_shared says whether those tokens are alignment's
 * too (they are unless d's title is shingled with its text: the same
 * words, the title's first); rp_analysis_set_of makes the set (sorted,
 * distinct) of d's tokens tb into sb. Need the base pass (RP_ESTATE). */
RP_INTERNAL int rp_analysis_set_tokens(const rp_corpus *c, size_t d,
				       rp_tokbuf *tb, rp_scratch *sc);
RP_INTERNAL int rp_analysis_tokens_shared(const rp_corpus *c, size_t d);
RP_INTERNAL int rp_analysis_set_of(const rp_corpus *c, size_t d,
				   const rp_tokbuf *tb, rp_shinglebuf *sb);

/* rp_doc_tokens: the text is read out of order (rp_corpus_text_at), or
 * in file order, by a pass over the texts (rp_corpus_text_window). */
#define RP_DOC_APART 0x100
#define RP_DOC_SEQ 0x200

/* Tokens of document d, leaving out its excluded ranges; with_title
 * tokenizes "title\n\ntext" (offsets then count from the title). flags:
 * RP_TOK_NORM, RP_TOK_CHARS (normalize.h), RP_DOC_APART or RP_DOC_SEQ. */
RP_INTERNAL int rp_doc_tokens(const rp_corpus *c, const rp_boiler *bo,
			      rp_tokbuf *tb, rp_scratch *sc, size_t d,
			      int flags, int with_title);

/* What is kept of one analysed document for a question asked elsewhere
 * (the archive index, the stages over shards): its band keys and
 * winnowing fingerprints (by hash, then position); none (active 0) for a
 * document with no words. */
typedef struct rp_fpent {
	uint32_t h, pos;
} rp_fpent;

typedef struct rp_dfeat {
	int active;
	uint64_t *keys;
	rp_fpent *fp;
	size_t nfp;
} rp_dfeat;

/* The features of every document of c (analysed: RP_ESTATE before the
 * base pass) into *out (c->ndocs of them): band keys of bands x rows
 * (rp_band_key's), fingerprints of window w; on c's threads. */
RP_INTERNAL int rp_analysis_features(rp_corpus *c, unsigned bands,
				     unsigned rows, unsigned w,
				     rp_dfeat **out);
RP_INTERNAL void rp_dfeats_free(rp_dfeat *f, size_t n);

#endif
