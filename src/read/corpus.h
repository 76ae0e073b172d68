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

#include "boiler.h"
#include "common.h"
#include "html.h"

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
	/* Where the text's bytes are in its file (text files, HTML pages;
	 * html.h); NULL when the text is not a span of a file (JSONL). */
	const rp_anchor *srcmap;
	size_t nsrcmap;
	/* What the reader found of the text while it was at hand (parsed
	 * on its threads): RP_TEXT_UNKNOWN, or whether rp_is_char_text
	 * holds, so the analysis does not read the text again for it. */
	uint8_t text_kind;
} rp_doc;

enum { RP_TEXT_UNKNOWN = 0, RP_TEXT_WORDS = 1, RP_TEXT_CHARS = 2 };

/* What a reader checked of a text before rp_corpus_add_known. */
typedef struct rp_text_known {
	int valid;     /* valid UTF-8 without a NUL byte: not checked again */
	uint8_t kind;  /* rp_doc.text_kind */
	/* The page's facts for chrome learning, found by the reader's
	 * thread (facts->found), or NULL: found when it is added. */
	const rp_page_facts *facts;
	const rp_page_facts_buf *facts_buf;
} rp_text_known;

struct rp_analysis;
struct rp_boiler_prior;

struct rp_corpus {
	rp_analysis_options ao;   /* resolved: every default filled in */
	size_t max_doc_bytes;     /* the reading limit in force */
	size_t default_max_bytes; /* the corpus's own (64 MiB or rp_options) */
	rp_question q0;           /* the question rp_scan() asks */
	rp_arena arena;
	rp_doc *docs;
	size_t ndocs, capdocs;
	rp_reject *rejects;
	size_t nrejects, caprejects;
	size_t *reject_docs;      /* per reject, the documents accepted
				     before it (where it came among them) */
	size_t capreject_docs;
	size_t records_seen;
	uint64_t *idtab;       /* open addressing: doc index + 1, its id's
				 * tag in the high half (corpus.c); 0 = empty */
	size_t idcap;          /* power of two */
	const char *last_source;
	rp_skipped *skipped;      /* files of directories not read, by kind */
	size_t nskipped, capskipped;
	int analysed;             /* no more documents: a question was asked */
	struct rp_analysis *an;   /* what was learned (analysis.h); NULL before */
	/* Chrome counts of an archive the documents join (the index's
	 * queries and adds; boiler.h), or NULL: set before the analysis,
	 * owned by the caller. */
	const struct rp_boiler_prior *prior;
	/* The memory bound (rp_corpus_set_memory): texts beyond text_share
	 * bytes go to the spool (spool.h), opened when first needed in
	 * tmpdir. memory 0: no bound, every text in the arena. */
	size_t memory, text_share;
	uint64_t held_text;       /* text bytes in the arena */
	char *tmpdir;             /* NULL: $TMPDIR, else /tmp */
	struct rp_spool *spool;
	struct rp_tmpfile *tmp;   /* what stages set aside; NULL until used */
	/* rp_corpus_set_last_reading: last_reading, then stages_gone once
	 * the question has its candidates (tmp handed to gone[0]) and
	 * texts_gone once it has read the texts (the spool, and tmp if
	 * made again, to the next): each closed on its thread, or at the
	 * free when that could not start. */
	int last_reading, stages_gone, texts_gone;
	uint64_t gone_bytes;      /* temporary bytes of the files gone */
	struct rp_gone {
		struct rp_spool *spool;
		struct rp_tmpfile *tmp;
		pthread_t th;
		int started;
	} gone[2];
	unsigned ngone;
	/* Reading a part of the inputs (rp_corpus_read_part): the files of
	 * a folder walk at offsets [part_lo, part_hi) of the inputs laid end
	 * to end are this part's (the last part also takes those past it);
	 * part_off is the walk's offset. */
	int part_on, part_last;
	uint64_t part_lo, part_hi, part_off;
	/* Texts added while borrow_texts is set are not copied: they stay
	 * where the caller's rp_doc_input points (NUL-terminated, read-only
	 * mappings the corpus holds: rp_corpus_hold_map), the documents of a
	 * stage file, whose texts were checked (NUL, UTF-8, empty) when its
	 * part was read and are not checked again; or another corpus's
	 * documents, checked when it took them, that outlive this one (the
	 * new pages of an index batch). */
	int borrow_texts;
	/* A sink (the shard read stage, shard.c): each document the corpus
	 * accepts is handed to it, text and anchors, as it is added, and the
	 * corpus keeps the rest of it with an empty text: a part of the
	 * inputs is written out as it is read, its texts never held. An
	 * error the sink returns is rp_corpus_add's. sink_map: the anchors
	 * of the document being added (rp_corpus_add_mapped). */
	int (*sink)(void *ud, const rp_corpus *c, size_t d, const char *text,
		    size_t len, const rp_anchor *map, size_t nmap);
	void *sink_ud;
	const rp_anchor *sink_map;
	size_t sink_nmap;
	/* Chrome learning's facts of each page, found while its text was
	 * at hand (boiler.h), while every page added has them (pages.on:
	 * not with a sink or borrowed texts, nor without chrome learning);
	 * facts_buf: the adding thread's, for a page the reader did not
	 * find them for. rp_corpus_wants_facts: should a reader find them. */
	rp_boiler_pages pages;
	rp_page_facts_buf facts_buf;
	struct rp_held_map { void *p; size_t n; } *maps;
	size_t nmaps, capmaps;
	char err[256];
};

/* Should a reader find the facts of the pages it adds (rp_text_known)? */
RP_INTERNAL int rp_corpus_wants_facts(const rp_corpus *c);

/* Set the error message of the corpus (printf-style). */
RP_INTERNAL void rp_corpus_set_error(rp_corpus *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Analysis options validated, every default filled in (seed, k, ...);
 * RP_EINVAL with a message naming the field in err. */
RP_INTERNAL int rp_analysis_resolve(rp_analysis_options *out, char *err,
				    size_t errlen, const rp_analysis_options *o);

/* The question with every default filled in and validated: containment
 * and min_passage 0 when off, align 0/1. RP_EINVAL with a message on c. */
RP_INTERNAL int rp_question_resolve(rp_question *out, rp_corpus *c,
				    const rp_question *q);

/* A file of a directory that is not read, counted under its kind (".html",
 * "(no extension)"); path is kept as the kind's first example. */
RP_INTERNAL int rp_corpus_skip_add(rp_corpus *c, const char *kind,
				   const char *path);

/* Tell the progress callback, if any; 1 when it asks to cancel. */
RP_INTERNAL int rp_progress_report(const rp_corpus *c, const char *stage,
				   size_t done, size_t total, uint64_t bytes);



/* Make every text readable (the spool's buffer written): before the
 * analysis and before a text is handed out. RP_EIO with a message. */
RP_INTERNAL int rp_corpus_texts_ready(const rp_corpus *c);

/* The last question to read c's texts (rp_corpus_set_last_reading) has
 * its candidates: what the stages set aside goes (c->tmp, closed on a
 * thread of its own, or at rp_corpus_free when it cannot start). */
RP_INTERNAL void rp_corpus_stages_done(rp_corpus *c);

/* It has read the texts: the spool goes too, the same way. */
RP_INTERNAL void rp_corpus_texts_read(rp_corpus *c);

/* The text of document d for a reader that takes texts out of order: a
 * spooled text read into *buf (grown; *cap its size), else the text
 * itself, whose reading through a mapping (a held one, or the spool's
 * when its file cannot be read) counts in *paced (rp_corpus_pace). NULL
 * when *buf cannot grow. */
RP_INTERNAL const char *rp_corpus_text_at(const rp_corpus *c, size_t d,
					  char **buf, size_t *cap,
					  size_t *paced);

/* A reader that takes texts in file order (a pass over every text): a
 * window of the spool read at once, holding the texts that follow. */
typedef struct rp_text_window {
	char *buf;
	size_t cap;
	uint64_t from, to;     /* the spool's bytes [from, to) are in buf */
	size_t paced;          /* texts read through a mapping (held files) */
	/* NULL, or the end of the texts the reader takes next in a row
	 * (the NUL after the last): a window read stops there. */
	const char *until;
} rp_text_window;

/* The window's bytes a read (more when a text is longer). */
#define RP_TEXT_WINDOW ((size_t)1 << 20)

/*
 * text[0..len) (and its NUL), for a reader that takes texts in file
 * order: a spooled text from w's window, read with the texts after it
 * when it is not there; any other text as it is (through a held file's
 * mapping: paced, rp_corpus_pace). Mapped pages of a file cost a fault
 * each 64 KiB and, on this project's machines, about 1 s a GiB touched,
 * a read of 1 MiB into a buffer used again 0.2-0.3 s (bench/page_cost).
 * NULL when w cannot grow. c may be NULL.
 */
RP_INTERNAL const char *rp_corpus_text_window(const rp_corpus *c,
					      const char *text, size_t len,
					      rp_text_window *w);
RP_INTERNAL void rp_text_window_free(rp_text_window *w);

/* Document d's text will soon be taken out of order (rp_corpus_text_at):
 * start reading it from the spool when that is on disk (rp_spool_prefetch;
 * nothing otherwise). */
RP_INTERNAL void rp_corpus_prefetch(const rp_corpus *c, size_t d);
/* Whether c's texts are read from the disk: spooled, the spool larger
 * than the page cache is likely to hold (rp_spool_on_disk). */
RP_INTERNAL int rp_corpus_texts_on_disk(const rp_corpus *c);

/* A pass read `bytes` of texts (*since: the caller's count): release the
 * spool's mapped pages every quantum (spool.h). A text read out of order
 * counts at least RP_PACE_RANDOM bytes: a page fault maps the pages
 * around it too (the kernel's fault-around, 64 KiB). */
#define RP_PACE_RANDOM ((size_t)64 << 10)
RP_INTERNAL void rp_corpus_pace(const rp_corpus *c, size_t *since,
				size_t bytes);

/* The temporary file stages set aside data in under the memory bound,
 * made when first asked for: RP_ETEMP with a message when it cannot be. */
RP_INTERNAL int rp_corpus_tmpfile(rp_corpus *c, struct rp_tmpfile **out);

/* err, and when it is RP_ETEMP, the temporary file's error as the
 * corpus's message. */
RP_INTERNAL int rp_corpus_temp_error(rp_corpus *c, int err);

/* n bytes (8-aligned) from the arena: blocks of 8 MiB where blocks get
 * huge pages (common.h), else of 1 MiB; more than a quarter of a block
 * gets a block of its own behind the current one. NULL out of memory. */
RP_INTERNAL void *rp_arena_alloc(rp_arena *a, size_t n);
RP_INTERNAL char *rp_arena_strndup(rp_arena *a, const char *s, size_t len);
/* Move from's blocks into `into` (freed with it); from is left empty. */
RP_INTERNAL void rp_arena_join(rp_arena *into, rp_arena *from);
RP_INTERNAL void rp_arena_free(rp_arena *a);

/* The corpus holds the mapping p[0..n) from now on, and unmaps it when
 * freed (also when this fails: RP_ENOMEM). */
RP_INTERNAL int rp_corpus_hold_map(rp_corpus *c, void *p, size_t n);

/* Record a rejection; strings are copied. A rejection of something that
 * is not a record (an unreadable path, a read error) counts no record. */
RP_INTERNAL int rp_corpus_reject_add(rp_corpus *c, const char *source,
				     size_t line, const char *id,
				     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* An empty text (or one with no words), rejected but not an error. */
RP_INTERNAL int rp_corpus_reject_empty(rp_corpus *c, const char *source,
				       size_t line, const char *id,
				       const char *reason);
RP_INTERNAL int rp_corpus_reject_add_kind(rp_corpus *c, int empty,
					  const char *source, size_t line,
					  const char *id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* A record a reader saw and rejected before it reached rp_corpus_add:
 * counted in records_seen and rejected, which keeps the invariant. */
RP_INTERNAL int rp_corpus_reject_record(rp_corpus *c, const char *source,
					size_t line, const char *id,
					const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

RP_INTERNAL const char *rp_corpus_intern_source(rp_corpus *c,
						const char *source);

/* rp_corpus_add, and when the document is stored, the map of where its
 * text is in its file (map[0..n), copied; n = 0: none). */
RP_INTERNAL int rp_corpus_add_mapped(rp_corpus *c, const rp_doc_input *in,
				     const rp_anchor *map, size_t n);

/* rp_corpus_add of a text the reader has checked (known; NULL: as
 * rp_corpus_add). */
RP_INTERNAL int rp_corpus_add_known(rp_corpus *c, const rp_doc_input *in,
				    const rp_text_known *known);

#endif
