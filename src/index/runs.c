/*
 * runs.c - the archive index's keyed entries, packed.
 *
 * A query looks up a few hundred keys (band keys, fingerprints, line
 * hashes) among tens of millions; an add writes a batch's entries. One
 * SQLite row per entry costs about 16 bytes and a B-tree insertion each
 * (an add then ran at a tenth of scan's speed). Here the entries of one
 * generation and one kind are sorted by key and packed into blocks of
 * about BLOCK_BYTES, one row each:
 *
 *   run(gen, kind, first, data)   first: the block's first key (its bits
 *                                 flipped into SQLite's signed order)
 *
 * data: varint count, then per entry the key's difference from the
 * previous one (the first from `first`), the document, and for
 * fingerprints how often it is in the document. A key never spans two
 * blocks, so a lookup reads one block per generation: the one with the
 * greatest first <= key, found by the unique index run_key(gen, kind,
 * first), then read from the rowid table. Schema 5 kept the blocks in a
 * WITHOUT ROWID table keyed by (gen, kind, first), one descent instead
 * of two; but such a table is an index B-tree, whose interior cells
 * carry whole rows, so with blocks of about 950 bytes an interior page
 * held four of them and a 1M-document archive's tree was about ten
 * levels deep: one cold query read 654 interior pages for 148 leaves.
 * The index's entries are a few dozen bytes (its interior pages stay in
 * the page cache) and the table's interior cells are rowids: page reads
 * of a query against the 1M bench archive 652 -> 347, p50 3.9-4.3 ->
 * 3.0-3.6 ms (bench_index, the same 400 queries, alternating). A block
 * stays well under the payload a 4 KB table leaf holds inline (4061
 * bytes); only the block of a key with a very long posting spills to
 * overflow pages (BLOCK_BYTES below). Removing a document's entries from a
 * generation does not rewrite blocks: dead(gen, class, doc) lists them,
 * lookups skip them, and merging generations drops them.
 */
#include <string.h>

#include "runs.h"
#include "sort.h"

/* A block is flushed when the key changes at or past BLOCK_BYTES: for
 * most keys a few bytes past it, so two rows share a 4 KB leaf (the
 * file's page size is set to 4096 when it is made); a key with a long
 * posting makes a longer block, which may spill to overflow pages. Of
 * 900 (four rows a leaf), 1900 and 3500 bytes (one), 1900 made the 100k
 * bench archive smallest (2,249 bytes a document beyond the text, 2,329
 * and 2,353) and added it fastest (11.9 s, 14.6, 13.1), at the same
 * query latency (bench/index.sh, one run each). */
#define BLOCK_BYTES 1900

/* ---- varints ---- */

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* Read a varint from [*p, end); 0 when it runs past end. */
static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned s = 0; s < 64 && *p < end; s += 7) {
		uint8_t b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << s;
		if (!(b & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

static int64_t to_col(uint64_t key)
{
	return (int64_t)(key ^ 0x8000000000000000ULL);
}

static uint64_t from_col(int64_t v)
{
	return (uint64_t)v ^ 0x8000000000000000ULL;
}

static int cmp_ent(const void *x, const void *y)
{
	const rp_runent *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* ---- writing ---- */

typedef struct writer {
	rp_index *ix;
	sqlite3_stmt *ins;
	int64_t gen;
	int kind;
	uint8_t *buf;
	size_t len, cap, count;
	uint64_t first, prev;
} writer;

static int flush(writer *w)
{
	if (!w->count)
		return RP_OK;
	uint8_t head[10];
	size_t hn = put_varint(head, w->count);
	FORWARD_IF_ERROR(rp_grow((void **)&w->buf, &w->cap, w->len + hn, 1));
	memmove(w->buf + hn, w->buf, w->len);
	memcpy(w->buf, head, hn);
	sqlite3_bind_int64(w->ins, 1, w->gen);
	sqlite3_bind_int64(w->ins, 2, w->kind);
	sqlite3_bind_int64(w->ins, 3, to_col(w->first));
	sqlite3_bind_blob(w->ins, 4, w->buf, (int)(w->len + hn), SQLITE_STATIC);
	int rc = sqlite3_step(w->ins);
	sqlite3_reset(w->ins);
	w->len = w->count = 0;
	return rc == SQLITE_DONE ? RP_OK : rp_index_db_fail(w->ix, "writing runs", rc);
}

/* Append one entry (keys ascending). */
static int put(writer *w, uint64_t key, int64_t doc, uint32_t cnt)
{
	if (w->count && key != w->prev && w->len >= BLOCK_BYTES)
		FORWARD_IF_ERROR(flush(w));
	if (!w->count) {
		w->first = w->prev = key;
	}
	FORWARD_IF_ERROR(rp_grow((void **)&w->buf, &w->cap, w->len + 30, 1));
	w->len += put_varint(w->buf + w->len, key - w->prev);
	w->len += put_varint(w->buf + w->len, (uint64_t)doc);
	if (w->kind == RP_KIND_FP)
		w->len += put_varint(w->buf + w->len, cnt);
	w->prev = key;
	w->count++;
	return RP_OK;
}

int rp_runs_reserve(rp_index *ix, size_t n)
{
	if (n <= ix->capkv)
		return RP_OK;
	size_t cap = RP_MAX(n, ix->capkv + ix->capkv / 2);
	rp_kv *kv = reallocarray(ix->kv, cap, sizeof(*kv));
	if (!kv)
		return RP_ENOMEM;
	ix->kv = kv;
	free(ix->kvtmp);
	ix->kvtmp = reallocarray(NULL, cap, sizeof(*ix->kvtmp));
	if (!ix->kvtmp) {
		ix->capkv = 0;
		return RP_ENOMEM;
	}
	ix->capkv = cap;
	return RP_OK;
}

void rp_runs_release(rp_index *ix)
{
	free(ix->kv);
	free(ix->kvtmp);
	ix->kv = ix->kvtmp = NULL;
	ix->capkv = 0;
}

int rp_runs_write(rp_index *ix, int64_t gen, int kind, size_t n,
		  const int64_t *docs, size_t ndocs, int sorted)
{
	writer w;
	RETURN_ERROR_IF(n > ix->capkv, RP_EINVAL);
	memset(&w, 0, sizeof(w));
	w.ix = ix;
	w.gen = gen;
	w.kind = kind;
	if (!sorted && n > 1)
		rp_sort_kv(ix->kv, ix->kvtmp, n); /* stable */
	int err = rp_index_prepare(ix, &w.ins, "INSERT INTO run(gen, kind, first, data)"
				      " VALUES(?1, ?2, ?3, ?4)");
	for (size_t i = 0; err == RP_OK && i < n; i++) {
		size_t d = (size_t)(ix->kv[i].val >> 32);
		if (d >= ndocs) {
			err = RP_EINVAL;
			break;
		}
		err = put(&w, ix->kv[i].key, docs[d], (uint32_t)ix->kv[i].val);
	}
	if (err == RP_OK)
		err = flush(&w);
	sqlite3_finalize(w.ins);
	free(w.buf);
	return err;
}

/* ---- reading ---- */

/* Decode a block into out (appended); entries with key == only (when
 * only_set) or all. Returns RP_EINPUT on a damaged block. */
static int decode(rp_index *ix, const uint8_t *p, size_t len, int kind,
		  uint64_t first, int64_t gen, int only_set, uint64_t only,
		  rp_runvec *out)
{
	const uint8_t *end = p + len;
	uint64_t count, key = first;
	/* (an entry takes two bytes at least: room for all of them at
	 * once stays within sixteen times the block's bytes) */
	if (!get_varint(&p, end, &count) || count > (size_t)(end - p) / 2)
		goto bad;
	FORWARD_IF_ERROR(rp_grow((void **)&out->e, &out->cap, out->n + count,
				 sizeof(*out->e)));
	for (uint64_t i = 0; i < count; i++) {
		uint64_t d, doc, cnt = 1;
		if (!get_varint(&p, end, &d) || !get_varint(&p, end, &doc) ||
		    (kind == RP_KIND_FP && !get_varint(&p, end, &cnt)))
			goto bad;
		key += d;
		if (only_set && key > only)
			break;
		if (only_set && key != only)
			continue;
		if (ix->ndead && rp_runs_dead(ix, gen, kind, (int64_t)doc))
			continue;
		out->e[out->n++] = (rp_runent){ key, (int64_t)doc, (uint32_t)cnt, gen };
	}
	return RP_OK;
bad:
	rp_index_set_err(ix, "%s: a damaged block of kept keys (generation "
			 "%lld, kind %d): run 'reprint index check'", ix->path,
			 (long long)gen, kind);
	return RP_EINPUT;
}

int rp_runs_begin(rp_index *ix)
{
	sqlite3_stmt *st = NULL;
	int rc;
	rp_runs_end(ix);
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT id FROM gen ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rp_grow((void **)&ix->gens, &ix->capgens, ix->ngens + 1,
			    sizeof(*ix->gens)) < 0) {
			sqlite3_finalize(st);
			return RP_ENOMEM;
		}
		ix->gens[ix->ngens++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rp_index_db_fail(ix, "reading generations", rc);
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT gen, class, doc FROM dead"
					  " ORDER BY gen, class, doc"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rp_grow((void **)&ix->dead, &ix->capdead, ix->ndead + 1,
			    sizeof(*ix->dead)) < 0) {
			sqlite3_finalize(st);
			return RP_ENOMEM;
		}
		ix->dead[ix->ndead++] = (rp_dead){ sqlite3_column_int64(st, 0),
						   sqlite3_column_int64(st, 2),
						   (int)sqlite3_column_int64(st, 1) };
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rp_index_db_fail(ix, "reading removed entries", rc);
	return rp_index_prepare(ix, &ix->look, "SELECT first, data FROM run WHERE gen = ?1"
				      " AND kind = ?2 AND first <= ?3 ORDER BY"
				      " first DESC LIMIT 1");
}

void rp_runs_end(rp_index *ix)
{
	sqlite3_finalize(ix->look);
	ix->look = NULL;
	ix->ngens = ix->ndead = 0;
}

static int cmp_dead(const rp_dead *a, const rp_dead *b)
{
	if (a->gen != b->gen)
		return a->gen < b->gen ? -1 : 1;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

int rp_runs_dead(const rp_index *ix, int64_t gen, int kind, int64_t doc)
{
	rp_dead k = { gen, doc, kind == RP_KIND_LINE };
	size_t lo = 0, hi = ix->ndead;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_dead(&ix->dead[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->ndead && cmp_dead(&ix->dead[lo], &k) == 0;
}

/* The block of generation gen and this kind that would hold key (the
 * last whose first key is not above it), decoded into out (appended):
 * its entries with that key (only), or all of them; *found: there was
 * such a block. */
static int seek_block(rp_index *ix, int64_t gen, int kind, uint64_t key,
		      int only, rp_runvec *out, int *found)
{
	sqlite3_stmt *st = ix->look;
	sqlite3_bind_int64(st, 1, gen);
	sqlite3_bind_int64(st, 2, kind);
	sqlite3_bind_int64(st, 3, to_col(key));
	int rc = sqlite3_step(st), err = RP_OK;
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		uint64_t first = from_col(sqlite3_column_int64(st, 0));
		const uint8_t *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		err = p ? decode(ix, p, len, kind, first, gen, only, key, out) : RP_OK;
	} else if (rc != SQLITE_DONE) {
		err = rp_index_db_fail(ix, "reading runs", rc);
	}
	sqlite3_reset(st);
	return err;
}

int rp_runs_lookup(rp_index *ix, int kind, uint64_t key, rp_runvec *out)
{
	for (size_t g = 0; g < ix->ngens; g++) {
		int found;
		FORWARD_IF_ERROR(seek_block(ix, ix->gens[g], kind, key, 1, out, &found));
	}
	return RP_OK;
}

/*
 * Counting sorted keys in one generation, two ways. A few keys (a
 * query's lines) are sought one block at a time: a descent for a key,
 * and the keys after it up to the block's last entry counted from the
 * same block (never more descents than a lookup per key). Many keys (a
 * batch's lines against a generation of similar size) are counted by
 * walking the generation's blocks in key order beside them: stepping to
 * the next block costs less than a descent, and a block none of the keys
 * falls in is not decoded; a walk that passes MAX_MISSES such blocks in
 * a row seeks again.
 */
#define FEW_KEYS 4096
#define MAX_MISSES 4

/* Count keys[*i] (which the block v holds, if any entry has it) and the
 * keys after it below `end` (all of them when open), from v: a block's
 * live entries. */
static void count_block(const rp_runvec *v, const uint64_t *keys, size_t n,
			size_t *i, size_t *counts, uint64_t end, int open)
{
	size_t j = 0;
	do {
		while (j < v->n && v->e[j].key < keys[*i])
			j++;
		for (; j < v->n && v->e[j].key == keys[*i]; j++)
			counts[*i]++;
		(*i)++;
	} while (*i < n && (open || keys[*i] < end));
}

static int count_few(rp_index *ix, int64_t gen, int kind, const uint64_t *keys,
		     size_t n, size_t *counts, rp_runvec *v)
{
	for (size_t i = 0; i < n;) {
		int found;
		v->n = 0;
		FORWARD_IF_ERROR(seek_block(ix, gen, kind, keys[i], 0, v, &found));
		if (!found) {
			i++; /* before the first block */
			continue;
		}
		/* (the keys up to its last entry are this block's) */
		uint64_t end = v->n ? v->e[v->n - 1].key : 0;
		count_block(v, keys, n, &i, counts, end + 1, end == UINT64_MAX);
	}
	return RP_OK;
}

static int count_walk(rp_index *ix, sqlite3_stmt *seq, int64_t gen, int kind,
		      const uint64_t *keys, size_t n, size_t *counts,
		      rp_runvec *v, uint8_t **buf, size_t *cap)
{
	sqlite3_stmt *look = ix->look;
	int err = RP_OK, rc;
	sqlite3_bind_int64(seq, 1, gen);
	sqlite3_bind_int64(seq, 2, kind);
	sqlite3_bind_int64(look, 1, gen);
	sqlite3_bind_int64(look, 2, kind);
	for (size_t i = 0; i < n && err == RP_OK;) {
		/* Seek: the block holding keys[i] (the last one whose first
		 * key is not above it), or the first block after it. */
		int64_t start = to_col(keys[i]);
		sqlite3_bind_int64(look, 3, to_col(keys[i]));
		rc = sqlite3_step(look);
		if (rc == SQLITE_ROW)
			start = sqlite3_column_int64(look, 0);
		sqlite3_reset(look);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return rp_index_db_fail(ix, "reading runs", rc);
		sqlite3_bind_int64(seq, 3, start);
		rc = sqlite3_step(seq);
		if (rc != SQLITE_ROW)
			break; /* no block at or after keys[i] */
		unsigned misses = 0;
		for (;;) {
			/* The statement is on a block: keep it, and look at the
			 * next block's first key. */
			uint64_t first = from_col(sqlite3_column_int64(seq, 0));
			const uint8_t *p = sqlite3_column_blob(seq, 1);
			size_t len = p ? (size_t)sqlite3_column_bytes(seq, 1) : 0;
			err = rp_grow((void **)buf, cap, len + 1, 1);
			if (err < 0)
				break;
			if (len)
				memcpy(*buf, p, len);
			rc = sqlite3_step(seq);
			int last = rc != SQLITE_ROW;
			uint64_t next = last ? 0 : from_col(sqlite3_column_int64(seq, 0));
			/* Keys before this block have no entries here. */
			while (i < n && keys[i] < first)
				i++;
			if (i < n && (last || keys[i] < next)) {
				v->n = 0;
				err = decode(ix, *buf, len, kind, first, gen, 0, 0, v);
				if (err < 0)
					break;
				count_block(v, keys, n, &i, counts, next, last);
				misses = 0;
			} else {
				misses++;
			}
			if (last || i == n || misses >= MAX_MISSES)
				break;
		}
		sqlite3_reset(seq);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE && err == RP_OK)
			err = rp_index_db_fail(ix, "reading runs", rc);
	}
	sqlite3_reset(seq);
	return err;
}

int rp_runs_count(rp_index *ix, int kind, const uint64_t *keys, size_t n,
		  size_t *counts)
{
	sqlite3_stmt *seq = NULL;
	uint8_t *buf = NULL;
	size_t cap = 0;
	rp_runvec v;
	int err = RP_OK;
	memset(&v, 0, sizeof(v));
	memset(counts, 0, n * sizeof(*counts));
	if (!n)
		return RP_OK;
	if (n >= FEW_KEYS)
		err = rp_index_prepare(ix, &seq, "SELECT first, data FROM run WHERE"
				       " gen = ?1 AND kind = ?2 AND first >= ?3"
				       " ORDER BY first");
	for (size_t g = 0; err == RP_OK && g < ix->ngens; g++)
		err = n < FEW_KEYS ? count_few(ix, ix->gens[g], kind, keys, n, counts, &v)
				   : count_walk(ix, seq, ix->gens[g], kind, keys, n,
						counts, &v, &buf, &cap);
	sqlite3_finalize(seq);
	free(buf);
	free(v.e);
	return err;
}

int rp_runs_all(rp_index *ix, int64_t gen, int kind, rp_runvec *out)
{
	sqlite3_stmt *st = NULL;
	int rc, err = RP_OK;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT first, data FROM run WHERE gen = ?1"
					  " AND kind = ?2 ORDER BY first"));
	sqlite3_bind_int64(st, 1, gen);
	sqlite3_bind_int64(st, 2, kind);
	while (err == RP_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const uint8_t *p = sqlite3_column_blob(st, 1);
		if (p)
			err = decode(ix, p, (size_t)sqlite3_column_bytes(st, 1), kind,
				     from_col(sqlite3_column_int64(st, 0)), gen, 0, 0,
				     out);
	}
	if (err == RP_OK && rc != SQLITE_DONE)
		err = rp_index_db_fail(ix, "reading runs", rc);
	sqlite3_finalize(st);
	return err;
}

int rp_runs_kinds(rp_index *ix, int **kinds, size_t *n)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;
	*kinds = NULL;
	*n = 0;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &st, "SELECT DISTINCT kind FROM run ORDER BY kind"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rp_grow((void **)kinds, &cap, *n + 1, sizeof(**kinds)) < 0) {
			sqlite3_finalize(st);
			return RP_ENOMEM;
		}
		(*kinds)[(*n)++] = (int)sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? RP_OK : rp_index_db_fail(ix, "reading runs", rc);
}

/* The live entries of one generation and kind, a block at a time. */
/*
 * The live entries of one generation and kind, in key order, read
 * CHUNK blocks at a time; each chunk's rows are deleted once they are
 * decoded, so the merged generation is written into the pages its parts
 * leave (the file then grows by what the merge adds, not by a copy of
 * both parts, and a bulk add leaves no free pages behind).
 */
#define CHUNK 64

typedef struct cursor {
	rp_index *ix;
	sqlite3_stmt *st, *del;
	int64_t gen, last;     /* last: the column value of the last block read */
	int kind, done, started;
	rp_runvec v;
	size_t pos;
} cursor;

/* The next chunk of blocks into c->v (from its start), then its rows
 * deleted. */
static int cur_chunk(cursor *c)
{
	int rc, rows = 0;
	c->v.n = c->pos = 0;
	/* (after the last block read; a block's first is unique) */
	sqlite3_bind_int64(c->st, 3, c->started ? c->last + 1 : INT64_MIN);
	sqlite3_bind_int64(c->st, 4, CHUNK);
	while ((rc = sqlite3_step(c->st)) == SQLITE_ROW) {
		const uint8_t *p = sqlite3_column_blob(c->st, 1);
		int64_t col = sqlite3_column_int64(c->st, 0);
		int err = p ? decode(c->ix, p, (size_t)sqlite3_column_bytes(c->st, 1),
				     c->kind, from_col(col), c->gen, 0, 0, &c->v)
			    : RP_OK;
		if (err < 0) {
			sqlite3_reset(c->st);
			return err;
		}
		c->last = col;
		c->started = 1;
		rows++;
	}
	sqlite3_reset(c->st);
	if (rc != SQLITE_DONE)
		return rp_index_db_fail(c->ix, "reading runs", rc);
	if (rows < CHUNK || c->last == INT64_MAX)
		c->done = 1;
	if (rows) {
		sqlite3_bind_int64(c->del, 3, c->last);
		rc = sqlite3_step(c->del);
		sqlite3_reset(c->del);
		if (rc != SQLITE_DONE)
			return rp_index_db_fail(c->ix, "merging runs", rc);
	}
	return RP_OK;
}

/* The current entry, reading chunks as needed; NULL at the end. */
static int cur_get(cursor *c, const rp_runent **e)
{
	while (c->pos == c->v.n && !c->done)
		FORWARD_IF_ERROR(cur_chunk(c));
	*e = c->pos < c->v.n ? &c->v.e[c->pos] : NULL;
	return RP_OK;
}

static int cur_open(cursor *c, rp_index *ix, int64_t gen, int kind)
{
	memset(c, 0, sizeof(*c));
	c->ix = ix;
	c->gen = gen;
	c->kind = kind;
	FORWARD_IF_ERROR(rp_index_prepare(ix, &c->st, "SELECT first, data FROM run WHERE"
					     " gen = ?1 AND kind = ?2 AND first >= ?3"
					     " ORDER BY first LIMIT ?4"));
	FORWARD_IF_ERROR(rp_index_prepare(ix, &c->del, "DELETE FROM run WHERE gen = ?1"
					     " AND kind = ?2 AND first <= ?3"));
	sqlite3_bind_int64(c->st, 1, gen);
	sqlite3_bind_int64(c->st, 2, kind);
	sqlite3_bind_int64(c->del, 1, gen);
	sqlite3_bind_int64(c->del, 2, kind);
	return RP_OK;
}

static void cur_close(cursor *c)
{
	sqlite3_finalize(c->st);
	sqlite3_finalize(c->del);
	free(c->v.e);
	memset(c, 0, sizeof(*c));
}

int rp_runs_merge(rp_index *ix, int64_t from, int64_t c)
{
	cursor *cur = NULL;
	size_t ng = 0;
	writer w;
	sqlite3_stmt *del = NULL;
	int err = RP_OK;
	memset(&w, 0, sizeof(w));
	w.ix = ix;
	w.gen = c;
	/* The parts: the generations from `from` on (those rp_runs_begin
	 * read), oldest first. */
	for (size_t g = 0; g < ix->ngens; g++)
		ng += ix->gens[g] >= from && ix->gens[g] < c;
	cur = calloc(ng + 1, sizeof(*cur));
	GOTO_IF(!cur, RP_ENOMEM);
	GOTO_IF_ERROR(rp_index_prepare(ix, &w.ins, "INSERT INTO run(gen, kind, first, data)"
					  " VALUES(?1, ?2, ?3, ?4)"));
	/* One kind at a time: the live entries of every part, merged in
	 * (key, doc) order as they are read, a chunk of each in memory;
	 * equal entries (there are none: a document's live entries are in
	 * one generation) would come from the older part first. */
	for (unsigned k = 0; k < ix->bands + 2; k++) {
		int kind = k < ix->bands ? (int)k
			   : k == ix->bands ? RP_KIND_FP : RP_KIND_LINE;
		for (size_t g = 0, i = 0; g < ix->ngens; g++)
			if (ix->gens[g] >= from && ix->gens[g] < c)
				GOTO_IF_ERROR(cur_open(&cur[i++], ix, ix->gens[g], kind));
		w.kind = kind;
		for (;;) {
			const rp_runent *best = NULL;
			size_t bi = 0;
			for (size_t i = 0; i < ng; i++) {
				const rp_runent *x;
				GOTO_IF_ERROR(cur_get(&cur[i], &x));
				if (x && (!best || cmp_ent(x, best) < 0)) {
					best = x;
					bi = i;
				}
			}
			if (!best)
				break;
			GOTO_IF_ERROR(put(&w, best->key, best->doc, best->cnt));
			cur[bi].pos++;
		}
		GOTO_IF_ERROR(flush(&w));
		for (size_t i = 0; i < ng; i++)
			cur_close(&cur[i]);
	}
	/* Blocks of kinds not merged (none in a sound file) and the parts'
	 * removed entries. */
	static const char *const drop[] = {
		"DELETE FROM run WHERE gen >= ?1 AND gen < ?2",
		"DELETE FROM dead WHERE gen >= ?1 AND gen < ?2",
	};
	for (size_t q = 0; q < 2; q++) {
		GOTO_IF_ERROR(rp_index_prepare(ix, &del, drop[q]));
		sqlite3_bind_int64(del, 1, from);
		sqlite3_bind_int64(del, 2, c);
		int rc = sqlite3_step(del);
		if (rc != SQLITE_DONE)
			GOTO_IF_ERROR(rp_index_db_fail(ix, "merging runs", rc));
		sqlite3_finalize(del);
		del = NULL;
	}
cleanup:
	for (size_t i = 0; cur && i < ng; i++)
		cur_close(&cur[i]);
	free(cur);
	sqlite3_finalize(w.ins);
	free(w.buf);
	sqlite3_finalize(del);
	return err;
}
