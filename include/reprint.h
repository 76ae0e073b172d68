/*
 * reprint.h - public API of libreprint, a near-duplicate and syndication
 * detector.
 *
 * A collection of documents (rp_corpus) is filled from JSONL files, text
 * directories or by hand, then asked questions: rp_corpus_ask() finds every
 * pair whose exact shingle Jaccard similarity, containment or shared
 * passage meets the question, with relations, sources and passages, and
 * groups them into clusters without transitive chaining. What the
 * collection teaches (site chrome, signatures, shingle sets) is learned
 * once, at its first question, and reused by every later question and by
 * rp_corpus_compare(), which explains one pair as the questions see it.
 * The rp_report_ writers turn an answer into TSV, JSONL, HTML or a
 * terminal view, written to the caller's sink.
 *
 * Conventions (after libgit2):
 *   - every function returns an int status: RP_OK (0) or a negative rp_status;
 *   - out-parameters come first; the caller owns what *out points to and
 *     frees it with the matching rp_*_free() (NULL is a no-op);
 *   - options structs carry a version and are initialised with their _init
 *     function (zero means default), so fields can be added without
 *     breaking callers;
 *   - error detail lives on the handle (rp_corpus_error()), never in a global;
 *   - the library never prints and never exits.
 *
 * Thread-safety: a corpus and the results of its questions are used by one
 * thread at a time (the caller serialises every call on them). Inside a
 * call the library runs its own worker threads (rp_analysis_options.threads)
 * and joins them before it returns; the progress callback and the sink run
 * on the calling thread. Distinct corpora may be used from distinct threads
 * at the same time: the library's only process-wide state is a read-only
 * table built once (pthread_once), an atomic allocation counter and an
 * allocation-failure hook that only its tests arm. One global is shared
 * with other code: the first rp_corpus_new() sets cJSON's allocation hooks
 * (cJSON_InitHooks, once, under pthread_once) to the library's malloc
 * wrapper and free, which replaces any hooks the program set for cJSON.
 *
 * Ownership: the caller owns what rp_corpus_new(), rp_corpus_ask(),
 * rp_scan(), rp_corpus_compare() and rp_learn_boilerplate() put in *out and
 * frees it with rp_corpus_free() or rp_result_free(), every result before
 * its corpus. All else the library hands out is borrowed, never freed by
 * the caller: corpus strings (rp_doc_info, rp_reject, rp_chrome_line) are
 * valid until rp_corpus_free(); result arrays (pairs, passages, edits,
 * cluster members, excluded ranges) until rp_result_free(); the strings of
 * rp_strerror, rp_version, rp_relation_name and rp_result_verdict are
 * static. Inputs (documents, options, questions) are copied: no caller
 * pointer is kept after a call returns, except the progress callback and
 * its userdata, which the corpus keeps.
 *
 * Limits: shingle size k <= 1024, signature length num_perm <= 4096, LSH
 * bands x rows <= num_perm, threads <= 256 (RP_EINVAL beyond); texts below
 * 4 GiB (max_doc_bytes < 2^32 - 1; a larger text is rejected); at most
 * 2^32 - 2 documents in a corpus, fewer than 2^32 - 1 shingles in one text
 * and, in exact mode, in the shingle sets of all documents together
 * (RP_ELIMIT beyond).
 *
 * This header is C99 and compiles cleanly with -pedantic.
 */
#ifndef REPRINT_H
#define REPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define RP_API __attribute__((visibility("default")))
#else
#define RP_API
#endif

#define RP_VERSION_MAJOR 0
#define RP_VERSION_MINOR 2
#define RP_VERSION_PATCH 0
#define RP_VERSION_STRING "0.2.0"

/** Status codes. 0 is success; every error is negative. */
typedef enum rp_status {
	RP_OK = 0,
	RP_ENOMEM = -1,   /**< an allocation failed */
	RP_EINVAL = -2,   /**< a bad argument or option value */
	RP_EIO = -3,      /**< a file could not be opened or read */
	RP_EINPUT = -4,   /**< a record was rejected (reason on the reject list) */
	RP_ELIMIT = -5,   /**< a documented limit was passed */
	RP_ESTATE = -6,   /**< call made in the wrong state (e.g. add after the
			       collection was analysed) */
	RP_ECANCELED = -7, /**< the progress callback returned non-zero */
	RP_ETEMP = -8     /**< a temporary file could not be made or written
			       (rp_corpus_set_memory; the message says why) */
} rp_status;

/** Three-way switches: zero is the default, which the field documents. */
enum { RP_DEFAULT = 0, RP_ON = 1, RP_OFF = -1 };

/** A static, human-readable description of status (one of rp_status, or
 * "unknown error" for any other value). Never NULL; never freed. */
RP_API const char *rp_strerror(int status);

/** The library version as "MAJOR.MINOR.PATCH" (RP_VERSION_STRING of the
 * built library): a static string, never NULL. */
RP_API const char *rp_version(void);

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

/**
 * Shingle kinds. In word mode (the default), a text more than half of
 * whose letters and numbers are in a script written without spaces between
 * words (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar) is a
 * character text: decided per document from its text alone, it is
 * tokenized one character a token (its Latin words and figures stay
 * whole) and shingled by 5 characters, and a pair of two character texts
 * is aligned on characters, so in such a pair the "words" of rp_pair,
 * rp_passage and rp_edit, and the passage rule, count characters.
 * rp_scan_stats.char_documents counts these texts. RP_SHINGLE_CHAR
 * shingles every text by characters of its normalized text instead and
 * aligns on words.
 */
typedef enum rp_shingle_kind {
	RP_SHINGLE_WORD = 0, /**< k consecutive normalized words (characters
				  in a character text) */
	RP_SHINGLE_CHAR = 1  /**< k consecutive characters of the normalized text */
} rp_shingle_kind;

typedef enum rp_minhash_kind {
	RP_MINHASH_OPH = 0,    /**< one-permutation hashing + optimal densification */
	RP_MINHASH_CLASSIC = 1 /**< K independent hash functions (reference mode) */
} rp_minhash_kind;

/** Where a long run stands, for a progress display. */
typedef struct rp_progress {
	const char *stage;      /**< "read", "sign", "sets"; "commit", "index"
				     (rp_index_add); a static string */
	size_t done;            /**< records read / documents processed */
	size_t total;           /**< documents in the stage; 0 when unknown */
	uint64_t bytes;         /**< bytes of input read so far ("read") */
} rp_progress;

/**
 * Progress callback: called from the thread that called the library, at
 * most every few thousand records or documents, with progress valid only
 * during the call and userdata as given in the options. A non-zero return
 * cancels the run: the call in progress stops soon after and returns
 * RP_ECANCELED, leaving the collection as it was before that call (reading:
 * the records added so far stay added), except that once its first
 * question (or rp_corpus_analyze) has started, even a canceled one, the
 * collection takes no more documents. It must not call back into the
 * library.
 */
typedef int (*rp_progress_fn)(const rp_progress *progress, void *userdata);

/* ------------------------------------------------------------------ */
/* Options, split by when they are needed                               */
/* ------------------------------------------------------------------ */

/*
 * Three structs, each with a version and an _init function; a struct set to
 * zero apart from its version means every default:
 *   - rp_read_options: how readers map input to documents (per read call);
 *   - rp_analysis_options: what is learned from the collection once
 *     (shingles, signatures, chrome), set before its first question;
 *   - rp_question: what one question asks (threshold, containment,
 *     passages, filters, alignment), per rp_corpus_ask / rp_corpus_compare.
 * Limits: 1 <= k <= 1024, 1 <= num_perm <= 4096, bands x rows <= num_perm,
 * threads <= 256, texts below 4 GiB (max_doc_bytes < 2^32 - 1).
 */

#define RP_ANALYSIS_OPTIONS_VERSION 1

/** What is learned from a collection once, before its first question. */
typedef struct rp_analysis_options {
	unsigned int version;        /**< RP_ANALYSIS_OPTIONS_VERSION */
	rp_shingle_kind shingle;     /**< word (default) or char shingles */
	unsigned int k;              /**< shingle size, 1..1024; 0 = 5 words
					  or 7 characters (a character text in
					  word mode always uses 5 characters) */
	unsigned int num_perm;       /**< signature length, 1..4096; 0 = 128 */
	rp_minhash_kind minhash;     /**< signature scheme (default OPH) */
	uint64_t seed;               /**< seed of the signature hashes; 0 = the
					  default seed 0x52455052494e54 */
	int include_title;           /**< nonzero: shingle "title\n\ntext" */
	int boilerplate;             /**< RP_DEFAULT/RP_ON: leave site chrome
					  learned per outlet, datelines and
					  credits out of shingles; RP_OFF:
					  shingle all text */
	unsigned int chrome_min_pages; /**< a line on this many pages of one
					    outlet with a site template is
					    chrome, >= 2; 0 = 2 */
	unsigned int threads;        /**< worker threads, 0..256; 0 = online
					  cores. Results do not depend on it. */
	rp_progress_fn progress;     /**< optional progress callback (NULL) */
	void *progress_userdata;     /**< passed to progress */
} rp_analysis_options;

/** Fill *opts with the defaults (all zero apart from version). Returns
 * RP_OK, or RP_EINVAL when opts is NULL or version is not
 * RP_ANALYSIS_OPTIONS_VERSION. Thread-safe. */
RP_API int rp_analysis_options_init(rp_analysis_options *opts,
				    unsigned int version);

#define RP_QUESTION_VERSION 1

/** What one question asks of an analysed collection. */
typedef struct rp_question {
	unsigned int version;        /**< RP_QUESTION_VERSION */
	double threshold;            /**< report pairs with exact Jaccard >= this,
					  in (0, 1]; 0 = 0.5 */
	double containment;          /**< also report pairs where either
					  containment >= this, for a contained
					  text of 20+ shingles, in (0, 1];
					  0 = 0.5; negative (RP_OFF) = off.
					  Below 0.5 scattered reuse is sought
					  too (sampled shingles) */
	int min_passage;             /**< also report pairs sharing a passage
					  of this many consecutive words
					  outside chrome (or as many unedited
					  in a passage with at most one edited
					  word in 30), 1..1000000; 0 = 25;
					  negative (RP_OFF) = off. 2 x this
					  many characters for a pair of
					  character texts */
	int align;                   /**< RP_DEFAULT/RP_ON: align reported pairs
					  (passages, edits, relations from
					  them); RP_OFF: relations from scores */
	int keep_templates;          /**< nonzero: report template pairs (texts
					  that differ only in figures); by
					  default they are dropped and counted */
	int cross_outlet;            /**< nonzero: only pairs of different
					  outlets */
	int64_t window;              /**< > 0: only pairs published within this
					  many seconds (pairs with a missing
					  date are kept); 0 = no window */
	int exact;                   /**< nonzero: all pairs by inverted index
					  (no LSH, no passage search) */
	double target_recall;        /**< LSH: candidate probability at the
					  threshold, in (0, 1); 0 = 0.99 */
	unsigned int bands;          /**< LSH bands; 0 = chosen by rp_lsh_tune()
					  (bands and rows go together, and
					  bands x rows <= num_perm) */
	unsigned int rows;           /**< LSH rows per band; 0 = chosen */
	size_t bucket_cap;           /**< LSH buckets (and sampled-shingle
					  postings) above this size are
					  skipped and counted, >= 2; 0 = 5000 */
	int release;                 /**< nonzero: no later question will need
					  this one's signatures or shingle
					  sets: they are freed as soon as used
					  (lower peak memory); a later
					  question computes them again */
} rp_question;

/** Fill *q with the defaults (all zero apart from version). Returns RP_OK,
 * or RP_EINVAL when q is NULL or version is not RP_QUESTION_VERSION.
 * Thread-safe. */
RP_API int rp_question_init(rp_question *q, unsigned int version);

#define RP_OPTIONS_VERSION 2

/**
 * All options of 0.1 in one struct, kept for its callers: rp_corpus_new()
 * splits it into analysis options, the reading limit and a stored
 * question that rp_scan() asks. Unlike the structs above, zero is not the
 * default in every field: start from RP_OPTIONS_INIT or rp_options_init().
 * Here containment 0 and min_passage 0 turn those searches off, align 0
 * turns alignment off, boilerplate 0 turns chrome learning off, and seed
 * is used as given.
 */
typedef struct rp_options {
	unsigned int version;        /**< RP_OPTIONS_VERSION */
	rp_shingle_kind shingle;     /**< word (default) or char shingles */
	unsigned int k;              /**< shingle size; 0 = 5 words or 7 chars
					  (a character text in word mode
					  always uses 5 characters) */
	unsigned int num_perm;       /**< signature length K (default 128) */
	rp_minhash_kind minhash;     /**< signature scheme (default OPH) */
	uint64_t seed;               /**< seed of the signature hashes */
	double threshold;            /**< report pairs with Jaccard >= this (0.5) */
	double target_recall;        /**< LSH: candidate probability at threshold (0.99) */
	unsigned int bands;          /**< LSH bands; 0 = chosen by rp_lsh_tune() */
	unsigned int rows;           /**< LSH rows per band; 0 = chosen */
	size_t bucket_cap;           /**< LSH buckets above this size are skipped */
	int exact;                   /**< nonzero: all pairs by inverted index, no LSH */
	int include_title;           /**< nonzero: shingle "title\n\ntext" */
	size_t max_doc_bytes;        /**< larger texts are rejected (64 MiB;
					  below 4 GiB); JSONL lines longer
					  than 6 x this + 64 KiB are rejected
					  unparsed */
	unsigned int threads;        /**< worker threads; 0 = online cores */
	double containment;          /**< also report pairs where either
					  containment >= this, for a contained
					  text of 20+ shingles (0 = off; 0.5 in
					  RP_OPTIONS_INIT; 0.8 finds trimmed
					  reprints); candidates from a sampled
					  index */
	int align;                   /**< nonzero: align reported pairs (1) */
	int keep_templates;          /**< nonzero: report template pairs (texts
					  that differ only in figures); by
					  default they are dropped and counted */
	int boilerplate;             /**< nonzero (default): leave site chrome
					  learned per outlet, datelines and
					  credits out of shingles */
	unsigned int chrome_min_pages; /**< a line on this many pages of one
					    outlet is chrome (2; below 2 = 2) */
	int cross_outlet;            /**< nonzero: only pairs of different
					  outlets */
	int64_t window;              /**< > 0: only pairs published within this
					  many seconds (pairs with a missing
					  date are kept) */
	rp_progress_fn progress;     /**< optional progress callback (NULL) */
	void *progress_userdata;     /**< passed to progress */
	unsigned int min_passage;    /**< also report pairs sharing a passage
					  of at least this many consecutive
					  words outside chrome (or as many
					  unedited in a passage with at most
					  one edited word in 30; 25; 0 = off);
					  2 x this many characters for a pair
					  of character texts */
} rp_options;

#define RP_OPTIONS_INIT                                                      \
	{                                                                    \
		RP_OPTIONS_VERSION, RP_SHINGLE_WORD, 0, 128, RP_MINHASH_OPH, \
		0x52455052494e54ULL, 0.5, 0.99, 0, 0, 5000, 0, 0,             \
		(size_t)64 << 20, 0, 0.5, 1, 0, 1, 2, 0, 0, NULL, NULL, 25   \
	}

/** Fill *opts with the defaults of rp_options (RP_OPTIONS_INIT). Returns
 * RP_OK, or RP_EINVAL when opts is NULL or version is not
 * RP_OPTIONS_VERSION. Thread-safe. */
RP_API int rp_options_init(rp_options *opts, unsigned int version);

/* ------------------------------------------------------------------ */
/* LSH banding                                                          */
/* ------------------------------------------------------------------ */

/**
 * Probability that a pair of Jaccard similarity s becomes a candidate
 * under b bands of r rows: returns 1 - (1 - s^r)^b, 0 when bands or rows
 * is 0 or s <= 0, 1 when s >= 1. Pure; thread-safe.
 */
RP_API double rp_lsh_probability(double s, unsigned int bands, unsigned int rows);

/**
 * Choose bands x rows (bands * rows <= num_perm) for a threshold: among the
 * choices whose candidate probability at s = threshold is at least
 * target_recall, the one with the fewest expected false candidates
 * (smallest integral of the S-curve over [0, threshold]). When none reaches
 * target_recall, the choice with the highest probability at the threshold is
 * returned and *reached is set to 0 (else 1); reached may be NULL. Needs
 * threshold in (0, 1], num_perm >= 1, target_recall in (0, 1). Returns
 * RP_OK with *bands and *rows set, or RP_EINVAL (NULL bands or rows, a
 * value out of range; the outputs are then untouched). Pure; thread-safe.
 */
RP_API int rp_lsh_tune(unsigned int *bands, unsigned int *rows, int *reached,
		       double threshold, unsigned int num_perm,
		       double target_recall);

/* ------------------------------------------------------------------ */
/* Corpus                                                               */
/* ------------------------------------------------------------------ */

typedef struct rp_corpus rp_corpus;

/**
 * Create an empty collection in *out (the caller frees it with
 * rp_corpus_free). opts may be NULL: the analysis defaults, the 64 MiB
 * reading limit and the default question for rp_scan(). With opts (0.1's
 * all-in-one options), they are validated and split. Returns RP_OK;
 * RP_EINVAL when out is NULL or opts is invalid (*out is then NULL, so the
 * detail cannot be kept: configure with rp_corpus_configure() for a message);
 * RP_ENOMEM. A collection is not thread-safe: one thread at a time calls
 * functions on it (the library runs its own threads inside a call). Sets
 * cJSON's global allocation hooks (see Thread-safety above).
 */
RP_API int rp_corpus_new(rp_corpus **out, const rp_options *opts);

/** Free a collection and everything it owns (documents, rejects, learned
 * analysis). Results of its questions must be freed before. NULL is a
 * no-op. */
RP_API void rp_corpus_free(rp_corpus *corpus);

/**
 * Set what is learned from the collection (see rp_analysis_options).
 * Allowed until its first question (rp_corpus_analyze, rp_corpus_ask,
 * rp_corpus_compare, rp_scan, rp_learn_boilerplate). Returns RP_OK;
 * RP_EINVAL for a NULL argument or an invalid field, with a message on the
 * corpus naming the field and its allowed range (rp_corpus_error); RP_ESTATE
 * once analysed (from the start of its first question, even one that
 * failed). The options are copied; the corpus keeps the progress callback
 * and its userdata pointer. A stored question (rp_scan) whose bands x rows
 * no longer fit num_perm gets bands and rows 0 (chosen by rp_lsh_tune).
 */
RP_API int rp_corpus_configure(rp_corpus *corpus,
			       const rp_analysis_options *opts);

/**
 * The detail of the last error on this corpus: a NUL-terminated string
 * owned by the corpus, valid until its next call; "" when none (and for
 * NULL). Not every error sets it (NULL arguments, an RP_EINPUT whose reason
 * is on the reject list) and success does not clear it (except in
 * rp_corpus_configure), so read it right after the failing call.
 */
RP_API const char *rp_corpus_error(const rp_corpus *corpus);

/** One document to add. Strings are byte ranges (need not be NUL-terminated). */
typedef struct rp_doc_input {
	const char *id;      /**< NULL: an id "source:line" is generated
				  ("#N", N = records seen, when source
				  or line is missing) */
	size_t id_len;
	const char *text;
	size_t text_len;
	const char *title;   /**< optional (NULL) */
	size_t title_len;
	const char *outlet;  /**< optional */
	size_t outlet_len;
	const char *date;    /**< optional; ISO 8601, RFC 2822, "26-FEB-1987 15:01:01.79" */
	size_t date_len;
	const char *source;  /**< file the record came from (for messages) */
	size_t line;         /**< line in that file (0 when not line-based) */
} rp_doc_input;

/**
 * Add one document (the strings are copied; doc is not kept). Returns RP_OK,
 * or RP_EINPUT when the record is rejected (empty id, no text, invalid
 * UTF-8, NUL byte, empty text, duplicate id, larger than the reading
 * limit): the rejection and its reason are then on the reject list.
 * Returns RP_ENOMEM on allocation failure, RP_EINVAL for a NULL argument,
 * RP_ESTATE once the collection was analysed (its first question),
 * RP_ELIMIT when the corpus already holds 2^32 - 2 documents.
 */
RP_API int rp_corpus_add(rp_corpus *corpus, const rp_doc_input *doc);

#define RP_READ_OPTIONS_VERSION 2

/** How readers map input to documents. */
typedef struct rp_read_options {
	unsigned int version;     /**< RP_READ_OPTIONS_VERSION */
	const char *id_field;     /**< JSONL field names: NULL for the default
				       ("id", "text", "title", "outlet",
				       "date"), "" for a field not read (not
				       text); "a.b" names a nested field */
	const char *text_field;
	const char *title_field;
	const char *outlet_field;
	const char *date_field;
	const char *outlet;       /**< text trees: outlet of every file; NULL =
				       first folder level under the root */
	const char *extensions;   /**< comma-separated extensions of the files
				       read as documents, in directories and
				       as path arguments, any case, also
				       under .gz or .zst (NULL: "txt,html,
				       htm"; .html, .htm and .xhtml files and
				       files starting like HTML are parsed
				       as HTML pages); other files of a
				       directory are counted
				       (rp_corpus_skipped) */
	int root_names;           /**< nonzero: ids of a directory's files
				       start with the directory's own name
				       ("archive/outlet/a.txt"), so that
				       several roots with the same relative
				       paths keep distinct ids */
	size_t max_doc_bytes;     /**< texts larger than this are rejected, and
				       JSONL lines longer than 6 x this +
				       64 KiB are rejected unparsed; below
				       2^32 - 1; 0 = the corpus's limit
				       (64 MiB, or rp_options.max_doc_bytes) */
} rp_read_options;

#define RP_READ_OPTIONS_INIT                                               \
	{                                                                  \
		RP_READ_OPTIONS_VERSION, "id", "text", "title", "outlet", "date", \
		NULL, NULL, 0, 0                                           \
	}

/** Fill *ropts with the defaults (zero: every default). Returns RP_OK, or
 * RP_EINVAL when ropts is NULL or version is not RP_READ_OPTIONS_VERSION. */
RP_API int rp_read_options_init(rp_read_options *ropts, unsigned int version);

/**
 * Read JSONL (one JSON object per line) from an open stream, which stays
 * open and the caller's. name is used in reject messages (NULL:
 * "(stream)"); ropts may be NULL (RP_READ_OPTIONS_INIT) and is used during
 * the call only. What the stream holds is read from its first 4 KiB, not
 * its name: gzip and zstd are decompressed as they are read; UTF-16 or
 * binary data is one rejection naming it, and nothing is read. Lines are
 * parsed on the corpus's worker threads and added in input order. Bad
 * records are rejected (see rp_corpus_add) and reading goes on. Returns
 * RP_OK when the stream was read to its end (even if some records were
 * rejected), RP_EIO on a read error, damaged compressed data, UTF-16 or
 * binary data (each recorded as one rejection of the stream),
 * RP_ENOMEM on allocation failure, RP_EINVAL for a NULL corpus or fp or bad
 * read options (message on the corpus), RP_ESTATE once the collection was
 * analysed, RP_ELIMIT at the document limit, RP_ECANCELED when the progress
 * callback stops it (the records added so far stay added).
 */
RP_API int rp_corpus_read_jsonl(rp_corpus *corpus, FILE *fp, const char *name,
				const rp_read_options *ropts);

/**
 * Read a path: a directory is walked for text files (ropts->extensions,
 * default .txt, also under .gz or .zst; in sorted order; id = path
 * relative to the root, prefixed by the root's name with
 * ropts->root_names; title = first non-empty line, text = the rest,
 * outlet = first folder level under the root unless ropts->outlet), the
 * other files counted by kind (rp_corpus_skipped); a file with a text
 * extension is one text document (rp_corpus_read_text); any other file is
 * read as JSONL (see rp_corpus_read_jsonl). Returns RP_OK; RP_EIO
 * when path cannot be stat'ed or opened (recorded as a rejection) or on a
 * JSONL read error; in a directory, entries that cannot be read (including
 * the directory itself) are rejections and the walk returns RP_OK. Also
 * RP_EINVAL (NULL corpus or path, bad read options), RP_ESTATE (analysed),
 * RP_ENOMEM, RP_ELIMIT, RP_ECANCELED (JSONL only), as for
 * rp_corpus_read_jsonl.
 */
RP_API int rp_corpus_read_path(rp_corpus *corpus, const char *path,
			       const rp_read_options *ropts);

/**
 * Read one text file as one document, as a directory walk reads each *.txt
 * (id = path as given; optional Title:/Date:/Outlet: header block; else
 * title = first non-empty line). Returns RP_OK, or RP_EIO when the file was
 * rejected for any reason, unreadable or by rp_corpus_add (the reason is on
 * the reject list); RP_EINVAL (NULL corpus or path, bad read options),
 * RP_ESTATE (analysed), RP_ENOMEM, RP_ELIMIT.
 */
RP_API int rp_corpus_read_text(rp_corpus *corpus, const char *path,
			       const rp_read_options *ropts);

/** Documents accepted so far (rejected ones are not counted); 0 for NULL.
 * Documents are indexed 0 .. count - 1 in input order. */
RP_API size_t rp_corpus_count(const rp_corpus *corpus);

/**
 * The index of the accepted document with this id (NUL-terminated) in *out.
 * Returns RP_OK, RP_EINVAL for a NULL argument, RP_EINPUT when no accepted
 * document has that id.
 */
RP_API int rp_corpus_find(size_t *out, const rp_corpus *corpus,
			  const char *id);

/** Metadata of accepted document i (0-based, in input order). */
typedef struct rp_doc_info {
	const char *id;       /**< NUL-terminated */
	const char *title;    /**< NULL when absent */
	const char *outlet;   /**< NULL when absent */
	const char *date;     /**< as given; NULL when absent */
	int64_t timestamp;    /**< parsed date, seconds since the epoch (UTC) */
	int has_timestamp;    /**< 0 when the date is absent or not understood */
	const char *text;     /**< the original text, NUL-terminated */
	size_t text_len;
	const char *source;   /**< file it came from */
	size_t line;
} rp_doc_info;

/**
 * Fill *out with the metadata of accepted document i. Returns RP_OK, or
 * RP_EINVAL for a NULL argument or i >= rp_corpus_count(). The strings are
 * owned by the corpus and valid until rp_corpus_free().
 */
RP_API int rp_corpus_doc(rp_doc_info *out, const rp_corpus *corpus, size_t i);

/**
 * Bound the memory the collection takes to about `budget` bytes: once its
 * texts pass a 64th of it, later texts are kept in a temporary file in
 * tmpdir (NULL: $TMPDIR, else /tmp) and read back through a mapping whose
 * pages are released as the analysis goes, so that a collection larger
 * than memory can be read. The file has no name (it is unlinked when it
 * is made): nothing is left behind on any exit. Text pointers stay valid
 * until rp_corpus_free(). budget 0: no bound (the default). Call before
 * the first document; RP_ESTATE after it. A temporary file that cannot be
 * made or written makes rp_corpus_add() and the readers return RP_ETEMP
 * with a message (rp_corpus_error): the collection cannot go on.
 * The library gives its blocks of 2 MiB and more transparent huge pages
 * (fewer page faults); a budget under 256 MiB turns that off for the rest
 * of the process, since a huge page partly used is resident whole.
 */
RP_API int rp_corpus_set_memory(rp_corpus *corpus, size_t budget,
				const char *tmpdir);

/** Bytes written to temporary files so far (0 without a memory bound). */
RP_API uint64_t rp_corpus_temp_bytes(const rp_corpus *corpus);

/**
 * Say that the next question is the last to read the collection's texts:
 * no question follows it and no report quotes a text (the pairs, clusters
 * and syndication reports do not; the HTML report and a deduplicated
 * collection's non-JSONL records do). A bounded collection's temporary
 * files are then closed on threads of their own as soon as the question
 * is done with them: what its stages set aside once it has its
 * candidates, the spooled texts once it has aligned its pairs (while it
 * clusters and its caller writes reports). The kernel's freeing of their
 * cached pages and blocks (about a second for 4 GB of spooled texts, 17 s
 * for the 10M bench corpus's files) no longer all waits at
 * rp_corpus_free(), which joins those threads. After that question, a
 * document's text is NULL (rp_corpus_doc) and questions return
 * RP_ESTATE. Returns RP_OK, RP_EINVAL for a NULL corpus.
 */
RP_API int rp_corpus_set_last_reading(rp_corpus *corpus);

/**
 * Where bytes [from, to) of document i's text are in the file it was read
 * from, as the byte range [*start, *end) of that file: for a text file,
 * past its header block and title line; for an HTML page, the markup
 * between its words skipped and an entity (&rsquo;) whole. Returns RP_OK;
 * RP_EINPUT when the text is not traced to a file (a JSONL record, or a
 * page the tracing could not follow); RP_EINVAL for a NULL argument, i
 * out of range, from >= to, or to past the text.
 */
RP_API int rp_corpus_source_range(size_t *start, size_t *end,
				  const rp_corpus *corpus, size_t i, size_t from,
				  size_t to);

/** One rejected record. Strings live as long as the corpus. */
typedef struct rp_reject {
	const char *source;   /**< file or path */
	size_t line;          /**< 0 when not line-based */
	const char *id;       /**< NULL when unknown */
	const char *reason;
	int empty;            /**< nonzero: an empty text, or one with no
				   words: nothing to compare, counted, not
				   an error of the input */
} rp_reject;

/** Rejected records so far (by readers, rp_corpus_add and the analysis's
 * "no words in text"), in the order they were found; 0 for NULL. */
RP_API size_t rp_corpus_reject_count(const rp_corpus *corpus);

/**
 * Fill *out with rejected record i (0 .. rp_corpus_reject_count() - 1).
 * Returns RP_OK, or RP_EINVAL for a NULL argument or i out of range. The
 * strings are owned by the corpus and valid until rp_corpus_free().
 */
RP_API int rp_corpus_reject(rp_reject *out, const rp_corpus *corpus, size_t i);

/** Files of directories that were not read, by kind. */
typedef struct rp_skipped {
	const char *kind;     /**< ".html", ".md", "(no extension)" */
	size_t files;         /**< how many */
	const char *example;  /**< the first one's path */
} rp_skipped;

/** How many kinds of files the directory walks skipped; 0 for NULL. */
RP_API size_t rp_corpus_skipped_count(const rp_corpus *corpus);

/** Fill *out with kind i of the skipped files (in the order first met);
 * its strings are owned by the corpus and valid until rp_corpus_free().
 * Returns RP_OK, or RP_EINVAL for a NULL argument or i out of range. */
RP_API int rp_corpus_skipped(rp_skipped *out, const rp_corpus *corpus,
			     size_t i);

/** Records seen by readers or rp_corpus_add (accepted + rejected); 0 for
 * NULL. */
RP_API size_t rp_corpus_records_seen(const rp_corpus *corpus);

/* ------------------------------------------------------------------ */
/* Scan                                                                 */
/* ------------------------------------------------------------------ */

typedef struct rp_result rp_result;

/** How two documents relate (see rp_relation_name and README). */
typedef enum rp_relation {
	RP_REL_EXACT = 0,         /**< the same normalized text */
	RP_REL_NEAR_VERBATIM = 1, /**< only trivial differences */
	RP_REL_LIGHT_EDIT = 2,    /**< most of each is in the other, with edits */
	RP_REL_TRIMMED = 3,       /**< one is mostly contained in the longer other */
	RP_REL_EXCERPT = 4,       /**< a passage of one text inside another
				       (an excerpt, partial reuse) */
	RP_REL_TEMPLATE = 5       /**< the same template with other figures */
} rp_relation;

/** The name of RP_REL_EXCERPT before 0.2. */
#define RP_REL_PARTIAL RP_REL_EXCERPT

/** The name of a relation: "exact", "near_verbatim", "light_edit",
 * "trimmed", "excerpt", "template"; "unknown" for any other value. A static
 * string, never NULL. */
RP_API const char *rp_relation_name(rp_relation relation);

/** A verified pair; a < b are document indexes in input order. */
typedef struct rp_pair {
	size_t a, b;
	double jaccard;          /**< exact |A and B| / |A or B| over shingle sets */
	double containment_a;    /**< |A and B| / |A|: how much of a is in b */
	double containment_b;    /**< |A and B| / |B| */
	size_t shared;           /**< |A and B| */
	size_t size_a, size_b;   /**< |A|, |B| (distinct shingles) */
	rp_relation relation;
	int source;              /**< likely original: 0 = a, 1 = b, -1 unknown */
	size_t shared_words;     /**< words of a inside shared passages,
				      unedited (characters when both are
				      character texts, see rp_shingle_kind) */
	size_t passages;         /**< number of shared passages */
} rp_pair;

/** One edit inside a passage: words of a replaced by words of b
 * (characters between two character texts). An empty side (start == end)
 * marks where the other side's words were inserted or deleted. Offsets are
 * bytes of the original texts. */
typedef struct rp_edit {
	size_t a_start, a_end;
	size_t b_start, b_end;
	size_t words_a, words_b;
} rp_edit;

/** A passage present in both texts, as byte ranges of each original.
 * Word counts and indexes are of characters when both texts are character
 * texts (see rp_shingle_kind). */
typedef struct rp_passage {
	size_t a_start, a_end;
	size_t b_start, b_end;
	size_t words_a, words_b;
	size_t a_word, b_word;   /**< index of the first word in each text */
	size_t inserted;         /**< words in b, not in a */
	size_t deleted;          /**< words in a, not in b */
	size_t substituted;      /**< words of a replaced by words of b */
	size_t first_edit;       /**< its edits: rp_result_edits()[first_edit..] */
	size_t edit_count;
} rp_passage;

/** A cluster: its representative and members (representative first). */
typedef struct rp_cluster {
	size_t representative;
	const size_t *members;   /**< document indexes, representative first */
	size_t count;
} rp_cluster;

/** Counters and timings of a scan. */
typedef struct rp_scan_stats {
	size_t documents;          /**< documents scanned */
	size_t char_documents;     /**< of which character texts, tokenized
					and shingled by characters because of
					their script (word mode only; see
					rp_shingle_kind) */
	size_t rejected;           /**< rejected, at reading or at scan */
	size_t shingles;           /**< shingles (windows) summed over documents */
	size_t text_bytes;         /**< bytes of text scanned */
	unsigned int bands, rows;  /**< LSH parameters used (0 in exact mode) */
	int recall_reached;        /**< 1 when P(candidate | threshold) >= target */
	double recall_at_threshold;/**< 1-(1-t^r)^b */
	size_t candidates;         /**< distinct candidate pairs verified */
	size_t contain_candidates; /**< of which found by containment sampling */
	size_t pairs;              /**< pairs reported */
	size_t templates;          /**< template pairs dropped (not reported) */
	size_t filtered;           /**< pairs left out by cross_outlet/window */
	size_t chrome_lines;       /**< (outlet, line) pairs learned as chrome */
	size_t docs_stripped;      /**< documents that had chrome left out */
	size_t bytes_excluded;     /**< bytes of chrome, datelines, credits */
	size_t clusters;           /**< clusters with two or more documents */
	size_t oversized_buckets;  /**< LSH buckets over bucket_cap documents
				        and sampled-shingle postings over
				        bucket_cap, skipped */
	size_t largest_bucket;     /**< the largest of those buckets and
				        postings seen */
	double seconds_boilerplate;/**< outlets, chrome, datelines, credits */
	double seconds_sign;       /**< normalize + shingle + sign */
	double seconds_candidates; /**< banding (or the exact search), the
					sampled index, and building the
					shingle sets of candidate documents */
	double seconds_verify;
	double seconds_align;      /**< relations and passage alignment */
	double seconds_cluster;
	size_t docs_shingled;      /**< documents this question tokenized and
					shingled to learn from (first question:
					all; later: only for what earlier ones
					did not compute or released) */
	size_t docs_signed;        /**< of which signed (MinHash) */
	size_t sets_built;         /**< shingle sets this question built (a set
					built by an earlier question is reused
					unless it was released; verified beside
					alignment, a set made again for a text a
					thread had let go counts again) */
	size_t common_fingerprints;/**< shared-passage fingerprints on more
					than 256 places (common phrases: "the
					company said in a statement"), not
					used to find passages; by design, not
					a loss: a passage is many fingerprints,
					and one shared that widely is
					boilerplate */
	size_t largest_posting;    /**< the most places one of those was on
					(with none: at most 256, or 0) */
} rp_scan_stats;

/**
 * Analyse the collection now (otherwise its first question does): learn
 * outlets and chrome, then tokenize and shingle every document once,
 * deciding which are character texts and rejecting those with no words
 * (added to the reject list, "no words in text"). Afterwards the corpus
 * accepts no more documents, from the start of this call even when it
 * fails. A second call does nothing. Runs worker threads. Returns RP_OK,
 * RP_EINVAL (NULL), RP_ENOMEM, RP_ECANCELED (the progress callback; the
 * analysis is then not kept and the call can be repeated).
 */
RP_API int rp_corpus_analyze(rp_corpus *corpus);

/**
 * Ask the collection one question: every pair with exact Jaccard >=
 * q->threshold, or containment or a shared passage as q asks, with
 * relations, sources and passages, clustered without chaining. q may be
 * NULL for the defaults. The first question analyses the collection
 * (rp_corpus_analyze); what it learns (chrome, signatures, fingerprints,
 * shingle sets) is kept and reused by later questions, whose answers equal
 * those of separate runs with the same options. On RP_OK *out is a new
 * result the caller frees with rp_result_free() before the corpus. Returns
 * RP_EINVAL for a NULL out or corpus or an invalid question (message on the
 * corpus naming the field), RP_ENOMEM, RP_ELIMIT (a text of 2^32 - 1
 * shingles or, in exact mode, as many over the whole collection),
 * RP_ECANCELED; *out is NULL on error. Afterwards the corpus takes no more
 * documents. Runs worker threads.
 */
RP_API int rp_corpus_ask(rp_result **out, rp_corpus *corpus,
			 const rp_question *q);

/**
 * Check question q (NULL: the defaults) against the collection's analysis
 * options without asking it, so that a driver can refuse a bad question
 * before reading its input. Returns RP_OK, or RP_EINVAL with a message on
 * the corpus naming the field and its allowed range (RP_EINVAL without a
 * message when corpus is NULL).
 */
RP_API int rp_question_check(rp_corpus *corpus, const rp_question *q);

/**
 * rp_corpus_ask() with the question stored by rp_corpus_new() (the
 * defaults, or the question part of its rp_options). Returns as
 * rp_corpus_ask: RP_OK with a new result in *out (freed with
 * rp_result_free), or RP_EINVAL, RP_ENOMEM, RP_ELIMIT, RP_ECANCELED with
 * *out NULL.
 */
RP_API int rp_scan(rp_result **out, rp_corpus *corpus);

/**
 * Compare documents a and b (indexes, a != b) of the collection as its
 * questions see them: the same chrome, shingle sets, scores, alignment,
 * relation and source that rp_corpus_ask(q) gives for the pair when it
 * reports it. *out holds the pair as its only pair (with a < b swapped to
 * the pair's order: rp_pair.a is the smaller index), or no pair when the
 * two share no shingle; rp_result_verdict() says whether q's question
 * reports it and why. Analyses the collection first if needed. Returns
 * RP_OK, RP_EINVAL (NULL, a == b, an index out of range, an invalid
 * question; message on the corpus), RP_EINPUT when a or b was rejected at
 * analysis (no words; message on the corpus), RP_ENOMEM, RP_ELIMIT,
 * RP_ECANCELED; *out is NULL on error. On RP_OK the caller frees *out with
 * rp_result_free() before the corpus. The result holds no clusters.
 */
RP_API int rp_corpus_compare(rp_result **out, rp_corpus *corpus, size_t a,
			     size_t b, const rp_question *q);

/**
 * For a result of rp_corpus_compare(): 1 when the question reports the pair
 * (by its rules: scores, passage, filters; candidate search by LSH finds
 * such a pair with probability >= its recall), 0 when it does not, and
 * in *why (if not NULL) a static phrase saying why. For other results (or
 * NULL) returns RP_EINVAL with *why "".
 */
RP_API int rp_result_verdict(const rp_result *result, const char **why);

/** Free a result and every array it handed out (NULL is a no-op). The
 * corpus stays valid. */
RP_API void rp_result_free(rp_result *result);

/** Number of pairs in the result (0 for NULL). For rp_corpus_compare:
 * 0 or 1, reported or not (see rp_result_verdict). */
RP_API size_t rp_result_pair_count(const rp_result *result);

/** Pairs sorted by (a, b), rp_result_pair_count() of them; NULL for a NULL
 * result (and possibly when there are none). Owned by the result, valid
 * until rp_result_free(). */
RP_API const rp_pair *rp_result_pairs(const rp_result *result);

/** Passages of pair i (ordered by their start in a) in *out and *count;
 * NULL, 0 when none (and always with alignment off). Returns RP_OK, or
 * RP_EINVAL for a NULL argument or pair >= rp_result_pair_count(). The
 * array is owned by the result, valid until rp_result_free(). */
RP_API int rp_result_passages(const rp_passage **out, size_t *count,
			      const rp_result *result, size_t pair);

/** Edits of pair i in *out and *count; its passages index into this
 * array (first_edit, edit_count); NULL, 0 when the pair has no passages.
 * Returns RP_OK, or RP_EINVAL for a NULL argument or pair >=
 * rp_result_pair_count(). Valid until rp_result_free(). */
RP_API int rp_result_edits(const rp_edit **out, size_t *count,
			   const rp_result *result, size_t pair);

/** Number of clusters, singletons included (0 for NULL, and for results
 * of rp_corpus_compare and rp_learn_boilerplate). */
RP_API size_t rp_result_cluster_count(const rp_result *result);

/** Cluster i in *out; clusters are ordered by their representative's
 * index. Returns RP_OK, or RP_EINVAL for a NULL argument or i >=
 * rp_result_cluster_count(). out->members is owned by the result, valid
 * until rp_result_free(). */
RP_API int rp_result_cluster(rp_cluster *out, const rp_result *result, size_t i);

/** Whether document i was scanned: returns 1, or 0 when it was rejected at
 * scan time (no words), when i is out of range or result is NULL, or
 * when no question has analysed the collection yet (a result of
 * rp_learn_boilerplate before any question). */
RP_API int rp_result_doc_scanned(const rp_result *result, size_t i);

/** Copy the counters and timings of the question into *out (results of
 * rp_corpus_compare and rp_learn_boilerplate fill only some). Returns
 * RP_OK, or RP_EINVAL for a NULL argument. */
RP_API int rp_result_stats(rp_scan_stats *out, const rp_result *result);

/** A line learned as site chrome: the outlet, the line (a range of one of
 * the outlet's texts, not NUL-terminated) and on how many pages it is. */
typedef struct rp_chrome_line {
	const char *outlet;
	const char *line;
	size_t line_len;
	size_t pages;
} rp_chrome_line;

/** Number of lines learned as site chrome (0 for NULL). */
RP_API size_t rp_result_chrome_count(const rp_result *result);

/** Chrome line i in *out, grouped by outlet. Returns RP_OK, or RP_EINVAL
 * for a NULL argument or i >= rp_result_chrome_count(). The strings are
 * owned by the corpus: valid while the corpus lives (until
 * rp_corpus_free). */
RP_API int rp_result_chrome(rp_chrome_line *out, const rp_result *result,
			    size_t i);

/**
 * Byte ranges of document i's text left out of shingles (chrome, dateline,
 * credits), as count pairs (start, end) in *ranges (2 x count numbers);
 * NULL, 0 when none. Returns RP_OK, or RP_EINVAL for a NULL argument or
 * i >= the number of documents. Valid until rp_result_free().
 */
RP_API int rp_result_excluded(const uint32_t **ranges, size_t *count,
			      const rp_result *result, size_t i);

/**
 * Learn the boilerplate of a collection without scanning for pairs: the
 * result holds only chrome lines, excluded ranges and their counters.
 * Like rp_scan, the corpus accepts no more documents afterwards. Returns
 * RP_OK with a new result in *out (the caller frees it with
 * rp_result_free() before the corpus), or RP_EINVAL (NULL), RP_ENOMEM with
 * *out NULL. Does not call the progress callback.
 */
RP_API int rp_learn_boilerplate(rp_result **out, rp_corpus *corpus);

/* ------------------------------------------------------------------ */
/* Reports                                                              */
/* ------------------------------------------------------------------ */

/*
 * One writer per format, shared by every driver. A writer formats into the
 * caller's sink, which may be a file, a buffer or a socket; the library
 * opens nothing and prints nothing itself. Strings written are UTF-8 as
 * the inputs were; ids, titles and outlets are escaped for the format
 * (TSV: \t \n \r \\; JSON; HTML entities).
 */

/** Write len bytes of data (len may be 0); return 0, or non-zero to stop
 * the writer, which then returns RP_EIO. Called on the caller's thread. */
typedef int (*rp_write_fn)(const char *data, size_t len, void *userdata);

typedef struct rp_sink {
	rp_write_fn write;   /**< required */
	void *userdata;      /**< passed to write */
} rp_sink;

/** A ready rp_write_fn for a stdio stream: userdata is the FILE *, which
 * stays the caller's. Returns 0, or -1 when fwrite wrote less (the
 * stream's error flag tells why). */
RP_API int rp_sink_stdio(const char *data, size_t len, void *userdata);

typedef enum rp_pairs_format {
	RP_PAIRS_TSV = 0,   /**< a header line, then a b jaccard
				 containment_a_in_b containment_b_in_a relation
				 source shared_words passages */
	RP_PAIRS_JSONL = 1  /**< one object per pair, with shingle counts,
				 passages and edits as byte ranges */
} rp_pairs_format;

/**
 * The pairs of result r, in its order. Returns RP_OK; RP_EINVAL for a NULL
 * result or sink, a sink without write, or an unknown format; RP_EIO when
 * the sink stopped the writer; RP_ENOMEM. The same returns for every
 * rp_report_ function below.
 */
RP_API int rp_report_pairs(const rp_sink *sink, const rp_result *result,
			   rp_pairs_format format);

/** The clusters of r as JSONL ({"cluster":N,"representative":ID,"ids":[...]}),
 * numbered from 1; one-document clusters only when singletons is
 * nonzero. Returns as rp_report_pairs: RP_OK, RP_EINVAL, RP_EIO,
 * RP_ENOMEM. */
RP_API int rp_report_clusters(const rp_sink *sink, const rp_result *result,
			      int singletons);

/** The syndication summary as JSONL: per story (cluster) its first
 * publication (how it was chosen, and whether that is a guess), every
 * reprint with delay, relation and share of the original; then per pair
 * of outlets the stories one first published and the other reprinted,
 * with the mean delay. Returns RP_OK, RP_EINVAL, RP_EIO, RP_ENOMEM (as
 * rp_report_pairs). */
RP_API int rp_report_syndication(const rp_sink *sink, const rp_result *result);

/** What rp_report_dedup wrote. */
typedef struct rp_dedup_stats {
	size_t kept;      /**< documents written */
	size_t dropped;   /**< duplicates left out */
	size_t verbatim;  /**< of the kept, written as their original line */
} rp_dedup_stats;

/**
 * The collection without its duplicates, as JSONL, in input order: every
 * document the result scanned except the members of a cluster other than
 * its representative (the first publication, else the longest text);
 * rejected and empty texts are left out too. A document read from a line
 * of a JSONL file (compressed or not) is written as that line, every field
 * kept, the file read again for it; any other (text files, stdin) as
 * {"id","title","outlet","date","text"}. What goes is what the question
 * clusters: ask with containment and passages off (RP_OFF) to drop near
 * duplicates only. *stats (may be NULL) counts. Returns RP_OK, RP_EINVAL,
 * RP_EIO or RP_ENOMEM, as rp_report_pairs.
 */
RP_API int rp_report_dedup(const rp_sink *sink, const rp_result *result,
			   rp_dedup_stats *stats);

/** Every rejected record of the corpus as JSONL (source, line, id,
 * reason). Returns RP_OK, RP_EINVAL (NULL corpus or sink), RP_EIO,
 * RP_ENOMEM (as rp_report_pairs). */
RP_API int rp_report_rejects(const rp_sink *sink, const rp_corpus *corpus);

/**
 * The HTML report is a folder of self-contained pages (inline CSS and SVG,
 * no script, nothing fetched) that link to each other by these names:
 * index.html (rp_report_html_index), stories-size-N.html and
 * stories-date-N.html (rp_report_html_list, N from 1), story-K.html
 * (rp_report_html_story, K from 1), outlets.html (rp_report_html_outlets),
 * pairs-N.html (rp_report_html_list with RP_HTML_PAIRS) and pair-N.html
 * (rp_report_html_pair). A story is a cluster of two or more documents.
 */
typedef enum rp_html_list {
	RP_HTML_BY_SIZE = 0,  /**< stories, largest first */
	RP_HTML_BY_DATE = 1,  /**< stories by first publication, undated last */
	RP_HTML_PAIRS = 2     /**< every pair, in the result's order */
} rp_html_list;

/** The front page: counts, links to the lists and outlets, and how to read
 * the report. Returns RP_OK, RP_EINVAL, RP_EIO or RP_ENOMEM, as
 * rp_report_pairs. */ 
RP_API int rp_report_html_index(const rp_sink *sink, const rp_result *result);

/** The number of stories (clusters of two or more) of result; 0 for NULL. */
RP_API size_t rp_report_html_story_count(const rp_result *result);

/** Pages of a list (100 entries a page; at least 1); 0 for NULL. */
RP_API size_t rp_report_html_pages(const rp_result *result, rp_html_list list);

/** Page (from 0) of a list, with links to the previous and next pages.
 * Returns as rp_report_pairs; RP_EINVAL also for a page or list out of
 * range. */
RP_API int rp_report_html_list(const rp_sink *sink, const rp_result *result,
			       rp_html_list list, size_t page);

/** The page of story k (from 0, below rp_report_html_story_count): the
 * first publication (outlet, date, headline), a timeline drawn as SVG with
 * one mark per publication (undated ones in a row of their own), and every
 * reprint with outlet, date, delay after the first, relation, share of the
 * original it carries, headline and a link to its pair page; when dates
 * are missing, a line saying the order is a guess and from what. Returns
 * as rp_report_html_list. */
RP_API int rp_report_html_story(const rp_sink *sink, const rp_result *result,
				size_t story);

/** Who reprints whom: per outlet the stories it published first and the
 * reprints it ran (a table and an SVG bar chart), and per pair of outlets
 * the stories one published first and the other reprinted, with the
 * median delay. Returns RP_OK, RP_EINVAL, RP_EIO or RP_ENOMEM, as
 * rp_report_pairs. */
RP_API int rp_report_html_outlets(const rp_sink *sink, const rp_result *result);

/** The HTML page of pair i (< rp_result_pair_count, else RP_EINVAL): the
 * scores and both originals side by side, reused passages highlighted,
 * edits marked. Returns RP_OK, RP_EINVAL, RP_EIO, RP_ENOMEM (as
 * rp_report_pairs). */
RP_API int rp_report_html_pair(const rp_sink *sink, const rp_result *result,
			       size_t pair);

#define RP_VIEW_OPTIONS_VERSION 1

/** How rp_report_view lays a pair out. */
typedef struct rp_view_options {
	unsigned int version;   /**< RP_VIEW_OPTIONS_VERSION */
	int color;              /**< nonzero: ANSI colours (bold labels, red
				     deletions, green insertions); else edits
				     are marked [-so-] and {+so+} */
	unsigned int width;     /**< columns of the terminal, >= 40; else 100 */
} rp_view_options;

/** Pair i explained for a terminal: ids, relation, (for a result of
 * rp_corpus_compare) whether and why the question reports it, source,
 * scores, then every shared passage side by side in two columns of display
 * width (wide characters count two). For a compare result with no pair,
 * pair is ignored and the view says why. v may be NULL (no colour, 100
 * columns). Returns RP_OK; RP_EINVAL for a NULL result, a bad v->version or
 * pair out of range, and as rp_report_pairs RP_EIO, RP_ENOMEM. */
RP_API int rp_report_view(const rp_sink *sink, const rp_result *result,
			  size_t pair, const rp_view_options *v);

/** Index of the pair of documents a and b (either order) in
 * rp_result_pairs(), or SIZE_MAX when the result holds no such pair (or
 * result is NULL). A result of rp_corpus_compare holds its pair even when
 * the question would not report it (see rp_result_verdict). */
RP_API size_t rp_result_find_pair(const rp_result *result, size_t a, size_t b);

/**
 * A new result holding the pairs of result that join a document at index
 * first or above (a query) with one below it (the archive), each turned
 * round so that the query document is a: containments, sizes, source,
 * passages and edits swapped with it. Pairs are sorted by (a, b); the new
 * result has no clusters and its stats are result's. The caller frees
 * *out with rp_result_free() before the corpus. Returns RP_OK, RP_EINVAL
 * (NULL), RP_ENOMEM.
 */
RP_API int rp_result_pairs_across(rp_result **out, const rp_result *result,
				  size_t first);

/* ------------------------------------------------------------------ */
/* Archive index                                                        */
/* ------------------------------------------------------------------ */

/*
 * A collection kept in an SQLite database file: documents are added in
 * batches (one transaction each) and read back into a corpus, in the order
 * they were added, to be asked questions; so an index's answers are those
 * of a scan of the same documents. The file carries the analysis options it
 * was made with and a schema version; another SQLite database or any other
 * file is refused without a byte written. A handle is used by one thread at
 * a time; other processes may read while one adds (WAL).
 */
typedef struct rp_index rp_index;

#define RP_INDEX_CREATE 1u    /**< create the index when path is missing */
#define RP_INDEX_READONLY 2u  /**< open for reading only */

/** A new, closed index handle in *out (free with rp_index_free). Returns
 * RP_OK, RP_EINVAL (NULL out), RP_ENOMEM. */
RP_API int rp_index_new(rp_index **out);

/** Close and free the handle (NULL is a no-op). The file stays. */
RP_API void rp_index_free(rp_index *index);

/** The last error on the handle: a string it owns, valid until its next
 * call; "" when none (and for NULL). */
RP_API const char *rp_index_error(const rp_index *index);

/**
 * Open the index at path (with RP_INDEX_CREATE, create it when missing,
 * with analysis options ao, or the defaults when ao is NULL). For an
 * existing index, ao (when not NULL) must match the options it was made
 * with; its threads and progress callback are used. Returns RP_OK;
 * RP_EINVAL for a NULL argument, invalid options or options that differ
 * from the index's (the message names the option and both values);
 * RP_EINPUT when path is not a reprint index (not SQLite, another
 * application's database, another schema version: the file is left as it
 * was); RP_EIO when it cannot be opened or created; RP_ESTATE when the
 * handle is already open; RP_ENOMEM. Messages on rp_index_error().
 */
RP_API int rp_index_open(rp_index *index, const char *path,
			 const rp_analysis_options *ao, unsigned int flags);

/** The analysis options the open index was made with (resolved, with the
 * threads and progress given to rp_index_open). Returns RP_OK, RP_EINVAL
 * (NULL, or the handle is not open). */
RP_API int rp_index_analysis(rp_analysis_options *out, const rp_index *index);

/** What one rp_index_add did. */
typedef struct rp_index_add_stats {
	size_t added;        /**< new documents */
	size_t unchanged;    /**< known ids with the same text: nothing to do */
	size_t replaced;     /**< known ids given a new text (replace) */
	size_t conflicts;    /**< known ids with another text, not replaced */
	size_t batches;      /**< batches that added documents (a batch that
				  adds nothing leaves no trace) */
} rp_index_add_stats;

/**
 * Add the accepted documents of corpus from index first on (0: all of
 * them) to the index, in order, in transactions of batch_docs documents
 * (0: 10000): a batch is stored
 * wholly or not at all, whatever happens to the process. A known id with
 * the same text (XXH3-128) is left as it is; with another text it is
 * replaced when replace is nonzero, else counted as a conflict and listed
 * by rp_index_conflicts(). Returns RP_OK; RP_EINVAL (NULL); RP_ESTATE (not
 * open); RP_ELIMIT (a text over 2 GiB, nothing added); RP_EIO or RP_EINPUT
 * (the database failed or is damaged: the batch in progress is rolled
 * back, earlier batches stay); RP_ENOMEM. *stats (may be NULL) says what
 * was done, also on error.
 */
RP_API int rp_index_add(rp_index *index, const rp_corpus *corpus, size_t first,
			int replace, size_t batch_docs,
			rp_index_add_stats *stats);

/** The corpus indexes of the documents the last rp_index_add left as
 * conflicts, in *docs (owned by the handle, valid until its next add or
 * rp_index_free) and *count. Returns RP_OK, RP_EINVAL (NULL). */
RP_API int rp_index_conflicts(const size_t **docs, size_t *count,
			      const rp_index *index);

/**
 * Add every document of the index to corpus (rp_corpus_add), in the order
 * they were first added. The corpus should be configured with
 * rp_index_analysis()'s options, for answers that match the index's.
 * Returns RP_OK; RP_EINVAL; RP_ESTATE (not open, or the corpus was
 * analysed); RP_EIO or RP_EINPUT (a database error, a damaged row); RP_ENOMEM.
 */
RP_API int rp_index_load(rp_index *index, rp_corpus *corpus);

/** Remove the documents with these ids (n of them; unknown ids are
 * skipped) in one transaction; *removed (may be NULL) says how many were.
 * Returns RP_OK, RP_EINVAL, RP_ESTATE (not open), RP_EIO, RP_EINPUT,
 * RP_ENOMEM. */
RP_API int rp_index_remove(rp_index *index, const char *const *ids, size_t n,
			   size_t *removed);

/** How rp_index_query answered. */
typedef struct rp_index_query_stats {
	const char *why_whole;   /**< NULL: from the kept features; else why
				      the whole archive was read (a static
				      string: another question than the kept
				      one, too many pages affected) */
	size_t archived_read;    /**< archived documents read */
	size_t affected;         /**< archived pages whose chrome the query's
				      pages change, analysed again */
	size_t candidates;       /**< candidate pairs verified */
	size_t first_query;      /**< the first query document in *work */
} rp_index_query_stats;

/**
 * Which archived documents do the documents of query share text with
 * (question q; NULL: the default question)?
 * The answer is the one rp_corpus_ask(q) gives on the archive followed by
 * query's documents (in that order), restricted to pairs of an archived
 * and a query document: chrome learned from the whole archive with the
 * query's pages, the same candidates (bucket and posting caps counted on
 * the whole archive), the same verification, relations and passages. It
 * is computed from what the index keeps (band keys, fingerprints, chrome
 * counts), reading only the candidates' documents, when q asks the kept
 * question's banding and passage length; otherwise, or when the query's
 * pages change the chrome of more than 20000 archived pages, from the
 * whole archive (stats->why_whole says why).
 *
 * On RP_OK, *work is a new corpus (the caller frees it with
 * rp_corpus_free, after *out) holding the archived documents read, then
 * query's accepted documents from stats->first_query on, with query's
 * rejects and a reject for each query document whose id is archived;
 * *out is the answer on *work (free with rp_result_free): its pairs are
 * all the question's pairs among *work's documents that the answer
 * covers; rp_result_pairs_across(..., first_query) gives each with the
 * query document as a. query is not changed. Returns RP_OK; RP_EINVAL
 * (NULL argument, an invalid question: message on rp_index_error());
 * RP_ESTATE (not open); RP_EIO or RP_EINPUT (the database failed or is
 * damaged); RP_ENOMEM. *stats (may be NULL) says how it was answered.
 */
RP_API int rp_index_query(rp_index *index, const rp_corpus *query,
			  const rp_question *q, rp_corpus **work,
			  rp_result **out, rp_index_query_stats *stats);

/** What an index holds. */
typedef struct rp_index_stats {
	size_t documents, outlets, batches;
	uint64_t text_bytes;          /**< bytes of text stored */
	uint64_t file_bytes;          /**< pages x page size of the database */
	int schema_version;
	rp_analysis_options analysis; /**< the options it was made with */
} rp_index_stats;

/** Fill *out. Returns RP_OK, RP_EINVAL, RP_ESTATE (not open), RP_EIO,
 * RP_EINPUT, RP_ENOMEM. */
RP_API int rp_index_get_stats(rp_index_stats *out, rp_index *index);

/**
 * Check the index: SQLite's integrity check, then every table against
 * every other (the document count in meta, every document in a batch, no
 * batch holding more than it added) and every document against its hash
 * and as valid UTF-8. Returns RP_OK, or RP_EINPUT with the first problem on
 * rp_index_error(); RP_EINVAL, RP_ESTATE (not open), RP_EIO, RP_ENOMEM.
 */
RP_API int rp_index_check(rp_index *index);

/* ------------------------------------------------------------------ */
/* Stages over shards                                                   */
/* ------------------------------------------------------------------ */

/**
 * Part `part` (0 .. nparts - 1) of the inputs paths[0..npaths) laid end
 * to end: part p holds their bytes [T p / N, T (p + 1) / N) (T = their
 * total size); a plain JSONL file is cut at line ends (a line goes to the
 * part holding its first byte; line numbers are the whole file's), any
 * other path (a folder, a compressed file, a text file) is read whole by
 * the part holding its first byte, as rp_corpus_read_path reads it. The
 * parts of N together read every record once, in input order. Returns as
 * rp_corpus_read_path (a path that cannot be read is a rejection and the
 * call goes on); RP_EINVAL for "-" (standard input cannot be cut).
 */
RP_API int rp_corpus_read_part(rp_corpus *corpus, const char *const *paths,
			       size_t npaths, unsigned int part,
			       unsigned int nparts, const rp_read_options *ropts);

/**
 * A run of scan as stages over shards, sharing a work folder (on a file
 * system every task sees): read (each part of the inputs: its documents
 * and the chrome evidence of its pages) -> chrome (all parts' evidence
 * merged into one model; ids two parts both hold) -> sign (each part,
 * with the merged chrome: sorted band keys and fingerprints) -> pairs
 * (each range of bands and of the fingerprint hash space: candidate
 * pairs) -> verify (each share of the candidates, reading only their
 * documents) -> finish (the result scan gives on the same inputs). Each
 * task writes its files whole or not at all (renamed when complete, then
 * a done marker), can be run again and gives the same bytes; a stage
 * refuses files of another format, other parameters or damaged ones, and
 * runs only when every task of the stage before it is done.
 */
typedef struct rp_shard rp_shard;

/**
 * Open the work folder dir. params (its bytes, e.g. the options the run
 * was made with) is given by the first stage and kept in dir/params (the
 * folder is made when missing; a folder holding other parameters is
 * refused); later stages give NULL and read them (rp_shard_params).
 * Every stage file carries their hash. Returns RP_OK, RP_EINPUT (refused,
 * not a work folder) or RP_EIO with a message on rp_shard_error (*out is
 * then still set, for the message: free it), RP_ENOMEM, RP_EINVAL.
 */
RP_API int rp_shard_open(rp_shard **out, const char *dir, const void *params,
			 size_t params_len);

/** Free shard (NULL is ignored). */
RP_API void rp_shard_free(rp_shard *shard);

/** The message of the last error ("" when none, and for NULL): owned by
 * shard, valid until its next call. */
RP_API const char *rp_shard_error(const rp_shard *shard);

/** The parameters kept in the folder into *params (owned by shard, valid
 * until rp_shard_free) and *len. Returns RP_OK, or RP_EINVAL for a NULL
 * argument. */
RP_API int rp_shard_params(const void **params, size_t *len,
			   const rp_shard *shard);

/*
 * The stages. corpus: a new corpus configured with the run's analysis
 * options (read: holding part `part` of the inputs, read with
 * rp_corpus_read_part; the others: empty, filled here as they need). q:
 * the run's question (exact questions and containment below 0.5 are
 * refused: RP_EINVAL). Each returns RP_OK or: RP_EINPUT (a stage file
 * refused: another format, other parameters, damaged; a stage before
 * not done), RP_EIO, RP_ENOMEM, RP_EINVAL, RP_ETEMP, RP_ELIMIT, with a
 * message on rp_shard_error.
 */

/** Stage 1: read part `part` of `nparts` of the inputs (as
 * rp_corpus_read_part reads it, with ropts) into the folder: its
 * documents, rejects and chrome evidence. corpus: new and empty; it keeps
 * the part's ids, rejects and skipped files, not its texts (each is
 * written out as it is read). q is the run's question: one the stages do
 * not answer is refused here, before anything is read. Returns RP_OK or
 * an error status as above (reading errors as rp_corpus_read_part's;
 * RP_ESTATE for a corpus that holds documents). */
RP_API int rp_shard_read(rp_shard *shard, rp_corpus *corpus,
			 const rp_question *q, const char *const *paths,
			 size_t npaths, unsigned int part, unsigned int nparts,
			 const rp_read_options *ropts);

/** Stage 2: merge every part's chrome evidence into one model; find the
 * ids two parts hold. Returns RP_OK or an error status as above. */
RP_API int rp_shard_chrome(rp_shard *shard);

/** Stage 3: analyse part `part` with the merged chrome; keep its band
 * keys and fingerprints, sorted. Returns RP_OK or an error status. */
RP_API int rp_shard_sign(rp_shard *shard, rp_corpus *corpus,
			 const rp_question *q, unsigned int part);

/** Stage 4: candidate pairs of the part-th nparts-th of the bands and of
 * the fingerprint hash space, over every part. Returns RP_OK or an error
 * status as above. */
RP_API int rp_shard_pairs(rp_shard *shard, rp_corpus *corpus,
			  const rp_question *q, unsigned int part,
			  unsigned int nparts);

/** Stage 5: verify, relate and align the part-th nparts-th of the
 * candidates, reading only their documents. Returns RP_OK or an error
 * status as above. */
RP_API int rp_shard_verify(rp_shard *shard, rp_corpus *corpus,
			   const rp_question *q, unsigned int part,
			   unsigned int nparts);

/** Stage 6: the result of scan on the same inputs, over corpus (which
 * then holds every document and reject), into *out: report it and free it
 * (rp_result_free) as rp_scan's, before freeing corpus. It reads every
 * document's fields; of the texts (which sign and verify checked as they
 * read them) it checks those of documents not read from a JSONL line (a
 * deduplicated output writes them) and, unless rp_shard_print_texts says
 * otherwise, those of the pairs' documents (the HTML report prints them).
 * Returns RP_OK or an error status as above. */
RP_API int rp_shard_finish(rp_shard *shard, rp_corpus *corpus,
			   const rp_question *q, rp_result **out);

/** Whether the caller's reports of finish's result print the texts of the
 * pairs' documents (the HTML report; not the pairs, clusters, syndication
 * or deduplicated reports): 1 (the default) has finish check them against
 * their checksums first, 0 spares it the reading (a fifth of the texts
 * of the 1M bench corpus, two fifths of a news collection's). */
RP_API void rp_shard_print_texts(rp_shard *shard, int print);

#ifdef __cplusplus
}
#endif

#endif /* REPRINT_H */
