/*
 * corpus.h - the document store behind rp_corpus (internal layout).
 *
 * Strings (ids, metadata, texts, reject reasons) live in an arena that is
 * freed at once with the corpus. Ids are unique: an open-addressing table
 * maps each id to its document.
 *
 * Invariant: records_seen == count(docs) + count(rejects) for records that
 * reached rp_corpus_add; file-level failures (unreadable path) add a reject
 * without a record.
 */
#ifndef RP_CORPUS_H
#define RP_CORPUS_H

#include "common.h"

typedef struct rp_arena_block rp_arena_block;

typedef struct rp_arena {
	rp_arena_block *head;
	size_t used, size;
} rp_arena;

typedef struct rp_doc {
	const char *id, *title, *outlet, *date, *text, *source;
	size_t text_len, line;
	int64_t timestamp;
	int has_timestamp;
} rp_doc;

struct rp_corpus {
	rp_options opts;
	rp_arena arena;
	rp_doc *docs;
	size_t ndocs, capdocs;
	rp_reject *rejects;
	size_t nrejects, caprejects;
	size_t records_seen;
	uint32_t *idtab;       /* open addressing: doc index + 1, 0 = empty */
	size_t idcap;          /* power of two */
	const char *last_source;
	int scanned;
	char err[256];
};

RP_INTERNAL char *rp_arena_strndup(rp_arena *a, const char *s, size_t len);

/* Record a rejection; strings are copied. */
RP_INTERNAL int rp_corpus_reject_add(rp_corpus *c, const char *source,
				     size_t line, const char *id,
				     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

RP_INTERNAL const char *rp_corpus_intern_source(rp_corpus *c,
						const char *source);

#endif
