/*
 * keyspill.h - band keys set aside in a temporary file (a memory bound).
 *
 * A signing pass under a memory bound that the collection's band keys
 * (bands x 8 bytes a document) would outgrow keeps them in the bound's
 * temporary file instead: each thread collects the rows of its documents
 * (in ascending order, the runs of documents the pass gave it) and, when
 * they fill its share, appends them to the file one band at a time;
 * banding then reads back one band of every document at a time.
 *
 * Invariant: after rp_keyspill_finish, the runs of each band cover every
 * document exactly once (a document with no words has a row of zeros;
 * banding skips it as inactive).
 */
#ifndef RP_KEYSPILL_H
#define RP_KEYSPILL_H

#include "common.h"

struct rp_tmpfile;

typedef struct rp_keyrun {
	uint64_t off;          /* count keys of one band in the file */
	uint64_t row;          /* the part's row of the first of them */
	uint32_t count, band;
} rp_keyrun;

/* Documents first .. first + count - 1: consecutive rows of a part. */
typedef struct rp_keyseg {
	uint32_t first, count;
} rp_keyseg;

typedef struct rp_keypart {   /* one thread's */
	uint64_t *rows;       /* rows x bands, document-major */
	size_t nrows, caprows;
	uint64_t flushed;     /* rows already in the file */
	uint64_t *col;        /* scratch: one band of the rows */
	rp_keyrun *run;
	size_t nrun, caprun;
	rp_keyseg *seg;       /* every row's document, in row order */
	size_t nseg, capseg;
} rp_keypart;

typedef struct rp_keyspill {
	struct rp_tmpfile *tf;
	unsigned bands, rows, nparts;
	size_t ndocs, flush_rows;
	rp_keypart *part;     /* nparts of them */
} rp_keyspill;

/* A spill for a pass of nthreads threads over ndocs documents; each
 * thread holds at most `hold` bytes of rows. */
RP_INTERNAL int rp_keyspill_new(rp_keyspill **out, struct rp_tmpfile *tf,
				unsigned bands, unsigned rows, size_t ndocs,
				unsigned nthreads, size_t hold);

/* Thread tid's next document, doc (above the thread's previous one):
 * its keys (bands of them; NULL: no words). */
RP_INTERNAL int rp_keyspill_add(rp_keyspill *ks, unsigned tid, size_t doc,
				const uint64_t *keys);

/* After the pass: what the threads still hold goes to the file. */
RP_INTERNAL int rp_keyspill_finish(rp_keyspill *ks);

/* Band `band` of every document into kb[0..ndocs). */
RP_INTERNAL int rp_keyspill_band(rp_keyspill *ks, unsigned band,
				 uint64_t *kb);

RP_INTERNAL void rp_keyspill_free(rp_keyspill *ks);

#endif
