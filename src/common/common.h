/*
 * common.h - internal helpers shared by every module of libreprint.
 *
 * Error handling follows zstd's error_private.h: one-line checks that
 * return a status, and FORWARD_IF_ERROR to pass a callee's status up.
 * Functions with resources to release use one forward `goto cleanup`.
 */
#ifndef RP_COMMON_H
#define RP_COMMON_H

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

#define RP_INTERNAL __attribute__((visibility("hidden")))

/* The set bits of a 16-bit mask (an SSE2 movemask). Without -mpopcnt
 * __builtin_popcount is a call into libgcc (0.6% of a 1M scan's cycles,
 * in the tokenizer's and the layout rules' loops); this is a few
 * instructions inline. */
static inline unsigned rp_popcount16(unsigned x)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcount(x & 0xFFFFu);
#else
	x &= 0xFFFFu;
	x = x - ((x >> 1) & 0x5555u);
	x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
	x = (x + (x >> 4)) & 0x0F0Fu;
	return (x + (x >> 8)) & 0x1Fu;
#endif
}

#define RETURN_ERROR_IF(cond, status) \
	do {                          \
		if (cond)             \
			return (status); \
	} while (0)

#define FORWARD_IF_ERROR(expr)           \
	do {                             \
		int rp_fwd_err_ = (expr); \
		if (rp_fwd_err_ < 0)     \
			return rp_fwd_err_; \
	} while (0)

/* In a function with `int err` and a `cleanup:` label. */
#define GOTO_IF(cond, status)         \
	do {                          \
		if (cond) {           \
			err = (status); \
			goto cleanup; \
		}                     \
	} while (0)

#define GOTO_IF_ERROR(expr)         \
	do {                        \
		err = (expr);       \
		if (err < 0)        \
			goto cleanup; \
	} while (0)

#define RP_MIN(a, b) ((a) < (b) ? (a) : (b))
#define RP_MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * Grow *arr (element size `size`) so that it holds at least `need` elements.
 * Capacity doubles; every multiplication goes through reallocarray. The
 * check is inline (hot loops grow an array per element); rp_grow_to
 * grows.
 */
RP_INTERNAL int rp_grow_to(void **arr, size_t *cap, size_t need, size_t size);

static inline int rp_grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap && *arr)
		return RP_OK;
	return rp_grow_to(arr, cap, need, size);
}

#define RP_GROW(arr, cap, need) \
	rp_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/*
 * Every allocation of the library goes through these (the macros below
 * rename the standard calls in library sources), so that a test can make
 * the Nth allocation fail and check that each failure is reported as
 * RP_ENOMEM, and so that an allocation failing inside a library we call
 * (cJSON) can be told from a parse error: rp_oom_take() says whether an
 * allocation failed on this thread since it was last asked.
 */
RP_INTERNAL void *rp_malloc(size_t n);
RP_INTERNAL void *rp_calloc(size_t n, size_t size);
RP_INTERNAL void *rp_realloc(void *p, size_t n);
RP_INTERNAL void *rp_reallocarray(void *p, size_t n, size_t size);
/* A block of n bytes that will be filled to its end: when advised, of
 * whole huge pages, aligned (util.c). Freed by free(). */
RP_INTERNAL void *rp_malloc_pages(size_t n);
RP_INTERNAL int rp_oom_take(void);

/*
 * Blocks of 2 MiB and more are given transparent huge pages
 * (madvise(MADV_HUGEPAGE)) and, grown, are moved into advised memory
 * before their bytes are copied. rp_huge_pages_bound(budget) turns that
 * off for the rest of the process when a memory bound under 256 MiB is
 * set (a huge page partly used is resident whole); 0 changes nothing.
 * rp_huge_pages_advised(n): would a block of n bytes be advised now?
 */
RP_INTERNAL void rp_huge_pages_bound(size_t budget);
RP_INTERNAL int rp_huge_pages_advised(size_t n);

/* Test hook: fail allocation number n from now on (1 = the next one);
 * 0 turns failures off. Returns how many allocations were made since the
 * previous call. */
RP_INTERNAL long rp_alloc_fail_at(long n);
/* Did the armed failure happen? */
RP_INTERNAL int rp_alloc_failed(void);

#ifndef RP_NO_ALLOC_MACROS
#define malloc(n) rp_malloc(n)
#define calloc(n, s) rp_calloc((n), (s))
#define realloc(p, n) rp_realloc((p), (n))
#define reallocarray(p, n, s) rp_reallocarray((p), (n), (s))
#endif

/*
 * Run fn on n jobs (jobs[t] at (char *)jobs + t * size), job 0 on the
 * calling thread and the others on threads of their own; a thread that
 * cannot be started has its job run on the calling thread. Returns when
 * every job is done. n is at most RP_MAX_THREADS.
 */
#define RP_MAX_THREADS 256
/* How many threads to use for `work` items: threads, or the online
 * cores when 0, at most RP_MAX_THREADS and at most one per item. */
RP_INTERNAL unsigned rp_thread_count(unsigned threads, size_t work);

RP_INTERNAL void rp_run_jobs(void *(*fn)(void *), void *jobs, size_t size,
			     unsigned n);

/*
 * A thread beside the caller that runs fn(arg) each time it is kicked
 * (kicks while it runs make one more run): the spool's writer, the
 * index's checkpoints. When it cannot be started, on stays 0 and kick,
 * wait and stop do nothing: the caller does the work itself.
 */
typedef struct rp_worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*fn)(void *);
	void *arg;
	int on, want, busy, stop;
} rp_worker;

RP_INTERNAL void rp_worker_start(rp_worker *w, void (*fn)(void *), void *arg);
RP_INTERNAL void rp_worker_kick(rp_worker *w);
/* Until no run is asked for or running (what fn wrote is then seen). */
RP_INTERNAL void rp_worker_wait(rp_worker *w);
/* After the run asked for, if any. */
RP_INTERNAL void rp_worker_stop(rp_worker *w);

/* Write (pwrite) or read (pread) all len bytes at off, through EINTR and
 * short transfers; *done: the bytes moved. 0, or the errno of the failure
 * (a write that moves nothing is ENOSPC, a read past the end EIO). */
RP_INTERNAL int rp_whole_io(int fd, char *p, size_t len, uint64_t off,
			    int write, size_t *done);

/* Monotonic clock in seconds. */
RP_INTERNAL double rp_now(void);

/* A copy of [s, s+len) with a terminating NUL; NULL on allocation failure. */
RP_INTERNAL char *rp_strndup(const char *s, size_t len);

#endif
