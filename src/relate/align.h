/*
 * align.h - which passages two texts share, and how they were edited.
 *
 * Tokens in, passages out. A passage is a stretch of text present in both
 * documents, given as byte ranges of each original text, with the words
 * inserted, deleted and substituted inside it and each edit's byte ranges.
 *
 * Invariant: passages are ordered by their start in a; within a passage,
 * ranges lie inside the passage's ranges and edits are in text order.
 */
#ifndef RP_ALIGN_H
#define RP_ALIGN_H

#include "common.h"
#include "normalize.h"

typedef struct rp_align {
	rp_passage *pass;
	size_t npass, cappass;
	rp_edit *edits;
	size_t nedits, capedits;
	size_t shared_words;     /* words of a inside passages, unedited */
	size_t figure_edits;     /* edited words that are figures on both sides */
	size_t word_edits;       /* other edited words */
	size_t figure_places;    /* edits with a figure on both sides */
	size_t lead_a, lead_b;   /* words before the first passage (all
				    words when there is none) */
	size_t trail_a, trail_b; /* words after the last passage */
	size_t longest_run;      /* most consecutive unedited words of a
				    inside one passage */
	size_t run_from;         /* scratch: where the current run began */
	/* scratch */
	uint64_t *sa, *sb;
	size_t capsa, capsb;
	uint32_t *ht, *next;     /* hash table of a's windows: position + 1 */
	size_t capht, capnext, htmask;
	uint8_t *twice;          /* a's window i occurs again in a */
	size_t captwice;
	uint32_t *anch;          /* anchors: pairs (i, j) */
	size_t nanch, capanch;
	size_t *link;            /* the next anchor of an anchor's passage */
	size_t caplink;
	struct rp_chain *open, *done; /* passages being made */
	size_t capopen, capdone;
	uint64_t a_key;          /* identity of the indexed a (0: none) */
	unsigned a_k;
} rp_align;

RP_INTERNAL void rp_align_free(rp_align *al);

/*
 * Align the tokens of a and b (k = shingle size used to anchor).
 * Replaces the previous contents of al. a_key, when nonzero, names text a:
 * a call with the same a_key reuses the index of a built by the previous
 * call (the caller guarantees the same tokens). Returns RP_OK or RP_ENOMEM.
 */
RP_INTERNAL int rp_align_tokens(rp_align *al, const rp_token *ta, size_t na,
				const rp_token *tb, size_t nb, unsigned k,
				uint64_t a_key);

/* Do two token sequences hold the same normalized words? */
RP_INTERNAL int rp_tokens_equal(const rp_token *ta, size_t na,
				const rp_token *tb, size_t nb);

#endif
