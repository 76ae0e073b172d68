/*
 * input.h - a file's bytes as the readers want them: decompressed when
 * gzip or zstd, recognised by their magic bytes whatever the name; UTF-16
 * and binary data recognised so that a reader can name them once.
 */
#ifndef RP_INPUT_H
#define RP_INPUT_H

#include <stdio.h>

#include "common.h"

typedef enum rp_input_kind {
	RP_INPUT_PLAIN, RP_INPUT_GZIP, RP_INPUT_ZSTD, RP_INPUT_UTF16,
	RP_INPUT_BINARY
} rp_input_kind;

typedef struct rp_input_state rp_input_state;

typedef struct rp_input {
	FILE *fp;             /* the decoded bytes (plain, gzip, zstd) */
	rp_input_kind kind;
	rp_input_state *state;
} rp_input;

/* Sniff raw (reading ahead up to 4 KiB) and open in->fp over its decoded
 * bytes; raw stays open and is the caller's. For UTF-16 and binary input
 * in->fp yields the raw bytes; a reader rejects them by kind. Returns
 * RP_OK, RP_EIO (reading raw failed; errno says why), RP_ENOMEM. */
RP_INTERNAL int rp_input_open(rp_input *in, FILE *raw);

/* Decode a compressed stream on a thread of its own, a few blocks of
 * 1 MiB ahead of the reader (from the first read; nothing for plain
 * bytes). RP_OK or RP_ENOMEM. */
RP_INTERNAL int rp_input_decode_ahead(rp_input *in);

/* Why reading in->fp failed (corrupt or truncated compressed data, a read
 * error), or NULL. */
RP_INTERNAL const char *rp_input_error(const rp_input *in);

RP_INTERNAL void rp_input_close(rp_input *in);

/* "gzip", "zstd", "UTF-16 text", "binary data", "plain". */
RP_INTERNAL const char *rp_input_kind_name(rp_input_kind kind);

#endif
