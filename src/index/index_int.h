/*
 * index_int.h - what the archive index's files share (index.c: the file,
 * documents and batches; archive.c: what is kept to answer a query
 * without the whole archive).
 */
#ifndef RP_INDEX_INT_H
#define RP_INDEX_INT_H

#include <sqlite3.h>

#include "common.h"
#include "corpus.h"
#include "sort.h"

/* Entries of a document removed from a generation (runs.c). */
typedef struct rp_dead {
	int64_t gen, doc;
	int cls;                   /* 0 features, 1 lines */
} rp_dead;

struct rp_index {
	sqlite3 *db;
	char *path;
	rp_analysis_options ao;    /* the archive's, resolved */
	/* The question whose candidates are kept (meta): bands x rows of
	 * the signatures, the winnowing window of the fingerprints. */
	unsigned bands, rows, winnow_w;
	int64_t gen;               /* the generation being written, or 0 */
	int64_t rebuilt;           /* the generation a rebuild wrote, or 0 */
	/* While an operation reads runs (rp_runs_begin): the generations,
	 * the removed entries (sorted), the lookup statement. */
	int64_t *gens;
	size_t ngens, capgens;
	rp_dead *dead;
	size_t ndead, capdead;
	sqlite3_stmt *look;
	/* Entries being written (runs.c: rp_runs_reserve), and the sort's
	 * buffer. */
	rp_kv *kv, *kvtmp;
	size_t capkv;
	size_t *conflicts;         /* last add: corpus indexes */
	size_t nconflicts, capconflicts;
	char err[512];
};

RP_INTERNAL void rp_index_set_err(rp_index *ix, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An SQLite failure as a status, with its message on the handle. */
RP_INTERNAL int rp_index_db_fail(rp_index *ix, const char *what, int rc);

/* A failure of corpus c (err < 0) as ix's: its message (or err's text
 * when c has none) on the handle; returns err. */
RP_INTERNAL int rp_index_corpus_fail(rp_index *ix, const rp_corpus *c,
				     int err);

RP_INTERNAL int rp_index_exec(rp_index *ix, const char *sql);

/* Prepare sql on the handle, or fail with the statement in the message. */
RP_INTERNAL int rp_index_prepare(rp_index *ix, sqlite3_stmt **st,
				 const char *sql);

/* The kept features of the documents inserted by the open transaction
 * (their doc.n in ns[0..n), in order; c's documents idx[0..n)): chrome
 * counts, band keys, fingerprints, and the documents whose chrome they
 * change; the generations after `after` (the add's own) merged in tiers
 * (rp_index_merge_since merges them into one at the add's end). */
RP_INTERNAL int rp_index_added(rp_index *ix, const rp_corpus *c,
			       const size_t *idx, const int64_t *ns, size_t n,
			       int64_t after);

/* The newest generation's id (0: none) into *id. */
RP_INTERNAL int rp_index_last_gen(rp_index *ix, int64_t *id);

/* Merge the generations newer than `after` into one, then keep the
 * fourfold rule, inside the open transaction (the end of an add). */
RP_INTERNAL int rp_index_merge_since(rp_index *ix, int64_t after);

/* Every kept feature computed again from the stored documents, inside
 * the open transaction (after a removal or a replacement). */
RP_INTERNAL int rp_index_rebuild(rp_index *ix);

/* Is what is kept what the stored documents give? RP_OK, or RP_EINPUT
 * with the first difference on the handle. Reads only. */
RP_INTERNAL int rp_index_check_kept(rp_index *ix);

/* Add the document of the current row of st (columns id, outlet, date,
 * title, text, source, line) to c: RP_OK also when c rejects it (then on
 * its reject list); RP_EINPUT, with a message, for a row without id or
 * text. */
RP_INTERNAL int rp_index_add_row(rp_index *ix, rp_corpus *c, sqlite3_stmt *st);

/* Load the documents ns[0..n) (ascending doc.n) into c; their doc.n in
 * order. */
RP_INTERNAL int rp_index_load_docs(rp_index *ix, rp_corpus *c,
				   const int64_t *ns, size_t n);

#endif
