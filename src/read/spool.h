/*
 * spool.h - texts kept in a temporary file instead of memory.
 *
 * A collection larger than its memory budget keeps its texts in one
 * temporary file, written as documents arrive and read back through one
 * shared read-only mapping of the whole file. The file has no name (it
 * is created with O_TMPFILE, or unlinked at once): nothing is left
 * behind on any exit path, a crash included. A text's pointer into the
 * mapping stays valid for the life of the corpus.
 *
 * The mapping is for readers that look at a line or a text here and
 * there (chrome learning's lines, a template's look at its texts):
 * pages of it that were touched count in the process's resident set
 * until they are released, so those readers call rp_spool_pace with the
 * bytes they read, and every quantum bytes the whole mapping is released
 * (MADV_DONTNEED: the pages stay in the page cache, and a later read
 * maps them again). So the texts cost the budget's share, however large
 * the collection. Readers of many texts copy them from the file instead,
 * which maps nothing: out of order one at a time (the sets of
 * candidates, alignment: rp_spool_read), in file order a window at a
 * time (the passes over every text: rp_corpus_text_window; through the
 * mapping, those passes paid about 1 s a GiB in page faults on this
 * project's machines: bench/page_cost).
 *
 * A full write buffer is written by a thread of the spool's own while
 * the next one fills (the kernel's copy into the page cache was two
 * thirds of the adding thread's time, the read stage's bottleneck); with
 * no thread (it could not be started) the adding thread writes it.
 *
 * Invariant: every byte below `len` has been written to the file, or is
 * in the write buffer or the one being written until rp_spool_flush
 * (texts are read only after it: the analysis flushes first).
 */
#ifndef RP_SPOOL_H
#define RP_SPOOL_H

#include "common.h"

typedef struct rp_spool {
	int fd;
	char *base;            /* the mapping of reserve bytes */
	size_t reserve;
	uint64_t len;          /* bytes of texts (file + buffer) */
	uint64_t flushed;      /* bytes in the file */
	char *buf;             /* the write buffer */
	size_t nbuf, capbuf;
	size_t quantum;        /* bytes a pass reads between releases */
	char dir[256];         /* for messages */
	/* The writer: a run writes wbuf[0..wlen) at `flushed`; a failed
	 * write leaves what it did not write there, with werr. */
	rp_worker w;
	int werr;
	int unsettled;         /* a buffer was handed over since the last
				  rp_spool_flush (the adding thread's) */
	char *wbuf;
	size_t wlen, capwbuf;
} rp_spool;

/* Open a spool in dir (NULL or "": $TMPDIR, else /tmp); quantum as above.
 * RP_ETEMP with why (errno's text, the directory) when it cannot be made. */
RP_INTERNAL int rp_spool_open(rp_spool **out, const char *dir, size_t quantum,
			      char *why, size_t whylen);

/* Append len bytes and a NUL; *text points at them in the mapping (to be
 * read after rp_spool_flush). RP_ETEMP when the file cannot be written
 * (why says so), RP_ELIMIT past the reserved address space. */
RP_INTERNAL int rp_spool_add(rp_spool *s, const char **text, const char *p,
			     size_t len, char *why, size_t whylen);

/* Write what is buffered to the file, after the writer's buffer; RP_ETEMP
 * (why set) when it cannot be. */
RP_INTERNAL int rp_spool_flush(rp_spool *s, char *why, size_t whylen);

/* Is anything not yet in the file (rp_spool_flush would write it)? */
static inline int rp_spool_pending(const rp_spool *s)
{
	return s && (s->nbuf || s->unsettled);
}

/* A copy of the spooled text at `text` (len bytes, a pointer rp_spool_add
 * gave) read from the file into out (room for len + 1: a NUL ends it),
 * for a reader that takes texts out of order: a pread from the page cache
 * costs less than the page faults of the mapping and the releases they
 * make necessary (news 100k alignment: 1.3 -> 0.9 s). 1 when done; 0
 * when text is not in the file (a text held in memory); -1 when the file
 * cannot be read (the mapping then serves, as before). */
RP_INTERNAL int rp_spool_read(const rp_spool *s, const char *text, size_t len,
			      char *out);

/* Ask the kernel to start reading the spooled text at `text` (len bytes)
 * into the page cache (posix_fadvise WILLNEED), for a reader about to
 * take it out of order; only a spool larger than half the machine's
 * memory asks (a smaller one stays in the page cache: a call per text
 * would cost news 100k's alignment 80,000 system calls for nothing).
 * Without it the reads of a spool on disk are one at a time: a 10M scan
 * spent 110 s aligning 1M pairs (1.2 s at 1M, whose spool is cached),
 * 73 s with alignment asking for a chunk's texts ahead. The sets pass,
 * which reads its texts in file order, does not ask: asking doubled it
 * (43.8 -> 82.9 s; bench/README.md, session 21). */
RP_INTERNAL void rp_spool_prefetch(const rp_spool *s, const char *text,
				   size_t len);

/* Whether the spool's texts are read from the disk rather than the page
 * cache: it holds half the machine's memory or more (0 for s NULL).
 * rp_spool_set_disk_from sets that size instead (tests; 0: half the
 * memory again). */
RP_INTERNAL int rp_spool_on_disk(const rp_spool *s);
RP_INTERNAL void rp_spool_set_disk_from(uint64_t bytes);

/* A pass read `bytes` more of the spool's texts (*since: its own count):
 * release the mapping's pages when a quantum was read. s may be NULL. */
RP_INTERNAL void rp_spool_pace(rp_spool *s, size_t *since, size_t bytes);

RP_INTERNAL void rp_spool_close(rp_spool *s);

/*
 * A temporary file that stages append to and read back (fingerprints set
 * aside under a memory bound): unnamed as the spool is, appended to from
 * several threads at once (each append gets its own range), read with
 * pread. It is RP_TMP_FILES files: an append takes one no other append is
 * writing (two writers of one file wait on its inode lock: 2% of a 1M
 * scan's cycles spinning), so an offset names its file in its top bits.
 * `at` is the bytes appended so far, all files.
 */
#define RP_TMP_FILES 4
typedef struct rp_tmpfile {
	int fd[RP_TMP_FILES];
	uint64_t end[RP_TMP_FILES];  /* each file's length (atomic) */
	int busy[RP_TMP_FILES];      /* an append is writing it (atomic) */
	uint64_t at;
	char dir[256];
	char why[320];         /* the first write error */
} rp_tmpfile;

RP_INTERNAL int rp_tmpfile_open(rp_tmpfile **out, const char *dir, char *why,
				size_t whylen);
/* Append len bytes; *off is where they went. RP_ETEMP (why set) when the
 * file cannot be written. Thread-safe. */
RP_INTERNAL int rp_tmpfile_append(rp_tmpfile *t, const void *p, size_t len,
				  uint64_t *off);
/* Read len bytes at off. RP_ETEMP when they cannot be read. */
RP_INTERNAL int rp_tmpfile_read(rp_tmpfile *t, void *p, size_t len,
				uint64_t off);
/* Bytes [off, off + len) will not be read again: give their disk space
 * back where the file system can (a hole; offsets do not move). */
RP_INTERNAL void rp_tmpfile_discard(rp_tmpfile *t, uint64_t off,
				    uint64_t len);
RP_INTERNAL void rp_tmpfile_close(rp_tmpfile *t);

#endif
