/*
 * shardfile.c - stage files: header, checksum, written whole or not at
 * all (shardfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shardfile.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#define HEADER 64
static const char MAGIC[8] = "RPSHARD";

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int rp_sfw_open(rp_sfw *w, const char *dir, const char *name, uint32_t kind,
		uint64_t params, char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->path = join(dir, name);
	size_t n = w->path ? strlen(w->path) + 100 : 0;
	w->tmp = malloc(n + 1);
	w->xxh = XXH3_createState();
	if (!w->path || !w->tmp || !w->xxh) {
		rp_sfw_close(w, 0, NULL, 0);
		return RP_ENOMEM;
	}
	/* Unique among the tasks writing into one shared folder: host and
	 * process. */
	char host[64] = "";
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	snprintf(w->tmp, n, "%s.tmp.%.63s.%ld", w->path, host, (long)getpid());
	w->fp = fopen(w->tmp, "wb");
	if (!w->fp) {
		set_err(err, errlen, "%s: cannot write: %s", w->tmp, strerror(errno));
		rp_sfw_close(w, 0, NULL, 0);
		return RP_EIO;
	}
	static const uint8_t zero[HEADER];
	if (fwrite(zero, 1, HEADER, w->fp) != HEADER) {
		w->failed = 1;
		w->err_no = errno;
	}
	XXH3_64bits_reset(w->xxh);
	w->kind = kind;
	w->params = params;
	return RP_OK;
}

void rp_sfw_bytes(rp_sfw *w, const void *p, size_t n)
{
	if (w->failed || !n)
		return;
	if (fwrite(p, 1, n, w->fp) != n) {
		w->failed = 1;
		w->err_no = errno;
		return;
	}
	XXH3_64bits_update(w->xxh, p, n);
	w->len += n;
}

void rp_sfw_u8(rp_sfw *w, uint8_t v) { rp_sfw_bytes(w, &v, 1); }
void rp_sfw_u32(rp_sfw *w, uint32_t v) { rp_sfw_bytes(w, &v, 4); }
void rp_sfw_u64(rp_sfw *w, uint64_t v) { rp_sfw_bytes(w, &v, 8); }

void rp_sfw_align(rp_sfw *w, size_t a)
{
	static const uint8_t zero[16];
	size_t pad = (size_t)(-w->len & (a - 1));
	rp_sfw_bytes(w, zero, pad);
}

void rp_sfr_align(rp_sfr *r, size_t a)
{
	size_t at = (size_t)(r->p - r->pay);
	rp_sfr_bytes(r, (size_t)(-at & (a - 1)));
}

void rp_sfw_str(rp_sfw *w, const char *s, size_t len)
{
	rp_sfw_u32(w, s ? (uint32_t)len + 1 : 0);
	if (s) {
		rp_sfw_bytes(w, s, len);
		rp_sfw_u8(w, 0);
	}
}

static void put32(uint8_t *h, uint32_t v) { memcpy(h, &v, 4); }
static void put64(uint8_t *h, uint64_t v) { memcpy(h, &v, 8); }

int rp_sfw_close(rp_sfw *w, int ok, char *err, size_t errlen)
{
	int rc = RP_OK;
	if (w->fp) {
		if (ok && !w->failed) {
			uint8_t h[HEADER];
			memset(h, 0, sizeof(h));
			memcpy(h, MAGIC, 8);
			put32(h + 8, RP_SHARD_FORMAT);
			put32(h + 12, w->kind);
			put64(h + 16, w->params);
			put64(h + 24, w->len);
			put64(h + 32, XXH3_64bits_digest(w->xxh));
			/* No fsync: a file torn by a power loss is refused by
			 * its length and checksum, and its task runs again; a
			 * killed task leaves the page cache whole. */
			if (fflush(w->fp) != 0 || fseeko(w->fp, 0, SEEK_SET) != 0 ||
			    fwrite(h, 1, HEADER, w->fp) != HEADER ||
			    fflush(w->fp) != 0) {
				w->failed = 1;
				w->err_no = errno;
			}
		}
		if (fclose(w->fp) != 0 && ok && !w->failed) {
			w->failed = 1;
			w->err_no = errno;
		}
		w->fp = NULL;
		if (ok && !w->failed && rename(w->tmp, w->path) != 0) {
			w->failed = 1;
			w->err_no = errno;
		}
		if (ok && w->failed) {
			set_err(err, errlen, "%s: cannot write: %s", w->path,
				strerror(w->err_no));
			rc = RP_EIO;
		}
		if (!ok || w->failed)
			unlink(w->tmp);
	}
	if (w->xxh)
		XXH3_freeState(w->xxh);
	free(w->path);
	free(w->tmp);
	memset(w, 0, sizeof(*w));
	return rc;
}

static uint32_t get32(const uint8_t *h) { uint32_t v; memcpy(&v, h, 4); return v; }
static uint64_t get64(const uint8_t *h) { uint64_t v; memcpy(&v, h, 8); return v; }

/*
 * The checksum of the payload of file fd (size bytes), read with pread
 * through a buffer: on these machines a first touch of a mapped page
 * costs several microseconds, so hashing through the mapping took 1.4 s
 * for a 2.1 GB documents file and reading it through 1 MiB took 0.4 s
 * (both in the page cache). The task's memory does not hold the file
 * either way. -1 (errno set) when it cannot be read.
 */
static int checksum(int fd, size_t size, uint64_t *out)
{
	enum { BUF = 1 << 20 };
	uint8_t *buf = malloc(BUF);
	XXH3_state_t *st = XXH3_createState();
	int rc = 0;
	if (!buf || !st) {
		errno = ENOMEM;
		rc = -1;
	}
	if (st)
		XXH3_64bits_reset(st);
	for (size_t at = HEADER; rc == 0 && at < size;) {
		ssize_t n = pread(fd, buf, RP_MIN((size_t)BUF, size - at), (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* (shorter than fstat said) */
			rc = -1;
			break;
		}
		XXH3_64bits_update(st, buf, (size_t)n);
		at += (size_t)n;
	}
	if (rc == 0)
		*out = XXH3_64bits_digest(st);
	free(buf);
	XXH3_freeState(st);
	return rc;
}

int rp_sfr_open(rp_sfr *r, const char *dir, const char *name, uint32_t kind,
		uint64_t params, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->path = join(dir, name);
	RETURN_ERROR_IF(!r->path, RP_ENOMEM);
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		set_err(err, errlen, "%s: cannot read: %s%s", r->path,
			strerror(errno), errno == ENOENT
			? " (has the stage that writes it run?)" : "");
		if (fd >= 0)
			close(fd);
		rp_sfr_close(r);
		return RP_EIO;
	}
	const char *why = NULL;
	if (!S_ISREG(st.st_mode) || st.st_size < HEADER)
		why = "not a reprint stage file (too short)";
	else {
		r->size = (size_t)st.st_size;
		void *m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			set_err(err, errlen, "%s: cannot map: %s", r->path,
				strerror(errno));
			close(fd);
			r->size = 0;
			rp_sfr_close(r);
			return RP_EIO;
		}
		r->map = m;
	}
	if (!why) {
		const uint8_t *h = r->map;
		uint64_t sum = 0;
		if (memcmp(h, MAGIC, 8) != 0)
			why = "not a reprint stage file";
		else if (get32(h + 8) != RP_SHARD_FORMAT)
			why = "made by another version of reprint (format differs)";
		else if (get32(h + 12) != kind)
			why = "not the file this stage expects (another kind)";
		else if (params && get64(h + 16) != params)
			why = "made with other parameters than this run's";
		else if (get64(h + 24) != r->size - HEADER)
			why = "truncated or damaged (length differs from its header)";
		else if (checksum(fd, r->size, &sum) < 0) {
			int e = errno;
			set_err(err, errlen, "%s: cannot read: %s", r->path,
				strerror(e));
			close(fd);
			rp_sfr_close(r);
			return e == ENOMEM ? RP_ENOMEM : RP_EIO;
		} else if (sum != get64(h + 32))
			why = "damaged (checksum differs)";
	}
	close(fd);
	if (why) {
		set_err(err, errlen, "%s: %s", r->path, why);
		rp_sfr_close(r);
		return RP_EINPUT;
	}
	r->pay = r->map + HEADER;
	r->paylen = r->size - HEADER;
	r->p = r->pay;
	r->end = r->pay + r->paylen;
	return RP_OK;
}

void rp_sfr_release(const rp_sfr *r)
{
	if (r->map)
		(void)madvise((void *)r->map, r->size, MADV_DONTNEED);
}

void rp_sfr_close(rp_sfr *r)
{
	if (r->map)
		munmap((void *)r->map, r->size);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

const void *rp_sfr_bytes(rp_sfr *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const void *p = r->p;
	r->p += n;
	return p;
}

uint8_t rp_sfr_u8(rp_sfr *r)
{
	const uint8_t *p = rp_sfr_bytes(r, 1);
	return p ? *p : 0;
}

uint32_t rp_sfr_u32(rp_sfr *r)
{
	const uint8_t *p = rp_sfr_bytes(r, 4);
	return p ? get32(p) : 0;
}

uint64_t rp_sfr_u64(rp_sfr *r)
{
	const uint8_t *p = rp_sfr_bytes(r, 8);
	return p ? get64(p) : 0;
}

const char *rp_sfr_str(rp_sfr *r, size_t *len)
{
	uint32_t n = rp_sfr_u32(r);
	*len = 0;
	if (n == 0)
		return NULL;
	const char *s = rp_sfr_bytes(r, n);
	if (!s || s[n - 1] != '\0') {
		r->bad = 1;
		return NULL;
	}
	*len = n - 1;
	return s;
}

void rp_sfr_seek(rp_sfr *r, uint64_t off)
{
	if (off > r->paylen) {
		r->bad = 1;
		return;
	}
	r->p = r->pay + off;
}

const void *rp_sfr_array(rp_sfr *r, uint64_t n, size_t sz)
{
	if (sz && n > (uint64_t)(r->end - r->p) / sz) {
		r->bad = 1;
		return NULL;
	}
	return rp_sfr_bytes(r, (size_t)n * sz);
}

int rp_sf_exists(const char *dir, const char *name)
{
	char *p = join(dir, name);
	if (!p)
		return 0;
	struct stat st;
	int ok = stat(p, &st) == 0;
	free(p);
	return ok;
}

int rp_sf_mark(const char *dir, const char *name, char *err, size_t errlen)
{
	rp_sfw w;
	FORWARD_IF_ERROR(rp_sfw_open(&w, dir, name, 0, 0, err, errlen));
	return rp_sfw_close(&w, 1, err, errlen);
}
