/*
 * index.c - the archive index: a collection kept in an SQLite database,
 * added to in batches, asked again later.
 *
 * What is kept (schema version 7; 6 kept the same tables, filled by
 * chrome rules without the republication credits, so its features are
 * not what this reprint computes; 5 kept the blocks of `run` in a
 * WITHOUT ROWID table, runs.c says why no longer):
 *   meta(key, value)   the schema version, the analysis options the
 *                      archive was made with, the kept question's banding
 *                      and winnowing window, the document count
 *   batch(id, docs, added)        one row per committed batch
 *   doc(n, id, outlet, date, title, text, hash, source, line, batch)
 *                      every document, in the order it was added (n), with
 *                      XXH3-128 of its text
 *   gen, docgen, run, dead, outlet, linetot
 *                      what a query needs instead of the archive: band
 *                      keys, fingerprints and chrome counts (archive.c,
 *                      runs.c)
 * The file says what it is in its header: application_id 'RPRI' and
 * user_version = the schema version, both read before anything is
 * written, so another SQLite database or any other file is refused and
 * left as it was. A new index is made under a temporary name and renamed
 * into place, so a killed creation leaves nothing that looks like an
 * index.
 *
 * Answers: index scan asks the library's question of the stored
 * documents (rp_index_load, rp_corpus_ask), so its pairs are those of a
 * scan of the same documents in the same order; index query answers from
 * what is kept and reads only the candidates' documents (archive.c says
 * how it stays equal to a scan of the archive plus the query).
 *
 * Safety: WAL journal (readers run while a batch is added), one
 * transaction per batch (its documents, what is kept of them, the batch
 * row and the count in meta commit together), so a kill at any moment
 * leaves whole batches.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common.h"
#include "corpus.h"
#include "contain.h"
#include "runs.h"
#include "index_int.h"
#include "lsh.h"
#include "utf8.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#define APP_ID 0x52505249 /* "RPRI" */
#define SCHEMA_VERSION 7
#define DEFAULT_BATCH 10000

#define set_err rp_index_set_err
#define db_fail rp_index_db_fail
#define exec rp_index_exec

void rp_index_set_err(rp_index *ix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ix->err, sizeof(ix->err), fmt, ap);
	va_end(ap);
}

int rp_index_db_fail(rp_index *ix, const char *what, int rc)
{
	set_err(ix, "%s: %s: %s", ix->path ? ix->path : "index", what,
		ix->db ? sqlite3_errmsg(ix->db) : sqlite3_errstr(rc));
	if (rc == SQLITE_NOMEM)
		return RP_ENOMEM;
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return RP_EINPUT;
	return RP_EIO;
}

int rp_index_new(rp_index **out)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = calloc(1, sizeof(**out));
	RETURN_ERROR_IF(!*out, RP_ENOMEM);
	return RP_OK;
}

void rp_index_free(rp_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->look);
	if (ix->db)
		sqlite3_close(ix->db);
	free(ix->path);
	free(ix->conflicts);
	free(ix->gens);
	free(ix->dead);
	rp_runs_release(ix);
	free(ix);
}

const char *rp_index_error(const rp_index *ix)
{
	return ix ? ix->err : "";
}

int rp_index_prepare(rp_index *ix, sqlite3_stmt **st, const char *sql)
{
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? RP_OK : db_fail(ix, sql, rc);
}

int rp_index_exec(rp_index *ix, const char *sql)
{
	int rc = sqlite3_exec(ix->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? RP_OK : db_fail(ix, sql, rc);
}

/* One integer from a query with no parameters. */
static int query_int(rp_index *ix, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? RP_OK : db_fail(ix, sql, rc);
}

/* The analysis options as meta rows; the same names on reading. */
static const char *const META_KEYS[] = {
	"shingle", "k", "num_perm", "minhash", "seed", "include_title",
	"boilerplate", "chrome_min_pages",
};
#define NMETA (sizeof(META_KEYS) / sizeof(META_KEYS[0]))
/* The kept question's parameters (meta), into ix->bands, rows, winnow_w. */
static const char *const KEPT_KEYS[] = { "bands", "rows", "winnow_w" };

static void meta_values(uint64_t v[NMETA], const rp_analysis_options *o)
{
	v[0] = (uint64_t)o->shingle;
	v[1] = o->k;
	v[2] = o->num_perm;
	v[3] = (uint64_t)o->minhash;
	v[4] = o->seed;
	v[5] = (uint64_t)(o->include_title != 0);
	v[6] = (uint64_t)(o->boilerplate != 0);
	v[7] = o->chrome_min_pages;
}

static const char SCHEMA[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE batch(id INTEGER PRIMARY KEY, docs INTEGER NOT NULL,"
	" added TEXT NOT NULL);"
	"CREATE TABLE doc(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" outlet TEXT, date TEXT, title TEXT, text TEXT NOT NULL,"
	" hash BLOB NOT NULL, source TEXT, line INTEGER NOT NULL,"
	" batch INTEGER NOT NULL REFERENCES batch(id));"
	"CREATE INDEX doc_outlet ON doc(outlet);"
	/* What a query needs without the archive (archive.c): rows in
	 * generations, each written in key order after the others. */
	"CREATE TABLE gen(id INTEGER PRIMARY KEY, docs INTEGER NOT NULL);"
	"CREATE TABLE docgen(n INTEGER PRIMARY KEY, gen INTEGER NOT NULL);"
	"CREATE INDEX docgen_gen ON docgen(gen);"
	"CREATE TABLE outlet(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
	" pages INTEGER NOT NULL, top INTEGER NOT NULL);"
	"CREATE TABLE linetot(outlet INTEGER NOT NULL, h INTEGER NOT NULL,"
	" pages INTEGER NOT NULL, credit INTEGER NOT NULL,"
	" PRIMARY KEY(outlet, h)) WITHOUT ROWID;"
	"CREATE INDEX linetot_pages ON linetot(outlet, pages);"
	"CREATE TABLE run(gen INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" first INTEGER NOT NULL, data BLOB NOT NULL);"
	"CREATE UNIQUE INDEX run_key ON run(gen, kind, first);"
	"CREATE TABLE dead(gen INTEGER NOT NULL, class INTEGER NOT NULL,"
	" doc INTEGER NOT NULL, PRIMARY KEY(gen, class, doc)) WITHOUT ROWID;";

static int set_meta(rp_index *ix, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(ix->db,
				    "INSERT OR REPLACE INTO meta VALUES(?1, ?2)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? RP_OK : db_fail(ix, "writing meta", rc);
}

/* A new index at path: built under a temporary name, renamed in place. */
static int create(rp_index *ix, const char *path)
{
	char tmp[4096];
	int err = RP_OK;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	unlink(tmp);
	int rc = sqlite3_open_v2(tmp, &ix->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err = db_fail(ix, "cannot create", rc);
		goto cleanup;
	}
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; PRAGMA user_version = %d;",
		 APP_ID, SCHEMA_VERSION);
	/* (the kept blocks are sized for 4 KB pages: runs.c) */
	GOTO_IF_ERROR(exec(ix, "PRAGMA page_size = 4096"));
	GOTO_IF_ERROR(exec(ix, "BEGIN"));
	GOTO_IF_ERROR(exec(ix, sql));
	GOTO_IF_ERROR(exec(ix, SCHEMA));
	uint64_t v[NMETA];
	meta_values(v, &ix->ao);
	char num[32];
	snprintf(num, sizeof(num), "%d", SCHEMA_VERSION);
	GOTO_IF_ERROR(set_meta(ix, "schema_version", num));
	GOTO_IF_ERROR(set_meta(ix, "documents", "0"));
	for (size_t i = 0; i < NMETA; i++) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v[i]);
		GOTO_IF_ERROR(set_meta(ix, META_KEYS[i], num));
	}
	/* The default question's banding and winnowing window: the band
	 * keys and fingerprints kept are those (a query asking others is
	 * answered from the whole archive). */
	unsigned kept[3] = { 0, 0, rp_winnow_window(25, ix->ao.k) };
	int reached = 0;
	GOTO_IF_ERROR(rp_lsh_tune(&kept[0], &kept[1], &reached, 0.5,
				  ix->ao.num_perm, 0.99));
	for (size_t i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "%u", kept[i]);
		GOTO_IF_ERROR(set_meta(ix, KEPT_KEYS[i], num));
	}
	GOTO_IF_ERROR(exec(ix, "COMMIT"));
	GOTO_IF_ERROR(exec(ix, "PRAGMA journal_mode = WAL"));
	sqlite3_close(ix->db);
	ix->db = NULL;
	if (rename(tmp, path) != 0) {
		set_err(ix, "cannot rename %s to %s", tmp, path);
		err = RP_EIO;
	}
cleanup:
	if (ix->db) {
		sqlite3_close(ix->db);
		ix->db = NULL;
	}
	if (err < 0) {
		unlink(tmp);
		char side[4200];
		snprintf(side, sizeof(side), "%s-wal", tmp);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", tmp);
		unlink(side);
	}
	return err;
}

/* Is the open database a reprint index of this schema? Reads only. */
static int check_header(rp_index *ix)
{
	int64_t app = 0, ver = 0;
	int err = query_int(ix, "PRAGMA application_id", &app);
	if (err == RP_EINPUT) {
		set_err(ix, "%s is not a reprint index (not an SQLite database)",
			ix->path);
		return RP_EINPUT;
	}
	FORWARD_IF_ERROR(err);
	if (app != APP_ID) {
		set_err(ix, "%s is not a reprint index (an SQLite database of "
			"another application, or an empty file)", ix->path);
		return RP_EINPUT;
	}
	FORWARD_IF_ERROR(query_int(ix, "PRAGMA user_version", &ver));
	if (ver != SCHEMA_VERSION) {
		set_err(ix, "%s is a reprint index of schema version %lld; this "
			"reprint reads version %d", ix->path, (long long)ver,
			SCHEMA_VERSION);
		return RP_EINPUT;
	}
	return RP_OK;
}

/* The analysis options stored in meta, into ix->ao. */
/* The number meta holds for key (st: the meta lookup), in lo..hi. */
static int meta_number(rp_index *ix, sqlite3_stmt *st, const char *key,
		       uint64_t lo, uint64_t hi, uint64_t *out)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	char *end = NULL;
	unsigned long long x = t ? strtoull((const char *)t, &end, 10) : 0;
	if (!t || !end || *end || end == (const char *)t || x < lo || x > hi) {
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_fail(ix, "reading meta", rc);
		set_err(ix, "%s: meta has no valid '%s': not a complete "
			"reprint index", ix->path, key);
		return RP_EINPUT;
	}
	*out = x;
	return RP_OK;
}

static int read_meta(rp_index *ix)
{
	uint64_t v[NMETA], kept[3];
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	int rc = sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key = ?1",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(ix, "reading meta", rc);
	for (size_t i = 0; i < NMETA && err == RP_OK; i++)
		err = meta_number(ix, st, META_KEYS[i], 0, ULLONG_MAX, &v[i]);
	for (size_t i = 0; i < 3 && err == RP_OK; i++)
		err = meta_number(ix, st, KEPT_KEYS[i], 1, 4096, &kept[i]);
	sqlite3_finalize(st);
	FORWARD_IF_ERROR(err);
	ix->bands = (unsigned)kept[0];
	ix->rows = (unsigned)kept[1];
	ix->winnow_w = (unsigned)kept[2];
	if (kept[0] * kept[1] > v[2]) {
		set_err(ix, "%s: meta holds a banding of %u x %u rows for %llu "
			"signature values: not a reprint index this reprint can "
			"use", ix->path, ix->bands, ix->rows, (unsigned long long)v[2]);
		return RP_EINPUT;
	}
	rp_analysis_options o;
	rp_analysis_options_init(&o, RP_ANALYSIS_OPTIONS_VERSION);
	o.shingle = (rp_shingle_kind)v[0];
	o.k = (unsigned)v[1];
	o.num_perm = (unsigned)v[2];
	o.minhash = (rp_minhash_kind)v[3];
	o.seed = v[4];
	o.include_title = (int)v[5];
	o.boilerplate = v[6] ? RP_ON : RP_OFF;
	o.chrome_min_pages = (unsigned)v[7];
	char why[256];
	if (v[0] > 1 || v[3] > 1 || v[1] > 1024 || v[2] > 4096 || v[7] > UINT32_MAX ||
	    rp_analysis_resolve(&ix->ao, why, sizeof(why), &o) < 0) {
		set_err(ix, "%s: meta holds analysis options this reprint cannot "
			"use", ix->path);
		return RP_EINPUT;
	}
	return RP_OK;
}

int rp_index_open(rp_index *ix, const char *path, const rp_analysis_options *ao,
		  unsigned flags)
{
	RETURN_ERROR_IF(!ix || !path, RP_EINVAL);
	if (ix->db) {
		set_err(ix, "the index handle is already open");
		return RP_ESTATE;
	}
	free(ix->path);
	ix->path = rp_strndup(path, strlen(path));
	RETURN_ERROR_IF(!ix->path, RP_ENOMEM);
	rp_analysis_options want;
	int have_want = 0;
	if (ao) {
		FORWARD_IF_ERROR(rp_analysis_resolve(&want, ix->err,
						     sizeof(ix->err), ao));
		have_want = 1;
	}
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (!(flags & RP_INDEX_CREATE)) {
			set_err(ix, "%s: no such index", path);
			return RP_EIO;
		}
		if (have_want) {
			ix->ao = want;
		} else {
			rp_analysis_options def;
			rp_analysis_options_init(&def, RP_ANALYSIS_OPTIONS_VERSION);
			rp_analysis_resolve(&ix->ao, ix->err, sizeof(ix->err), &def);
		}
		FORWARD_IF_ERROR(create(ix, path));
	} else if (!S_ISREG(sb.st_mode)) {
		set_err(ix, "%s is not a reprint index (not a regular file)", path);
		return RP_EINPUT;
	}
	int oflags = flags & RP_INDEX_READONLY ? SQLITE_OPEN_READONLY
					       : SQLITE_OPEN_READWRITE;
	int rc = sqlite3_open_v2(path, &ix->db, oflags, NULL);
	int err = RP_OK;
	if (rc != SQLITE_OK)
		GOTO_IF_ERROR(db_fail(ix, "cannot open", rc));
	sqlite3_busy_timeout(ix->db, 10000);
	GOTO_IF_ERROR(check_header(ix));
	GOTO_IF_ERROR(read_meta(ix));
	if (have_want) {
		uint64_t a[NMETA], b[NMETA];
		meta_values(a, &ix->ao);
		meta_values(b, &want);
		for (size_t i = 0; i < NMETA; i++)
			if (a[i] != b[i]) {
				set_err(ix, "%s was made with analysis option %s = "
					"%llu; this run asks %llu (an index keeps "
					"the options it was made with)", path,
					META_KEYS[i], (unsigned long long)a[i],
					(unsigned long long)b[i]);
				GOTO_IF(1, RP_EINVAL);
			}
	}
	ix->ao.threads = ao ? ao->threads : 0;
	ix->ao.progress = ao ? ao->progress : NULL;
	ix->ao.progress_userdata = ao ? ao->progress_userdata : NULL;
	/* Batches write band keys and fingerprints all over their trees: a
	 * page cache of up to 256 MB keeps them from going to the log
	 * page by page, and a mapped file reads merges' runs without a copy.
	 * In WAL mode synchronous = NORMAL still leaves whole transactions
	 * after a kill or a crash of the process.
	 * A reader seeks a few hundred random leaves per query. Where the
	 * whole file fits the map SQLite allows (2 GB in Debian's build),
	 * mapped pages and a large cache are read again without a system
	 * call (100k bench, bench_index: p50 1.9-2.6 ms against 2.9-3.2 with
	 * the small unmapped cache below). Where it does not (1M: 6.3 GB),
	 * most leaves are pages not seen before, and a first touch through
	 * the map or into fresh cache memory is a page fault, which on these
	 * virtual machines costs more than the pread it replaces: a 16 MB
	 * cache without the map answered in 4.0-5.8 ms p50 against 6.3-7.9
	 * ms mapped with 256 MB (three alternating runs). A query's
	 * descents pass the same interior pages of the block index: with
	 * 64 MB they stay cached (1M, schema 6: 347 -> 216 page reads a
	 * query, p50 3.0-3.9 -> 2.6-2.8 ms against 16 MB). */
	GOTO_IF_ERROR(exec(ix, "PRAGMA cache_size = -262144"));
	GOTO_IF_ERROR(exec(ix, "PRAGMA mmap_size = 68719476736"));
	if (flags & RP_INDEX_READONLY) {
		int64_t map = 0, pages = 0, size = 0;
		GOTO_IF_ERROR(query_int(ix, "PRAGMA mmap_size", &map));
		GOTO_IF_ERROR(query_int(ix, "PRAGMA page_count", &pages));
		GOTO_IF_ERROR(query_int(ix, "PRAGMA page_size", &size));
		if (pages * size > map)
			GOTO_IF_ERROR(exec(ix, "PRAGMA mmap_size = 0;"
					       " PRAGMA cache_size = -65536"));
	}
	if (!(flags & RP_INDEX_READONLY))
		GOTO_IF_ERROR(exec(ix, "PRAGMA foreign_keys = ON;"
				       " PRAGMA synchronous = NORMAL"));
	return RP_OK;
cleanup:
	sqlite3_close(ix->db);
	ix->db = NULL;
	return err;
}

int rp_index_analysis(rp_analysis_options *out, const rp_index *ix)
{
	RETURN_ERROR_IF(!out || !ix || !ix->db, RP_EINVAL);
	*out = ix->ao;
	return RP_OK;
}

static void text_hash(uint8_t out[16], const char *text, size_t len)
{
	XXH128_hash_t h = XXH3_128bits(text, len);
	XXH128_canonical_t canon;
	XXH128_canonicalFromHash(&canon, h);
	memcpy(out, canon.digest, 16);
}

/* Bind a possibly NULL string. */
static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

typedef struct add_stmts {
	sqlite3_stmt *find, *insert, *update, *batch, *count;
	/* this batch: the documents inserted (corpus index, doc.n) and
	 * whether one was replaced */
	size_t *idx;
	int64_t *ns;
	size_t n, capidx, capns;
	int replaced;
} add_stmts;

static void finalize_all(add_stmts *s)
{
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->batch);
	sqlite3_finalize(s->count);
	free(s->idx);
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

/* Add document i of c inside the open transaction. */
static int add_one(rp_index *ix, add_stmts *s, const rp_corpus *c, size_t i,
		   int64_t batch, int replace, rp_index_add_stats *stats)
{
	rp_doc_info d;
	rp_corpus_doc(&d, c, i);
	uint8_t h[16];
	text_hash(h, d.text, d.text_len);
	sqlite3_reset(s->find);
	sqlite3_bind_text(s->find, 1, d.id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->find);
	if (rc == SQLITE_ROW) {
		const void *old = sqlite3_column_blob(s->find, 1);
		int same = sqlite3_column_bytes(s->find, 1) == 16 && old &&
			   memcmp(old, h, 16) == 0;
		int64_t n = sqlite3_column_int64(s->find, 0);
		sqlite3_reset(s->find);
		if (same) {
			stats->unchanged++;
			return RP_OK;
		}
		if (!replace) {
			FORWARD_IF_ERROR(RP_GROW(ix->conflicts, ix->capconflicts,
						 ix->nconflicts + 1));
			ix->conflicts[ix->nconflicts++] = i;
			stats->conflicts++;
			return RP_OK;
		}
		sqlite3_stmt *u = s->update;
		sqlite3_reset(u);
		bind_opt(u, 1, d.outlet);
		bind_opt(u, 2, d.date);
		bind_opt(u, 3, d.title);
		sqlite3_bind_text(u, 4, d.text, (int)d.text_len, SQLITE_STATIC);
		sqlite3_bind_blob(u, 5, h, 16, SQLITE_STATIC);
		bind_opt(u, 6, d.source);
		sqlite3_bind_int64(u, 7, (int64_t)d.line);
		sqlite3_bind_int64(u, 8, n);
		rc = sqlite3_step(u);
		if (rc != SQLITE_DONE)
			return db_fail(ix, "replacing a document", rc);
		stats->replaced++;
		s->replaced = 1;
		return RP_OK;
	}
	if (rc != SQLITE_DONE)
		return db_fail(ix, "looking up an id", rc);
	sqlite3_stmt *in = s->insert;
	sqlite3_reset(in);
	sqlite3_bind_text(in, 1, d.id, -1, SQLITE_STATIC);
	bind_opt(in, 2, d.outlet);
	bind_opt(in, 3, d.date);
	bind_opt(in, 4, d.title);
	sqlite3_bind_text(in, 5, d.text, (int)d.text_len, SQLITE_STATIC);
	sqlite3_bind_blob(in, 6, h, 16, SQLITE_STATIC);
	bind_opt(in, 7, d.source);
	sqlite3_bind_int64(in, 8, (int64_t)d.line);
	sqlite3_bind_int64(in, 9, batch);
	rc = sqlite3_step(in);
	if (rc != SQLITE_DONE)
		return db_fail(ix, "adding a document", rc);
	FORWARD_IF_ERROR(RP_GROW(s->idx, s->capidx, s->n + 1));
	FORWARD_IF_ERROR(RP_GROW(s->ns, s->capns, s->n + 1));
	s->idx[s->n] = i;
	s->ns[s->n++] = sqlite3_last_insert_rowid(ix->db);
	stats->added++;
	return RP_OK;
}

/*
 * Checkpoints beside the add. In WAL mode a commit appends the batch's
 * pages to the log without a sync; a checkpoint copies them into the
 * file and syncs both, and SQLite runs it inside the commit that grows
 * the log past 1,000 pages, so every batch waited for its own copy and
 * two syncs (a 100k bench add: 2.1-2.4 s of 16, measured against
 * synchronous = OFF). Here a thread with its own connection checkpoints
 * (PASSIVE: it takes no lock a writer or reader needs) after each
 * commit, while the next batch is read and analysed; the writer's
 * automatic checkpoints are off meanwhile (its WAL hook only counts the
 * log's pages). The log starts again from its beginning only at a
 * commit whose transaction began after a whole checkpoint (SQLite's
 * rule), so the writer waits for the checkpoint before beginning a batch
 * once the log holds WAL_KEEP pages: the log then stays under about
 * WAL_KEEP pages plus a batch. The syncs are the same ones, and a kill
 * or crash leaves what it always did (committed batches in the log or
 * the file). Without the thread (it could not be started) the automatic
 * checkpoints stay on.
 */
#define WAL_KEEP 65536 /* pages: 256 MB */

typedef struct ckpt {
	rp_worker w;
	sqlite3 *db;
	int log_pages;          /* the log's pages after the last commit */
} ckpt;

static void ckpt_run(void *arg)
{
	ckpt *k = arg;
	/* (a failure leaves the pages in the log, still committed: the next
	 * checkpoint, or the last connection's close, copies them) */
	(void)sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
					NULL, NULL);
}

/* The writer's WAL hook (its thread, after each commit). */
static int ckpt_count(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((ckpt *)arg)->log_pages = pages;
	return SQLITE_OK;
}

static void ckpt_start(rp_index *ix, ckpt *k)
{
	memset(k, 0, sizeof(*k));
	if (sqlite3_open_v2(ix->path, &k->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	rp_worker_start(&k->w, ckpt_run, k);
	if (!k->w.on)
		goto fail;
	sqlite3_wal_hook(ix->db, ckpt_count, k); /* (instead of autocheckpoints) */
	return;
fail:
	sqlite3_close(k->db);
	k->db = NULL;
}

/* Before a batch begins: a log of WAL_KEEP pages or more is checkpointed
 * whole first, so that the batch's commit starts it again. */
static void ckpt_before_batch(ckpt *k)
{
	if (k->w.on && k->log_pages >= WAL_KEEP)
		rp_worker_wait(&k->w);
}

/* Stop the thread (after the checkpoint asked for) and give the writer
 * its automatic checkpoints back. */
static void ckpt_stop(rp_index *ix, ckpt *k)
{
	if (!k->w.on)
		return;
	rp_worker_stop(&k->w);
	sqlite3_close(k->db);
	sqlite3_wal_autocheckpoint(ix->db, 1000);
}

int rp_index_add(rp_index *ix, const rp_corpus *c, size_t first, int replace,
		 size_t batch_docs, rp_index_add_stats *stats)
{
	add_stmts s;
	int err = RP_OK, open_tx = 0;
	rp_index_add_stats st;
	ckpt k;
	size_t paced = 0;

	RETURN_ERROR_IF(!ix || !c, RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	memset(&s, 0, sizeof(s));
	memset(&st, 0, sizeof(st));
	memset(&k, 0, sizeof(k));
	ix->nconflicts = 0;
	if (!batch_docs)
		batch_docs = DEFAULT_BATCH;
	size_t n = rp_corpus_count(c);
	for (size_t i = first; i < n; i++) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, i);
		if (d.text_len > INT32_MAX) {
			set_err(ix, "document '%s' is too large for the index "
				"(%zu bytes; at most 2 GiB)", d.id, d.text_len);
			return RP_ELIMIT;
		}
	}
	const char *sql[] = {
		"SELECT n, hash FROM doc WHERE id = ?1",
		"INSERT INTO doc(id, outlet, date, title, text, hash, source, line,"
		" batch) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		"UPDATE doc SET outlet = ?1, date = ?2, title = ?3, text = ?4,"
		" hash = ?5, source = ?6, line = ?7 WHERE n = ?8",
		"INSERT INTO batch(docs, added) VALUES(0, datetime('now'))",
		"UPDATE meta SET value = (SELECT count(*) FROM doc) WHERE key ="
		" 'documents'",
	};
	sqlite3_stmt **slot[] = { &s.find, &s.insert, &s.update, &s.batch,
				  &s.count };
	for (size_t k = 0; k < 5; k++) {
		int rc = sqlite3_prepare_v2(ix->db, sql[k], -1, slot[k], NULL);
		if (rc != SQLITE_OK)
			GOTO_IF_ERROR(db_fail(ix, "preparing", rc));
	}
	int64_t gen0 = 0;
	ix->rebuilt = 0;
	ckpt_start(ix, &k);
	GOTO_IF_ERROR(rp_index_last_gen(ix, &gen0));
	for (size_t i = first; i < n;) {
		/* One batch: its documents, its row and the count commit
		 * together or not at all. */
		ckpt_before_batch(&k);
		GOTO_IF_ERROR(exec(ix, "BEGIN IMMEDIATE"));
		open_tx = 1;
		sqlite3_reset(s.batch);
		int rc = sqlite3_step(s.batch);
		if (rc != SQLITE_DONE)
			GOTO_IF_ERROR(db_fail(ix, "starting a batch", rc));
		int64_t batch = sqlite3_last_insert_rowid(ix->db);
		size_t end = RP_MIN(n, i + batch_docs), before = st.added;
		size_t batch_first = i;
		s.n = 0;
		s.replaced = 0;
		for (; i < end; i++)
			GOTO_IF_ERROR(add_one(ix, &s, c, i, batch, replace, &st));
		/* What a query needs of them, in the same transaction: a
		 * replaced text may change what was learned from it, so
		 * everything is computed again then. */
		if (s.replaced)
			GOTO_IF_ERROR(rp_index_rebuild(ix));
		else if (s.n)
			GOTO_IF_ERROR(rp_index_added(ix, c, s.idx, s.ns, s.n, gen0));
		/* A rebuild wrote every kept entry again, in one generation
		 * whose id may be lower than gen0 (SQLite reuses the ids of
		 * an emptied table): the add's own are the ones after it. */
		if (ix->rebuilt) {
			gen0 = ix->rebuilt;
			ix->rebuilt = 0;
		}
		/* A batch that added nothing leaves no row. */
		char upd[128];
		if (st.added == before)
			snprintf(upd, sizeof(upd), "DELETE FROM batch WHERE id = %lld",
				 (long long)batch);
		else
			snprintf(upd, sizeof(upd),
				 "UPDATE batch SET docs = %zu WHERE id = %lld",
				 st.added - before, (long long)batch);
		GOTO_IF_ERROR(exec(ix, upd));
		sqlite3_reset(s.count);
		rc = sqlite3_step(s.count);
		if (rc != SQLITE_DONE)
			GOTO_IF_ERROR(db_fail(ix, "counting", rc));
		/* "commit": the batch is whole and about to be committed;
		 * "index": it is committed. done counts documents through it. */
		if (ix->ao.progress &&
		    ix->ao.progress(&(rp_progress){ "commit", i - first, n - first, 0 },
				    ix->ao.progress_userdata))
			GOTO_IF(1, RP_ECANCELED);
		GOTO_IF_ERROR(exec(ix, "COMMIT"));
		open_tx = 0;
		rp_worker_kick(&k.w); /* (after a commit) */
		/* The batch's texts read: under a memory bound, the pages of
		 * spooled texts are let go as a scan lets them go. */
		for (size_t j = batch_first; j < i; j++)
			rp_corpus_pace(c, &paced, c->docs[j].text_len);
		st.batches += st.added > before;
		if (ix->ao.progress &&
		    ix->ao.progress(&(rp_progress){ "index", i - first, n - first, 0 },
				    ix->ao.progress_userdata))
			GOTO_IF(1, RP_ECANCELED);
	}
	/* The batches' generations as one, then merged with the older ones
	 * as the fourfold rule says (archive.c says why); killed meanwhile,
	 * the index keeps them apart, with the same answers. */
	if (st.batches > 0) {
		ckpt_before_batch(&k);
		GOTO_IF_ERROR(exec(ix, "BEGIN IMMEDIATE"));
		open_tx = 1;
		GOTO_IF_ERROR(rp_index_merge_since(ix, gen0));
		GOTO_IF_ERROR(exec(ix, "COMMIT"));
		open_tx = 0;
		rp_worker_kick(&k.w); /* (after a commit) */
	}
cleanup:
	if (open_tx)
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
	ckpt_stop(ix, &k);
	rp_runs_release(ix);
	finalize_all(&s);
	if (stats)
		*stats = st;
	return err;
}

int rp_index_conflicts(const size_t **docs, size_t *count, const rp_index *ix)
{
	RETURN_ERROR_IF(!docs || !count || !ix, RP_EINVAL);
	*docs = ix->conflicts;
	*count = ix->nconflicts;
	return RP_OK;
}

int rp_index_corpus_fail(rp_index *ix, const rp_corpus *c, int err)
{
	set_err(ix, "%s", *rp_corpus_error(c) ? rp_corpus_error(c)
					     : rp_strerror(err));
	return err;
}

int rp_index_add_row(rp_index *ix, rp_corpus *c, sqlite3_stmt *st)
{
	const char *f[6];
	int len[6];
	for (int k = 0; k < 6; k++) {
		f[k] = (const char *)sqlite3_column_text(st, k);
		len[k] = sqlite3_column_bytes(st, k);
	}
	if (!f[0] || !f[4]) {
		set_err(ix, "%s: a document without id or text: run "
			"'reprint index check'", ix->path);
		return RP_EINPUT;
	}
	rp_doc_input in = { f[0], (size_t)len[0], f[4], (size_t)len[4],
			    f[3], f[3] ? (size_t)len[3] : 0,
			    f[1], f[1] ? (size_t)len[1] : 0,
			    f[2], f[2] ? (size_t)len[2] : 0,
			    f[5] ? f[5] : ix->path,
			    (size_t)sqlite3_column_int64(st, 6) };
	int err = rp_corpus_add(c, &in);
	if (err == RP_EINPUT)
		return RP_OK; /* on the corpus's reject list */
	/* (its temporary file, memory) */
	return err < 0 ? rp_index_corpus_fail(ix, c, err) : err;
}

int rp_index_load(rp_index *ix, rp_corpus *c)
{
	RETURN_ERROR_IF(!ix || !c, RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	int rc = sqlite3_prepare_v2(ix->db,
				    "SELECT id, outlet, date, title, text, source,"
				    " line FROM doc ORDER BY n", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(ix, "reading documents", rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		GOTO_IF_ERROR(rp_index_add_row(ix, c, st));
	if (rc != SQLITE_DONE)
		err = db_fail(ix, "reading documents", rc);
cleanup:
	sqlite3_finalize(st);
	return err;
}

int rp_index_remove(rp_index *ix, const char *const *ids, size_t n,
		    size_t *removed)
{
	RETURN_ERROR_IF(!ix || (!ids && n), RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	size_t gone = 0;
	GOTO_IF_ERROR(exec(ix, "BEGIN IMMEDIATE"));
	int rc = sqlite3_prepare_v2(ix->db, "DELETE FROM doc WHERE id = ?1", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		GOTO_IF_ERROR(db_fail(ix, "removing", rc));
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE)
			GOTO_IF_ERROR(db_fail(ix, "removing", rc));
		gone += (size_t)sqlite3_changes(ix->db);
	}
	GOTO_IF_ERROR(exec(ix, "UPDATE meta SET value = (SELECT count(*) FROM doc)"
			       " WHERE key = 'documents'"));
	/* The chrome counts and what they decided change with the pages
	 * removed: computed again, in the same transaction. */
	if (gone)
		GOTO_IF_ERROR(rp_index_rebuild(ix));
	GOTO_IF_ERROR(exec(ix, "COMMIT"));
cleanup:
	sqlite3_finalize(st);
	if (err < 0)
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
	if (removed)
		*removed = err < 0 ? 0 : gone;
	return err;
}

int rp_index_get_stats(rp_index_stats *out, rp_index *ix)
{
	RETURN_ERROR_IF(!out || !ix, RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	int64_t v;
	memset(out, 0, sizeof(*out));
	out->schema_version = SCHEMA_VERSION;
	out->analysis = ix->ao;
	FORWARD_IF_ERROR(query_int(ix, "SELECT count(*) FROM doc", &v));
	out->documents = (size_t)v;
	FORWARD_IF_ERROR(query_int(ix, "SELECT count(DISTINCT outlet) FROM doc", &v));
	out->outlets = (size_t)v;
	FORWARD_IF_ERROR(query_int(ix, "SELECT count(*) FROM batch", &v));
	out->batches = (size_t)v;
	FORWARD_IF_ERROR(query_int(ix, "SELECT coalesce(sum(length(CAST(text AS"
				       " BLOB))), 0) FROM doc", &v));
	out->text_bytes = (uint64_t)v;
	int64_t pages = 0, size = 0;
	FORWARD_IF_ERROR(query_int(ix, "PRAGMA page_count", &pages));
	FORWARD_IF_ERROR(query_int(ix, "PRAGMA page_size", &size));
	out->file_bytes = (uint64_t)(pages * size);
	return RP_OK;
}

int rp_index_check(rp_index *ix)
{
	RETURN_ERROR_IF(!ix, RP_EINVAL);
	RETURN_ERROR_IF(!ix->db, RP_ESTATE);
	sqlite3_stmt *st = NULL;
	int err = RP_OK;
	/* One snapshot for every comparison (an add may be committing). */
	FORWARD_IF_ERROR(exec(ix, "BEGIN"));
	/* 1. SQLite's own view of the file. */
	int rc = sqlite3_prepare_v2(ix->db, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		GOTO_IF_ERROR(db_fail(ix, "integrity check", rc));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		GOTO_IF_ERROR(db_fail(ix, "integrity check", rc));
	const char *ok = (const char *)sqlite3_column_text(st, 0);
	if (!ok || strcmp(ok, "ok") != 0) {
		set_err(ix, "%s: SQLite integrity check: %s", ix->path,
			ok ? ok : "(no answer)");
		GOTO_IF(1, RP_EINPUT);
	}
	sqlite3_finalize(st);
	st = NULL;
	/* 2. Every table consistent with every other. */
	int64_t count = 0, meta = -1, orphans = 0, badbatch = 0;
	GOTO_IF_ERROR(query_int(ix, "SELECT count(*) FROM doc", &count));
	GOTO_IF_ERROR(query_int(ix, "SELECT CAST(value AS INTEGER) FROM meta"
				    " WHERE key = 'documents'", &meta));
	if (meta != count) {
		set_err(ix, "%s: meta says %lld documents, the doc table holds "
			"%lld", ix->path, (long long)meta, (long long)count);
		GOTO_IF(1, RP_EINPUT);
	}
	GOTO_IF_ERROR(query_int(ix, "SELECT count(*) FROM doc WHERE batch NOT IN"
				    " (SELECT id FROM batch)", &orphans));
	if (orphans) {
		set_err(ix, "%s: %lld documents belong to no batch", ix->path,
			(long long)orphans);
		GOTO_IF(1, RP_EINPUT);
	}
	GOTO_IF_ERROR(query_int(ix, "SELECT count(*) FROM batch b WHERE docs <"
				    " (SELECT count(*) FROM doc d WHERE"
				    " d.batch = b.id)", &badbatch));
	if (badbatch) {
		set_err(ix, "%s: %lld batches hold more documents than they "
			"added", ix->path, (long long)badbatch);
		GOTO_IF(1, RP_EINPUT);
	}
	/* 3. Every document as the corpus would take it, with its hash. */
	rc = sqlite3_prepare_v2(ix->db, "SELECT id, text, hash FROM doc ORDER BY n",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		GOTO_IF_ERROR(db_fail(ix, "reading documents", rc));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		const void *h = sqlite3_column_blob(st, 2);
		uint8_t want[16];
		if (!id || !text || !len) {
			set_err(ix, "%s: a document without id or text", ix->path);
			GOTO_IF(1, RP_EINPUT);
		}
		if (memchr(text, '\0', len) || rp_utf8_invalid_at(text, len) < len) {
			set_err(ix, "%s: the text of '%s' is not valid UTF-8",
				ix->path, id);
			GOTO_IF(1, RP_EINPUT);
		}
		text_hash(want, text, len);
		if (sqlite3_column_bytes(st, 2) != 16 || !h ||
		    memcmp(h, want, 16) != 0) {
			set_err(ix, "%s: the text of '%s' does not match its hash",
				ix->path, id);
			GOTO_IF(1, RP_EINPUT);
		}
	}
	if (rc != SQLITE_DONE)
		GOTO_IF_ERROR(db_fail(ix, "reading documents", rc));
	sqlite3_finalize(st);
	st = NULL;
	/* 4. What a query uses instead of the archive: the features and
	 * chrome counts the documents give, and no other. */
	GOTO_IF_ERROR(rp_index_check_kept(ix));
cleanup:
	sqlite3_finalize(st);
	sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
	return err;
}
