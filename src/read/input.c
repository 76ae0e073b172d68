/*
 * input.c - what a file holds, whatever its name: plain bytes, gzip or
 * zstd (decompressed as they are read, never whole in memory), UTF-16 or
 * binary data (named as such once, not read as lines).
 *
 * The first 4 KiB are read ahead and sniffed: gzip's 1f 8b, zstd's
 * 28 b5 2f fd, a UTF-16 byte order mark, or many NUL bytes (binary, or
 * UTF-16 without a mark when every other byte is NUL). The stream handed
 * to the readers is a stdio stream (fopencookie) that yields the decoded
 * bytes, the read-ahead first; so the readers, stdin included, need not
 * know what they read. A stray NUL in a text is not enough to call a file
 * binary: that stays the record's problem, reported with its line.
 */
#include "input.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#define SNIFF 4096
#define CHUNK ((size_t)1 << 16)
#define AHEAD_BLOCKS 4
#define AHEAD_BLOCK ((size_t)1 << 20)

struct rp_input_state {
	FILE *raw;
	rp_input_kind kind;
	unsigned char *in;        /* compressed bytes: the read-ahead, then
				     chunks of raw */
	size_t inlen, inpos, incap;
	int raw_eof;
	z_stream z;
	int z_open;
	ZSTD_DStream *zs;
	int done;                 /* the decoder reached the end */
	int failed;               /* the decoder failed (err says why)
				     after bytes it has handed out */
	size_t zlast;             /* zstd: 0 once a frame is complete */
	uint64_t rawread;         /* bytes read from raw so far */
	char err[160];
	/* Decoding ahead (rp_input_decode_ahead): a thread decodes into
	 * blocks [tail, head) (mod AHEAD_BLOCKS) while the reader takes
	 * them, from pos of the tail block; end: the decoder is done, 1 at
	 * the stream's end, -1 on an error (err set), after the blocks it
	 * filled. */
	int ahead, ahead_on;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *blk[AHEAD_BLOCKS];
	size_t blen[AHEAD_BLOCKS];
	size_t head, tail, pos;
	int end, stop;
};

static int refill(rp_input_state *s)
{
	if (s->inpos < s->inlen || s->raw_eof)
		return 0;
	s->inlen = fread(s->in, 1, s->incap, s->raw);
	s->inpos = 0;
	s->rawread += s->inlen;
	if (s->inlen == 0) {
		s->raw_eof = 1;
		if (ferror(s->raw)) {
			snprintf(s->err, sizeof(s->err), "read error: %s",
				 strerror(errno ? errno : EIO));
			return -1;
		}
	}
	return 0;
}

/* The offset in the compressed file of the first byte not yet taken by
 * the decoder. */
static unsigned long long at(const rp_input_state *s)
{
	return (unsigned long long)(s->rawread - (s->inlen - s->inpos));
}

static ssize_t read_plain(rp_input_state *s, char *buf, size_t size)
{
	if (s->inpos < s->inlen) {
		size_t n = RP_MIN(size, s->inlen - s->inpos);
		memcpy(buf, s->in + s->inpos, n);
		s->inpos += n;
		return (ssize_t)n;
	}
	size_t n = fread(buf, 1, size, s->raw);
	if (n == 0 && ferror(s->raw)) {
		snprintf(s->err, sizeof(s->err), "read error: %s",
			 strerror(errno ? errno : EIO));
		return -1;
	}
	return (ssize_t)n;
}

/* What a decoder made before it failed is handed out first; the
 * failure at the next call (-1 from then on). */
static ssize_t failed(rp_input_state *s, size_t out)
{
	s->failed = 1;
	return out ? (ssize_t)out : -1;
}

static ssize_t read_gzip(rp_input_state *s, char *buf, size_t size)
{
	size_t out = 0;
	if (s->failed)
		return -1;
	while (out == 0 && !s->done) {
		if (refill(s) < 0)
			return -1;
		if (s->inpos == s->inlen && s->raw_eof) {
			snprintf(s->err, sizeof(s->err),
				 "gzip data ends early at byte %llu (truncated "
				 "file?)", at(s));
			return -1;
		}
		s->z.next_in = s->in + s->inpos;
		s->z.avail_in = (uInt)(s->inlen - s->inpos);
		s->z.next_out = (Bytef *)buf;
		s->z.avail_out = (uInt)RP_MIN(size, (size_t)UINT32_MAX);
		int rc = inflate(&s->z, Z_NO_FLUSH);
		s->inpos = s->inlen - s->z.avail_in;
		out = (size_t)((char *)s->z.next_out - buf);
		if (rc == Z_STREAM_END) {
			/* Concatenated members (pigz, cat a.gz b.gz) go on. */
			if (refill(s) < 0)
				return failed(s, out);
			if (s->inpos == s->inlen && s->raw_eof)
				s->done = 1;
			else
				inflateReset(&s->z);
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(s->err, sizeof(s->err), "corrupt gzip data "
				 "near byte %llu (%s)", at(s),
				 s->z.msg ? s->z.msg : zError(rc));
			return failed(s, out);
		}
	}
	return (ssize_t)out;
}

static ssize_t read_zstd(rp_input_state *s, char *buf, size_t size)
{
	ZSTD_outBuffer ob = { buf, size, 0 };
	if (s->failed)
		return -1;
	while (ob.pos == 0 && !s->done) {
		if (refill(s) < 0)
			return -1;
		if (s->inpos == s->inlen && s->raw_eof) {
			if (s->zlast != 0) {
				snprintf(s->err, sizeof(s->err),
					 "zstd data ends early at byte %llu "
					 "(truncated file?)", at(s));
				return -1;
			}
			s->done = 1;
			break;
		}
		ZSTD_inBuffer ib = { s->in, s->inlen, s->inpos };
		s->zlast = ZSTD_decompressStream(s->zs, &ob, &ib);
		s->inpos = ib.pos;
		if (ZSTD_isError(s->zlast)) {
			snprintf(s->err, sizeof(s->err), "corrupt zstd data "
				 "near byte %llu (%s)", at(s),
				 ZSTD_getErrorName(s->zlast));
			return failed(s, ob.pos);
		}
	}
	return (ssize_t)ob.pos;
}

static ssize_t decode(rp_input_state *s, char *buf, size_t size)
{
	switch (s->kind) {
	case RP_INPUT_GZIP: return read_gzip(s, buf, size);
	case RP_INPUT_ZSTD: return read_zstd(s, buf, size);
	default: return read_plain(s, buf, size);
	}
}

/* Block b decoded as far as it goes (*n bytes): > 0 full, 0 at the
 * stream's end, -1 after a failure (err says why). Decoders are always
 * asked for the same steps, whoever asks: what a failing decoder made
 * before it failed depends on how much room it had (zstd decodes a whole
 * frame into room for all of it, and then gives nothing of a damaged
 * one), and a stream must read the same on one thread or two. */
static ssize_t fill_block(rp_input_state *s, char *b, size_t *n)
{
	ssize_t r = 1;
	*n = 0;
	while (*n < AHEAD_BLOCK && (r = decode(s, b + *n, AHEAD_BLOCK - *n)) > 0)
		*n += (size_t)r;
	return r;
}

/* Decoded bytes through one block, here (no thread). */
static ssize_t read_block(rp_input_state *s, char *buf, size_t size)
{
	if (s->pos == s->blen[0] && !s->end) {
		ssize_t r = fill_block(s, s->blk[0], &s->blen[0]);
		s->pos = 0;
		if (r <= 0)
			s->end = r < 0 ? -1 : 1;
	}
	if (s->pos == s->blen[0])
		return s->end < 0 ? -1 : 0;
	size_t n = RP_MIN(size, s->blen[0] - s->pos);
	memcpy(buf, s->blk[0] + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/* The decoding thread: whole blocks, while there is room for one. */
static void *decoder(void *arg)
{
	rp_input_state *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->head - s->tail == AHEAD_BLOCKS && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		int stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
		size_t n;
		ssize_t r = fill_block(s, s->blk[s->head % AHEAD_BLOCKS], &n);
		pthread_mutex_lock(&s->mu);
		s->blen[s->head % AHEAD_BLOCKS] = n;
		if (n)
			s->head++;
		if (r <= 0)
			s->end = r < 0 ? -1 : 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		if (r <= 0)
			break;
	}
	return NULL;
}

/* The next decoded bytes from the blocks; the thread started at the
 * first read (a file only sniffed never starts one). */
static ssize_t read_ahead(rp_input_state *s, char *buf, size_t size)
{
	if (!s->ahead_on) {
		if (pthread_create(&s->th, NULL, decoder, s) != 0) {
			s->ahead = 0; /* (decoded here) */
			return read_block(s, buf, size);
		}
		s->ahead_on = 1;
	}
	pthread_mutex_lock(&s->mu);
	while (s->head == s->tail && !s->end)
		pthread_cond_wait(&s->cv, &s->mu);
	if (s->head == s->tail) {
		int end = s->end;
		pthread_mutex_unlock(&s->mu);
		return end < 0 ? -1 : 0;
	}
	pthread_mutex_unlock(&s->mu);
	size_t k = s->tail % AHEAD_BLOCKS;
	size_t n = RP_MIN(size, s->blen[k] - s->pos);
	memcpy(buf, s->blk[k] + s->pos, n);
	s->pos += n;
	if (s->pos == s->blen[k]) {
		s->pos = 0;
		pthread_mutex_lock(&s->mu);
		s->tail++;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	return (ssize_t)n;
}

static ssize_t cookie_read(void *cookie, char *buf, size_t size)
{
	rp_input_state *s = cookie;
	if (s->ahead)
		return read_ahead(s, buf, size);
	if (s->blk[0])
		return read_block(s, buf, size);
	return decode(s, buf, size);
}

static int cookie_close(void *cookie)
{
	rp_input_state *s = cookie;
	if (s->ahead_on) {
		pthread_mutex_lock(&s->mu);
		s->stop = 1;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
	}
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	for (int k = 0; k < AHEAD_BLOCKS; k++)
		free(s->blk[k]);
	if (s->z_open)
		inflateEnd(&s->z);
	ZSTD_freeDStream(s->zs);
	free(s->in);
	free(s);
	return 0;
}

/* What the read-ahead says the file is. */
static rp_input_kind sniff(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return RP_INPUT_GZIP;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return RP_INPUT_ZSTD;
	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)))
		return RP_INPUT_UTF16;
	size_t nul = 0, nul_odd = 0, nul_even = 0;
	for (size_t i = 0; i < n; i++)
		if (!p[i]) {
			nul++;
			if (i & 1)
				nul_odd++;
			else
				nul_even++;
		}
	if (n >= 16 && nul * 8 > n) {
		/* ASCII in UTF-16 without a mark: a NUL in every other byte. */
		if (nul_odd * 3 > n || nul_even * 3 > n)
			if (nul_odd <= n / 64 || nul_even <= n / 64)
				return RP_INPUT_UTF16;
		return RP_INPUT_BINARY;
	}
	return RP_INPUT_PLAIN;
}

int rp_input_open(rp_input *in, FILE *raw)
{
	memset(in, 0, sizeof(*in));
	rp_input_state *s = calloc(1, sizeof(*s));
	RETURN_ERROR_IF(!s, RP_ENOMEM);
	s->raw = raw;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->incap = CHUNK;
	s->in = malloc(s->incap);
	if (!s->in) {
		free(s);
		return RP_ENOMEM;
	}
	/* The read-ahead: up to SNIFF bytes (fewer only at the end). */
	while (s->inlen < SNIFF) {
		size_t n = fread(s->in + s->inlen, 1, SNIFF - s->inlen, raw);
		if (n == 0)
			break;
		s->inlen += n;
	}
	s->rawread = s->inlen;
	if (ferror(raw)) {
		int e = errno ? errno : EIO;
		free(s->in);
		free(s);
		errno = e;
		return RP_EIO;
	}
	s->raw_eof = s->inlen < SNIFF && feof(raw);
	s->kind = sniff(s->in, s->inlen);
	int err = RP_OK;
	if (s->kind == RP_INPUT_GZIP) {
		if (inflateInit2(&s->z, 15 + 32) != Z_OK)
			err = RP_ENOMEM;
		else
			s->z_open = 1;
	} else if (s->kind == RP_INPUT_ZSTD) {
		s->zlast = 1;
		s->zs = ZSTD_createDStream();
		if (!s->zs || ZSTD_isError(ZSTD_initDStream(s->zs)))
			err = RP_ENOMEM;
	}
	/* (decoded a block at a time: fill_block) */
	if (err == RP_OK && (s->kind == RP_INPUT_GZIP || s->kind == RP_INPUT_ZSTD) &&
	    !(s->blk[0] = malloc(AHEAD_BLOCK)))
		err = RP_ENOMEM;
	cookie_io_functions_t io = { cookie_read, NULL, NULL, cookie_close };
	FILE *fp = err == RP_OK ? fopencookie(s, "r", io) : NULL;
	if (!fp) {
		cookie_close(s);
		return err < 0 ? err : RP_ENOMEM;
	}
	in->fp = fp;
	in->kind = s->kind;
	in->state = s;
	return RP_OK;
}

int rp_input_decode_ahead(rp_input *in)
{
	rp_input_state *s = in->state;
	if (!s || s->ahead || (in->kind != RP_INPUT_GZIP &&
			       in->kind != RP_INPUT_ZSTD))
		return RP_OK;
	for (int k = 0; k < AHEAD_BLOCKS; k++)
		RETURN_ERROR_IF(!s->blk[k] && !(s->blk[k] = malloc(AHEAD_BLOCK)),
				RP_ENOMEM);
	s->ahead = 1;
	return RP_OK;
}

const char *rp_input_error(const rp_input *in)
{
	return in->state && in->state->err[0] ? in->state->err : NULL;
}

void rp_input_close(rp_input *in)
{
	if (in->fp)
		fclose(in->fp); /* frees the state, leaves raw open */
	memset(in, 0, sizeof(*in));
}

const char *rp_input_kind_name(rp_input_kind kind)
{
	switch (kind) {
	case RP_INPUT_GZIP: return "gzip";
	case RP_INPUT_ZSTD: return "zstd";
	case RP_INPUT_UTF16: return "UTF-16 text";
	case RP_INPUT_BINARY: return "binary data";
	default: return "plain";
	}
}
