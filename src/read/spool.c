/*
 * spool.c - texts kept in a temporary file instead of memory (spool.h).
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>


/* Address space reserved for the mapping: the file may grow to this. */
#define SPOOL_RESERVE ((size_t)1 << 40)
#define SPOOL_RESERVE_MIN ((size_t)1 << 30)
#define SPOOL_BUF ((size_t)1 << 20)

static void writer_run(void *arg);

static int fail(char *why, size_t whylen, const char *what, const char *dir,
		int e)
{
	snprintf(why, whylen, "%s temporary file in %s: %s", what, dir,
		 strerror(e));
	return RP_ETEMP;
}

static const char *tmp_dir(const char *dir)
{
	if (!dir || !*dir)
		dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

/* An unnamed file in dir, or -1 with errno. */
static int unnamed_file(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR ||
		       errno == EINVAL)) {
		/* A file system without O_TMPFILE: a name, unlinked at once. */
		char path[4096];
		snprintf(path, sizeof(path), "%s/reprint-XXXXXX", dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

int rp_spool_open(rp_spool **out, const char *dir, size_t quantum, char *why,
		  size_t whylen)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	dir = tmp_dir(dir);
	rp_spool *s = calloc(1, sizeof(*s));
	RETURN_ERROR_IF(!s, RP_ENOMEM);
	strlcpy(s->dir, dir, sizeof(s->dir));
	s->quantum = quantum ? quantum : ((size_t)64 << 20);
	int fd = unnamed_file(dir);
	if (fd < 0) {
		int e = errno;
		free(s);
		return fail(why, whylen, "cannot make a", dir, e);
	}
	s->fd = fd;
	/* As much address space as is given, down to 1 GiB (Valgrind and
	 * ulimit -v give less than a terabyte). */
	void *m = MAP_FAILED;
	for (s->reserve = SPOOL_RESERVE; m == MAP_FAILED &&
	     s->reserve >= SPOOL_RESERVE_MIN; s->reserve /= 4)
		m = mmap(NULL, s->reserve, PROT_READ,
			 MAP_SHARED | MAP_NORESERVE, fd, 0);
	s->reserve *= 4;
	if (m == MAP_FAILED) {
		int e = errno;
		close(fd);
		free(s);
		return fail(why, whylen, "cannot map a", dir, e);
	}
	s->base = m;
	rp_worker_start(&s->w, writer_run, s);
	*out = s;
	return RP_OK;
}

/* Write b[0..*n) at s->flushed; what was written stays written (the
 * rest moves to b's front, *n bytes of it: a retry goes on from there).
 * Returns 0 or an errno. */
static int write_at_end(rp_spool *s, char *b, size_t *n)
{
	size_t done;
	int e = rp_whole_io(s->fd, b, *n, s->flushed, 1, &done);
	memmove(b, b + done, *n - done);
	*n -= done;
	s->flushed += done;
	return e;
}

/* The writer's run: wbuf[0..wlen) to the file (flushed, wbuf, wlen
 * and werr are the writer's from the kick until rp_worker_wait). */
static void writer_run(void *arg)
{
	rp_spool *s = arg;
	s->werr = write_at_end(s, s->wbuf, &s->wlen);
}

/* Wait until the writer is idle, then write what a failed write of its
 * left; 0 or an errno (the writer's is taken). */
static int settle(rp_spool *s)
{
	rp_worker_wait(&s->w);
	int e = s->werr;
	s->werr = 0;
	if (!e && s->wlen)
		e = write_at_end(s, s->wbuf, &s->wlen);
	return e;
}

/* The full write buffer to the writer, once it has written the last one
 * (the two buffers change places); without the writer, written here. */
static int hand_over(rp_spool *s, char *why, size_t whylen)
{
	if (!s->w.on)
		return rp_spool_flush(s, why, whylen);
	int e = settle(s);
	if (e)
		return fail(why, whylen, "cannot write the", s->dir, e);
	char *b = s->wbuf;
	size_t cap = s->capwbuf;
	s->wbuf = s->buf;
	s->capwbuf = s->capbuf;
	s->wlen = s->nbuf;
	s->buf = b;
	s->capbuf = cap;
	s->nbuf = 0;
	s->unsettled = 1;
	rp_worker_kick(&s->w);
	return RP_OK;
}

int rp_spool_flush(rp_spool *s, char *why, size_t whylen)
{
	if (!rp_spool_pending(s))
		return RP_OK;
	int e = settle(s);
	if (!e)
		s->unsettled = 0;
	if (!e && s->nbuf)
		e = write_at_end(s, s->buf, &s->nbuf);
	return e ? fail(why, whylen, "cannot write the", s->dir, e) : RP_OK;
}

int rp_spool_add(rp_spool *s, const char **text, const char *p, size_t len,
		 char *why, size_t whylen)
{
	RETURN_ERROR_IF(!s || !text || len >= SIZE_MAX - 1, RP_EINVAL);
	RETURN_ERROR_IF(s->len + len + 1 > s->reserve, RP_ELIMIT);
	if (s->nbuf + len + 1 > SPOOL_BUF && s->nbuf)
		FORWARD_IF_ERROR(hand_over(s, why, whylen));
	if (s->capbuf < s->nbuf + len + 1) {
		size_t cap = RP_MAX(SPOOL_BUF, s->nbuf + len + 1);
		char *b = realloc(s->buf, cap);
		RETURN_ERROR_IF(!b, RP_ENOMEM);
		s->buf = b;
		s->capbuf = cap;
	}
	if (len)
		memcpy(s->buf + s->nbuf, p, len);
	s->buf[s->nbuf + len] = '\0';
	s->nbuf += len + 1;
	*text = s->base + s->len;
	s->len += len + 1;
	return RP_OK;
}

int rp_spool_read(const rp_spool *s, const char *text, size_t len, char *out)
{
	if (!s || text < s->base || (uint64_t)(text - s->base) + len > s->flushed)
		return 0;
	size_t done;
	if (rp_whole_io(s->fd, out, len, (uint64_t)(text - s->base), 0, &done))
		return -1;
	out[len] = '\0';
	return 1;
}

/* Spools from this size on are read from the disk (0: not known yet). */
static uint64_t disk_from;

void rp_spool_set_disk_from(uint64_t bytes)
{
	__atomic_store_n(&disk_from, bytes, __ATOMIC_RELAXED);
}

int rp_spool_on_disk(const rp_spool *s)
{
	if (!s)
		return 0;
	uint64_t from = __atomic_load_n(&disk_from, __ATOMIC_RELAXED);
	if (!from) { /* (half the memory: once, any thread) */
		long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
		from = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 2
					     : UINT64_MAX;
		__atomic_store_n(&disk_from, from, __ATOMIC_RELAXED);
	}
	return s->flushed >= from;
}

void rp_spool_prefetch(const rp_spool *s, const char *text, size_t len)
{
	if (!s || text < s->base || (uint64_t)(text - s->base) + len > s->flushed)
		return;
	if (!rp_spool_on_disk(s))
		return;
	(void)posix_fadvise(s->fd, (off_t)(text - s->base), (off_t)len,
			    POSIX_FADV_WILLNEED);
}

/* Release every page of the mapping now. */
static void spool_release(rp_spool *s)
{
	if (!s->flushed)
		return;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = ((size_t)s->flushed + page - 1) / page * page;
	/* Dropping the mapping's pages loses nothing: they are the file's,
	 * and the next read maps them again. */
	(void)madvise(s->base, n, MADV_DONTNEED);
}

void rp_spool_pace(rp_spool *s, size_t *since, size_t bytes)
{
	if (!s)
		return;
	*since += bytes;
	if (*since >= s->quantum) {
		*since = 0;
		spool_release(s);
	}
}

void rp_spool_close(rp_spool *s)
{
	if (!s)
		return;
	rp_worker_stop(&s->w);
	munmap(s->base, s->reserve);
	close(s->fd);
	free(s->buf);
	free(s->wbuf);
	free(s);
}

int rp_tmpfile_open(rp_tmpfile **out, const char *dir, char *why,
		    size_t whylen)
{
	RETURN_ERROR_IF(!out, RP_EINVAL);
	*out = NULL;
	dir = tmp_dir(dir);
	rp_tmpfile *t = calloc(1, sizeof(*t));
	RETURN_ERROR_IF(!t, RP_ENOMEM);
	strlcpy(t->dir, dir, sizeof(t->dir));
	for (unsigned k = 0; k < RP_TMP_FILES; k++) {
		t->fd[k] = unnamed_file(dir);
		if (t->fd[k] < 0) {
			int e = errno;
			while (k--)
				close(t->fd[k]);
			free(t);
			return fail(why, whylen, "cannot make a", dir, e);
		}
	}
	*out = t;
	return RP_OK;
}

/* An offset: the file in the top bits, the place in it below. */
#define FILE_SHIFT 60
#define FILE_OFF(o) ((o) & (((uint64_t)1 << FILE_SHIFT) - 1))
#define FILE_OF(o) ((unsigned)((o) >> FILE_SHIFT) % RP_TMP_FILES)

/* The first error is kept (threads may fail together). */
static int tmp_error(rp_tmpfile *t, const char *what, int e)
{
	char why[sizeof(t->why)];
	(void)fail(why, sizeof(why), what, t->dir, e);
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	if (!t->why[0])
		strlcpy(t->why, why, sizeof(t->why));
	pthread_mutex_unlock(&lock);
	return RP_ETEMP;
}

int rp_tmpfile_append(rp_tmpfile *t, const void *p, size_t len, uint64_t *off)
{
	/* The file this thread wrote last, if no one writes it now, else
	 * the next free one; when all are taken, the first tried (the
	 * kernel orders the writes). One thread appending alone always
	 * writes one file, its appends one after the other. */
	static _Thread_local unsigned last;
	unsigned k = last % RP_TMP_FILES, took = 0;
	for (unsigned i = 0; i < RP_TMP_FILES && !took; i++) {
		unsigned s = (last + i) % RP_TMP_FILES;
		int free_ = 0;
		if (__atomic_compare_exchange_n(&t->busy[s], &free_, 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			k = s;
			took = 1;
		}
	}
	last = k;
	uint64_t at = __atomic_fetch_add(&t->end[k], (uint64_t)len,
					 __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->at, (uint64_t)len, __ATOMIC_RELAXED);
	*off = (uint64_t)k << FILE_SHIFT | at;
	size_t done;
	int e = at + len >= ((uint64_t)1 << FILE_SHIFT)
			? EFBIG
			: rp_whole_io(t->fd[k], (char *)p, len, at, 1, &done);
	if (took)
		__atomic_store_n(&t->busy[k], 0, __ATOMIC_RELEASE);
	return e ? tmp_error(t, "cannot write the", e) : RP_OK;
}

int rp_tmpfile_read(rp_tmpfile *t, void *p, size_t len, uint64_t off)
{
	size_t done;
	int e = rp_whole_io(t->fd[FILE_OF(off)], p, len, FILE_OFF(off), 0,
			    &done);
	return e ? tmp_error(t, "cannot read the", e) : RP_OK;
}

void rp_tmpfile_discard(rp_tmpfile *t, uint64_t off, uint64_t len)
{
#ifdef FALLOC_FL_PUNCH_HOLE
	if (len)
		(void)fallocate(t->fd[FILE_OF(off)],
				FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				(off_t)FILE_OFF(off), (off_t)len);
#else
	(void)t;
	(void)off;
	(void)len;
#endif
}

void rp_tmpfile_close(rp_tmpfile *t)
{
	if (!t)
		return;
	for (unsigned k = 0; k < RP_TMP_FILES; k++)
		close(t->fd[k]);
	free(t);
}
