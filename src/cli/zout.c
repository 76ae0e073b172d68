/*
 * zout.c - output compressed by the file's name: a name ending in .gz is
 * written as gzip (zlib, level 6), one ending in .zst as zstd (level 3),
 * anything else as it is. The readers recognise both by their magic
 * bytes, so a deduplicated dump can be read back compressed.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"

enum { Z_PLAIN, Z_GZIP, Z_ZSTD };
#define ZBUF (1 << 16)

struct zout {
	FILE *fp;
	int kind, failed;
	z_stream z;
	ZSTD_CCtx *zc;
	unsigned char buf[ZBUF];
};

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n > m && strcmp(s + n - m, suf) == 0;
}

zout *zout_new(FILE *fp, const char *path)
{
	zout *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	z->fp = fp;
	if (path && ends_with(path, ".gz")) {
		z->kind = Z_GZIP;
		/* 15 + 16: a gzip header and trailer around the deflate data */
		if (deflateInit2(&z->z, 6, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK) {
			free(z);
			return NULL;
		}
	} else if (path && ends_with(path, ".zst")) {
		z->kind = Z_ZSTD;
		z->zc = ZSTD_createCCtx();
		if (!z->zc || ZSTD_isError(ZSTD_CCtx_setParameter(
				      z->zc, ZSTD_c_compressionLevel, 3))) {
			ZSTD_freeCCtx(z->zc);
			free(z);
			return NULL;
		}
	}
	return z;
}

/* Compress data (flush: the end of the stream) and write what comes out. */
static int pump(zout *z, const char *data, size_t len, int end)
{
	if (z->kind == Z_GZIP) {
		/* As zlib's zpipe.c: deflate until it leaves room in the
		 * output, which means it took all the input (and with
		 * Z_FINISH, wrote the trailer). avail_in is 32-bit: large
		 * writes go in slices. */
		const unsigned char *p = (const unsigned char *)data;
		size_t left = len;
		for (;;) {
			uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;
			int flush = end && take == left ? Z_FINISH : Z_NO_FLUSH;
			z->z.next_in = (unsigned char *)(uintptr_t)p;
			z->z.avail_in = take;
			do {
				z->z.next_out = z->buf;
				z->z.avail_out = ZBUF;
				if (deflate(&z->z, flush) == Z_STREAM_ERROR)
					return -1;
				size_t out = ZBUF - z->z.avail_out;
				if (out && fwrite(z->buf, 1, out, z->fp) != out)
					return -1;
			} while (z->z.avail_out == 0);
			p += take;
			left -= take;
			if (!left)
				return 0;
		}
	}
	ZSTD_inBuffer in = { data, len, 0 };
	for (;;) {
		ZSTD_outBuffer out = { z->buf, ZBUF, 0 };
		size_t left = ZSTD_compressStream2(z->zc, &out, &in,
						   end ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(left))
			return -1;
		if (out.pos && fwrite(z->buf, 1, out.pos, z->fp) != out.pos)
			return -1;
		if (end ? left == 0 : in.pos == in.size)
			return 0;
	}
}

int zout_write(const char *data, size_t len, void *userdata)
{
	zout *z = userdata;
	if (z->failed)
		return -1;
	if (z->kind == Z_PLAIN) {
		if (len && fwrite(data, 1, len, z->fp) != len)
			z->failed = 1;
	} else if (len && pump(z, data, len, 0) < 0) {
		z->failed = 1;
	}
	return z->failed ? -1 : 0;
}

int zout_end(zout *z)
{
	if (!z)
		return 0;
	if (!z->failed && z->kind != Z_PLAIN && pump(z, "", 0, 1) < 0)
		z->failed = 1;
	if (z->kind == Z_GZIP)
		deflateEnd(&z->z);
	ZSTD_freeCCtx(z->zc);
	int rc = z->failed ? -1 : 0;
	free(z);
	return rc;
}
