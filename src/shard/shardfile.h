/*
 * shardfile.h - the files the stages over shards exchange (shard.c).
 *
 * Every file starts with a 64-byte header: magic "RPSHARD\0", format
 * version, kind, the hash of the run's parameters, payload length, and
 * the XXH3 hash of the table of block checksums that follows the
 * payload (the XXH3 of each RP_SF_BLOCK bytes of it, the last block
 * short). It is written under a temporary name in its folder and
 * renamed, so a reader sees a whole file or none (not fsynced: one torn
 * by a power loss fails its length or checksums, is refused, and its
 * task runs again). A reader checks the header and the table when it
 * opens the file, and each block when it first reads from it (with
 * pread: a stage that reads a few documents of a file checks only
 * theirs); every read of the payload is bounds checked, and a read
 * that fails either check gives nothing and marks the reader bad (a
 * file that passes its checksums but is not what its kind says is
 * refused as corrupt, never read past its end).
 *
 * Numbers are in this machine's byte order (the header's version reads
 * wrong on another, and the file is refused): the nodes of a run share
 * one binary.
 */
#ifndef RP_SHARDFILE_H
#define RP_SHARDFILE_H

#include <stdio.h>

#include "common.h"

#define RP_SHARD_FORMAT 6u
/* Bytes of payload per checksum (a page: a document read alone checks
 * about its own bytes). */
#define RP_SF_BLOCK 4096u

enum {
	RP_SF_PARAMS = 1, RP_SF_DOCS, RP_SF_LINES, RP_SF_CHROME, RP_SF_KEYS,
	RP_SF_FPS, RP_SF_FLAGS, RP_SF_CANDS, RP_SF_PENTS, RP_SF_VERIFIED,
	RP_SF_TEXTS
};

/* A file being written. */
typedef struct rp_sfw {
	FILE *fp;
	char *path, *tmp;
	uint64_t params, len;
	uint32_t kind;
	void *xxh;            /* XXH3_state_t of the current block */
	uint64_t blen;        /* bytes in the current block */
	uint64_t *blocks;     /* the checksums of the blocks so far */
	size_t nblocks, capblocks;
	int failed;           /* a write failed (errno kept in err) */
	int err_no;
} rp_sfw;

/* Open dir/name for writing (under a temporary name). RP_EIO with a
 * message in err naming the file. */
RP_INTERNAL int rp_sfw_open(rp_sfw *w, const char *dir, const char *name,
			    uint32_t kind, uint64_t params, char *err,
			    size_t errlen);
RP_INTERNAL void rp_sfw_bytes(rp_sfw *w, const void *p, size_t n);
RP_INTERNAL void rp_sfw_u8(rp_sfw *w, uint8_t v);
RP_INTERNAL void rp_sfw_u32(rp_sfw *w, uint32_t v);
RP_INTERNAL void rp_sfw_u64(rp_sfw *w, uint64_t v);
/* Zero bytes up to a multiple of a (a power of two) in the payload: an
 * array read in place (rp_sfr_array) is aligned for its type. */
RP_INTERNAL void rp_sfw_align(rp_sfw *w, size_t a);
/* A string: u32 length + 1 (0: NULL), its bytes, a NUL. */
RP_INTERNAL void rp_sfw_str(rp_sfw *w, const char *s, size_t len);
/* Finish: table, header, flush, rename (ok), or remove the temporary
 * file (!ok). RP_EIO with a message when a write failed. */
RP_INTERNAL int rp_sfw_close(rp_sfw *w, int ok, char *err, size_t errlen);

enum { RP_SFR_BUFFERED = 1, RP_SFR_AHEAD = 2 };

/* A file being read: mapped whole. */
typedef struct rp_sfr {
	const uint8_t *map;
	size_t size;
	const uint8_t *p, *end; /* the payload's unread part */
	const uint8_t *pay;     /* the payload */
	uint64_t paylen;
	int bad;                /* a read went past the end, a bad string, a
				 * damaged block, a read error */
	char *path;
	int fd1;                /* the open file, plus one (0: none) */
	uint64_t nblocks;
	uint64_t *sums;         /* the blocks' checksums (the table) */
	uint8_t *seen;          /* a bit per block: checked */
	uint8_t *buf;           /* where blocks are read to be checked */
	uint64_t win_off, win_len; /* the payload bytes buf holds */
	/* Reads answered from buf where it holds them (rp_sfr_bytes and
	 * what reads through it): no page of the mapping touched, each a
	 * page fault of microseconds on these machines; such a pointer
	 * lasts until the next read. Off: pointers into the mapping.
	 * RP_SFR_AHEAD: blocks past a read's range are read and checked
	 * with it (up to 1 MiB), for a reader going through in order. */
	int buffered;
	uint64_t damaged_block; /* 1 + the block that failed its check */
	int read_errno;         /* a block could not be read */
} rp_sfr;

/* Open and check dir/name: kind, version, parameters (params != 0),
 * checksum. RP_EIO (missing, unreadable) or RP_EINPUT (not a stage
 * file, another version or kind, other parameters, damaged) with a
 * message naming the file. */
RP_INTERNAL int rp_sfr_open(rp_sfr *r, const char *dir, const char *name,
			    uint32_t kind, uint64_t params, char *err,
			    size_t errlen);
RP_INTERNAL void rp_sfr_close(rp_sfr *r);
/* Why r went bad, in buf: a block that failed its checksum (its bytes in
 * the file), a read error, or contents that do not read as the kind. */
RP_INTERNAL const char *rp_sfr_why(const rp_sfr *r, char *buf, size_t n);
/* Let go of the pages read so far (they stay in the page cache; reading
 * on faults them in again): what a stage holds of a file it has read
 * through is not its memory. */
RP_INTERNAL void rp_sfr_release(const rp_sfr *r);
/* Reads at the cursor; past the end they give 0 / NULL and set bad. */
RP_INTERNAL uint8_t rp_sfr_u8(rp_sfr *r);
RP_INTERNAL uint32_t rp_sfr_u32(rp_sfr *r);
RP_INTERNAL uint64_t rp_sfr_u64(rp_sfr *r);
RP_INTERNAL const void *rp_sfr_bytes(rp_sfr *r, size_t n);
/* A string as rp_sfw_str wrote it (NUL-terminated in the file; NULL for
 * a NULL string, *len its length). */
RP_INTERNAL const char *rp_sfr_str(rp_sfr *r, size_t *len);
/* The n bytes at the cursor, the last a NUL, as a pointer into the
 * mapping, which lasts while r is open, also when r is buffered (the
 * terminator then checked in the buffer): a text borrowed, not read.
 * NULL and bad when short or unterminated. */
RP_INTERNAL const char *rp_sfr_kept(rp_sfr *r, size_t n);
/* Skip to the next multiple of a, as rp_sfw_align wrote it. */
RP_INTERNAL void rp_sfr_align(rp_sfr *r, size_t a);
/* Move the cursor to payload offset off (bad when past the end). */
RP_INTERNAL void rp_sfr_seek(rp_sfr *r, uint64_t off);
/* An array of n elements of size sz at the cursor (bad when short). */
RP_INTERNAL const void *rp_sfr_array(rp_sfr *r, uint64_t n, size_t sz);
/* The same array, its blocks not checked yet (a stage that reads only a
 * part of it: a binary search, then rp_sfr_check of the part it takes;
 * the parts the tasks take cover the array, so every block is checked by
 * one). */
RP_INTERNAL const void *rp_sfr_array_unchecked(rp_sfr *r, uint64_t n,
					       size_t sz);
/* Check the blocks of [p, p + n) of r's payload: 0, and bad set, when
 * one differs or cannot be read. */
RP_INTERNAL int rp_sfr_check(rp_sfr *r, const void *p, size_t n);

/* dir/name exists (a done marker, a stage's file). */
RP_INTERNAL int rp_sf_exists(const char *dir, const char *name);
/* Write the empty done marker dir/name (atomically). */
RP_INTERNAL int rp_sf_mark(const char *dir, const char *name, char *err,
			   size_t errlen);

#endif
