/*
 * util.c - allocation helpers, whole reads and writes, clock, status
 * strings, version, defaults.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RP_NO_ALLOC_MACROS
#include "common.h"

/* Allocation failure injection (tests only; off unless armed). */
static long alloc_count, alloc_fail_at;
static int alloc_fired;
static _Thread_local int oom;

static int should_fail(void)
{
	long n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
	if (alloc_fail_at && n == alloc_fail_at) {
		alloc_fired = 1;
		return 1;
	}
	return 0;
}

static void *noted(void *p)
{
	if (!p)
		oom = 1;
	return p;
}

/* Transparent huge pages for the whole 2 MiB pages inside a block of n
 * bytes. This machine kind's kernels give them only where asked
 * ("madvise" mode), and a first touch of fresh memory costs a fault per
 * 4 KiB page otherwise: the arrays, scratch and text blocks a scan fills
 * once were most of its faults (news 100k: 270,000 faults, a sixth of its
 * time). A huge page is resident whole once touched, so a block partly
 * used can hold up to 2 MiB more than a small-page one: under a memory
 * bound below HUGE_BUDGET no block is advised (rp_huge_pages_bound). The
 * advice is a hint: an error (a kernel without THP) changes nothing. */
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HUGE_BUDGET ((size_t)256 << 20)

static size_t huge_from = HUGE_PAGE; /* advise blocks of this size on */

void rp_huge_pages_bound(size_t budget)
{
	if (budget && budget < HUGE_BUDGET)
		__atomic_store_n(&huge_from, SIZE_MAX, __ATOMIC_RELAXED);
}

int rp_huge_pages_advised(size_t n)
{
	return n >= __atomic_load_n(&huge_from, __ATOMIC_RELAXED);
}

static void *huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (p && rp_huge_pages_advised(n)) {
		uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		uintptr_t b = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);
		if (b > a)
			(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	}
#else
	(void)n;
#endif
	return p;
}

void *rp_malloc(size_t n)
{
	return huge(noted(should_fail() ? NULL : malloc(n)), n);
}

/* Whole huge pages, aligned: a block from anywhere in the heap starts
 * and ends inside huge pages whose small pages are each a fault of their
 * own, and a fault costs about 10 us on this project's machines (4 KiB
 * pages: 2.7 s a GiB touched; huge pages 0.06 s once the memory is the
 * process's). Only for blocks filled to their end: a huge page at the
 * end of a block half used is resident whole. */
void *rp_malloc_pages(size_t n)
{
	if (should_fail())
		return noted(NULL);
	if (!rp_huge_pages_advised(n) || n > SIZE_MAX - HUGE_PAGE)
		return noted(malloc(n));
	size_t whole = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p = NULL;
	if (posix_memalign(&p, HUGE_PAGE, whole) != 0)
		return noted(NULL);
	return huge(p, whole);
}

void *rp_calloc(size_t n, size_t size)
{
	return huge(noted(should_fail() ? NULL : calloc(n, size)),
		    n <= SIZE_MAX / (size ? size : 1) ? n * size : 0);
}

/* realloc, except that a block grown past a huge page is moved by hand
 * into memory advised before the copy: realloc's own move (a copy into
 * fresh memory, or mremap of a mapped block) leaves the block on small
 * pages that advice given after it does not change (news 100k with
 * realloc for blocks already past 1 MiB: 230,000 faults against 85,000). */
static void *resize(void *p, size_t n)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	if (!p || !rp_huge_pages_advised(n) || n <= old)
		return huge(realloc(p, n), n);
	void *q = huge(malloc(n), n);
	if (q) {
		memcpy(q, p, old);
		free(p);
	}
	return q;
}

void *rp_realloc(void *p, size_t n)
{
	return noted(should_fail() ? NULL : resize(p, n));
}

void *rp_reallocarray(void *p, size_t n, size_t size)
{
	if (should_fail())
		return noted(NULL);
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return noted(NULL);
	}
	return noted(resize(p, n * size));
}

int rp_oom_take(void)
{
	int was = oom;
	oom = 0;
	return was;
}

long rp_alloc_fail_at(long n)
{
	long made = alloc_count;
	alloc_count = 0;
	alloc_fired = 0;
	alloc_fail_at = n;
	return made;
}

int rp_alloc_failed(void)
{
	return alloc_fired;
}

int rp_grow_to(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap && *arr)
		return RP_OK;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		RETURN_ERROR_IF(ncap > SIZE_MAX / 2, RP_ENOMEM);
		ncap *= 2;
	}
	void *p = rp_reallocarray(*arr, ncap, size);
	RETURN_ERROR_IF(!p, RP_ENOMEM);
	*arr = p;
	*cap = ncap;
	return RP_OK;
}

unsigned rp_thread_count(unsigned threads, size_t work)
{
	unsigned n = threads;
	if (n == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (unsigned)cores : 1;
	}
	if (n > RP_MAX_THREADS)
		n = RP_MAX_THREADS;
	if (work < n)
		n = work ? (unsigned)work : 1;
	return n;
}

static void *worker_main(void *arg)
{
	rp_worker *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->want && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->want)
			break;
		w->want = 0;
		w->busy = 1;
		pthread_mutex_unlock(&w->mu);
		w->fn(w->arg);
		pthread_mutex_lock(&w->mu);
		w->busy = 0;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

void rp_worker_start(rp_worker *w, void (*fn)(void *), void *arg)
{
	memset(w, 0, sizeof(*w));
	w->fn = fn;
	w->arg = arg;
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&w->cv, NULL) != 0) {
		pthread_mutex_destroy(&w->mu);
		return;
	}
	if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return;
	}
	w->on = 1;
}

/* Raise one of the worker's flags (want, stop). */
static void worker_set(rp_worker *w, int *flag)
{
	pthread_mutex_lock(&w->mu);
	*flag = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void rp_worker_kick(rp_worker *w)
{
	if (w->on)
		worker_set(w, &w->want);
}

void rp_worker_wait(rp_worker *w)
{
	if (!w->on)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->want || w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

void rp_worker_stop(rp_worker *w)
{
	if (!w->on)
		return;
	worker_set(w, &w->stop);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	w->on = 0;
}

void rp_run_jobs(void *(*fn)(void *), void *jobs, size_t size, unsigned n)
{
	pthread_t th[RP_MAX_THREADS];
	uint8_t started[RP_MAX_THREADS];
	char *j = jobs;

	if (n > RP_MAX_THREADS)
		n = RP_MAX_THREADS;
	for (unsigned t = 0; t < n; t++)
		started[t] = t > 0 &&
			     pthread_create(&th[t], NULL, fn, j + t * size) == 0;
	for (unsigned t = 0; t < n; t++)
		if (!started[t])
			fn(j + t * size);
	for (unsigned t = 1; t < n; t++)
		if (started[t])
			pthread_join(th[t], NULL);
}

int rp_whole_io(int fd, char *p, size_t len, uint64_t off, int write,
		    size_t *done)
{
	*done = 0;
	while (*done < len) {
		ssize_t n = write ? pwrite(fd, p + *done, len - *done,
					   (off_t)(off + *done))
				  : pread(fd, p + *done, len - *done,
					  (off_t)(off + *done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : write ? ENOSPC : EIO;
		*done += (size_t)n;
	}
	return 0;
}

double rp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

char *rp_strndup(const char *s, size_t len)
{
	char *p = rp_malloc(len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

const char *rp_strerror(int status)
{
	switch (status) {
	case RP_OK: return "success";
	case RP_ENOMEM: return "out of memory";
	case RP_EINVAL: return "invalid argument";
	case RP_EIO: return "input/output error";
	case RP_EINPUT: return "record rejected";
	case RP_ELIMIT: return "limit exceeded";
	case RP_ESTATE: return "call not allowed in this state";
	case RP_ECANCELED: return "canceled";
	case RP_ETEMP: return "temporary file cannot be written";
	default: return "unknown error";
	}
}

const char *rp_version(void)
{
	return RP_VERSION_STRING;
}

int rp_options_init(rp_options *opts, unsigned int version)
{
	RETURN_ERROR_IF(!opts || version != RP_OPTIONS_VERSION, RP_EINVAL);
	rp_options def = RP_OPTIONS_INIT;
	*opts = def;
	return RP_OK;
}
