/*
 * shardfile.c - stage files: header, block checksums, written whole or
 * not at all (shardfile.h).
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
	/* A write of a MiB at a time, not of stdio's 4 KiB: a documents or
	 * fingerprints file is gigabytes. */
	(void)setvbuf(w->fp, NULL, _IOFBF, (size_t)1 << 20);
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

/* The hash of the block being written into the table. */
static void end_block(rp_sfw *w)
{
	if (w->nblocks == w->capblocks) {
		size_t cap = w->capblocks ? 2 * w->capblocks : 1024;
		uint64_t *b = reallocarray(w->blocks, cap, sizeof(*b));
		if (!b) {
			w->failed = 1;
			w->err_no = ENOMEM;
			return;
		}
		w->blocks = b;
		w->capblocks = cap;
	}
	w->blocks[w->nblocks++] = XXH3_64bits_digest(w->xxh);
	XXH3_64bits_reset(w->xxh);
	w->blen = 0;
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
	w->len += n;
	const uint8_t *q = p;
	while (n && !w->failed) {
		size_t take = RP_MIN(n, (size_t)RP_SF_BLOCK - w->blen);
		XXH3_64bits_update(w->xxh, q, take);
		w->blen += take;
		q += take;
		n -= take;
		if (w->blen == RP_SF_BLOCK)
			end_block(w);
	}
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
		if (ok && !w->failed && w->blen)
			end_block(w); /* (the last, short block) */
		if (ok && !w->failed && w->nblocks &&
		    fwrite(w->blocks, sizeof(*w->blocks), w->nblocks, w->fp) !=
			    w->nblocks) {
			w->failed = 1;
			w->err_no = errno;
		}
		if (ok && !w->failed) {
			uint8_t h[HEADER];
			memset(h, 0, sizeof(h));
			memcpy(h, MAGIC, 8);
			put32(h + 8, RP_SHARD_FORMAT);
			put32(h + 12, w->kind);
			put64(h + 16, w->params);
			put64(h + 24, w->len);
			put64(h + 32, XXH3_64bits(w->blocks, w->nblocks *
							 sizeof(*w->blocks)));
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
	free(w->blocks);
	free(w->path);
	free(w->tmp);
	memset(w, 0, sizeof(*w));
	return rc;
}

static uint32_t get32(const uint8_t *h) { uint32_t v; memcpy(&v, h, 4); return v; }
static uint64_t get64(const uint8_t *h) { uint64_t v; memcpy(&v, h, 8); return v; }

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
	r->fd1 = fd + 1;
	const char *why = NULL;
	if (!S_ISREG(st.st_mode) || st.st_size < HEADER)
		why = "not a reprint stage file (too short)";
	else {
		r->size = (size_t)st.st_size;
		void *m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			set_err(err, errlen, "%s: cannot map: %s", r->path,
				strerror(errno));
			r->size = 0;
			rp_sfr_close(r);
			return RP_EIO;
		}
		r->map = m;
	}
	if (!why) {
		const uint8_t *h = r->map;
		uint64_t len = get64(h + 24);
		uint64_t nb = len / RP_SF_BLOCK + (len % RP_SF_BLOCK != 0);
		if (memcmp(h, MAGIC, 8) != 0)
			why = "not a reprint stage file";
		else if (get32(h + 8) != RP_SHARD_FORMAT)
			why = "made by another version of reprint (format differs)";
		else if (get32(h + 12) != kind)
			why = "not the file this stage expects (another kind)";
		else if (params && get64(h + 16) != params)
			why = "made with other parameters than this run's";
		else if (len > r->size - HEADER ||
			 nb > (r->size - HEADER - len) / 8 ||
			 r->size - HEADER - len != nb * 8)
			why = "truncated or damaged (length differs from its header)";
		else {
			/* The table of the blocks' checksums, checked whole;
			 * each block is checked when first read (need). */
			r->nblocks = nb;
			r->sums = malloc(nb * 8 + 1);
			r->seen = calloc(nb / 8 + 1, 1);
			if (!r->sums || !r->seen) {
				rp_sfr_close(r);
				return RP_ENOMEM;
			}
			size_t done;
			int e = rp_whole_io(fd, (char *)r->sums, nb * 8,
					    HEADER + len, 0, &done);
			if (e) {
				set_err(err, errlen, "%s: cannot read: %s", r->path,
					strerror(e));
				rp_sfr_close(r);
				return RP_EIO;
			}
			if (XXH3_64bits(r->sums, nb * 8) != get64(h + 32))
				why = "damaged (checksum differs)";
		}
		r->paylen = len;
	}
	if (why) {
		set_err(err, errlen, "%s: %s", r->path, why);
		rp_sfr_close(r);
		return RP_EINPUT;
	}
	r->pay = r->map + HEADER;
	r->p = r->pay;
	r->end = r->pay + r->paylen;
	return RP_OK;
}

/*
 * Check the blocks of payload bytes [p, p + n) not checked yet, reading
 * them with pread (up to 1 MiB at a time, into a buffer of the reader's):
 * on these machines a first touch of a mapped page costs several
 * microseconds, so a whole 2.1 GB documents file hashed through its
 * mapping took 1.4-1.6 s and through pread 0.35-0.4 s; and a stage that
 * reads a few documents of a file (verify) checks only their blocks.
 * 0 and bad set (damaged_block: the block, 1-based) when one differs.
 */
static int need(rp_sfr *r, const uint8_t *p, size_t n)
{
	enum { RUN = (1 << 20) / RP_SF_BLOCK };
	if (!n)
		return 1;
	uint64_t off = (uint64_t)(p - r->pay);
	uint64_t b = off / RP_SF_BLOCK, last = (off + n - 1) / RP_SF_BLOCK;
	while (b <= last) {
		if (r->seen[b / 8] & (1u << (b % 8))) {
			b++;
			continue;
		}
		/* A run of unchecked blocks, at most 1 MiB; reading ahead,
		 * past the range (the reads that follow find their bytes
		 * there). */
		uint64_t e = b + 1;
		uint64_t stop = r->buffered & RP_SFR_AHEAD ? r->nblocks - 1 : last;
		while (e <= stop && e - b < RUN &&
		       !(r->seen[e / 8] & (1u << (e % 8))))
			e++;
		if (!r->buf &&
		    !(r->buf = malloc((size_t)RP_MIN((uint64_t)RUN, r->nblocks) *
				      RP_SF_BLOCK))) {
			r->bad = 1;
			r->read_errno = ENOMEM;
			return 0;
		}
		uint64_t from = b * RP_SF_BLOCK;
		size_t len = (size_t)(RP_MIN(e * RP_SF_BLOCK, r->paylen) - from);
		size_t done;
		int rerr = rp_whole_io(r->fd1 - 1, (char *)r->buf, len,
				       HEADER + from, 0, &done);
		if (rerr) {
			r->bad = 1;
			r->read_errno = rerr;
			return 0;
		}
		r->win_off = from;
		r->win_len = len;
		for (uint64_t k = b; k < e; k++) {
			size_t at = (size_t)((k - b) * RP_SF_BLOCK);
			size_t bl = RP_MIN((size_t)RP_SF_BLOCK, len - at);
			if (XXH3_64bits(r->buf + at, bl) != r->sums[k]) {
				r->bad = 1;
				r->damaged_block = k + 1;
				return 0;
			}
			r->seen[k / 8] |= (uint8_t)(1u << (k % 8));
		}
		b = e;
	}
	return 1;
}

const char *rp_sfr_why(const rp_sfr *r, char *buf, size_t n)
{
	if (r->read_errno)
		snprintf(buf, n, "cannot read: %s", strerror(r->read_errno));
	else if (r->damaged_block)
		snprintf(buf, n, "damaged (checksum of bytes %llu-%llu differs)",
			 (unsigned long long)(HEADER + (r->damaged_block - 1) *
					      (uint64_t)RP_SF_BLOCK),
			 (unsigned long long)(HEADER + RP_MIN(r->damaged_block *
							      (uint64_t)RP_SF_BLOCK,
							      r->paylen) - 1));
	else
		snprintf(buf, n, "damaged (its contents do not read as its kind)");
	return buf;
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
	if (r->fd1 > 0)
		close(r->fd1 - 1);
	free(r->sums);
	free(r->seen);
	free(r->buf);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

const void *rp_sfr_bytes(rp_sfr *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n || !need(r, r->p, n)) {
		r->bad = 1;
		return NULL;
	}
	const void *p = r->p;
	uint64_t off = (uint64_t)(r->p - r->pay);
	r->p += n;
	if (r->buffered && r->buf && off >= r->win_off &&
	    off - r->win_off + n <= r->win_len)
		return r->buf + (off - r->win_off);
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

const char *rp_sfr_kept(rp_sfr *r, size_t n)
{
	const char *s = (const char *)r->p;
	if (!n || !rp_sfr_bytes(r, n))
		return NULL;
	/* The terminator from the buffer when it holds it (it holds the
	 * string's last blocks when they were checked just now). */
	uint64_t z = (uint64_t)((const uint8_t *)s + n - 1 - r->pay);
	char last = r->buffered && r->buf && z >= r->win_off &&
			    z - r->win_off < r->win_len
		? (char)r->buf[z - r->win_off] : s[n - 1];
	if (last != '\0') {
		r->bad = 1;
		return NULL;
	}
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

const void *rp_sfr_array_unchecked(rp_sfr *r, uint64_t n, size_t sz)
{
	if (r->bad || (sz && n > (uint64_t)(r->end - r->p) / sz)) {
		r->bad = 1;
		return NULL;
	}
	const void *p = r->p;
	r->p += (size_t)n * sz;
	return p;
}

int rp_sfr_check(rp_sfr *r, const void *p, size_t n)
{
	const uint8_t *q = p;
	if (r->bad || q < r->pay || q > r->end || (size_t)(r->end - q) < n ||
	    !need(r, q, n)) {
		r->bad = 1;
		return 0;
	}
	return 1;
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
