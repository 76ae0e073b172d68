/*
 * keyspill.c - band keys set aside in a temporary file (keyspill.h).
 */
#include "keyspill.h"

#include "spool.h"

int rp_keyspill_new(rp_keyspill **out, rp_tmpfile *tf, unsigned bands,
		    unsigned rows, size_t ndocs, unsigned nthreads, size_t hold)
{
	RETURN_ERROR_IF(!out || !tf || !bands || !nthreads, RP_EINVAL);
	rp_keyspill *ks = calloc(1, sizeof(*ks));
	RETURN_ERROR_IF(!ks, RP_ENOMEM);
	ks->part = calloc(nthreads, sizeof(*ks->part));
	if (!ks->part) {
		free(ks);
		return RP_ENOMEM;
	}
	ks->tf = tf;
	ks->bands = bands;
	ks->rows = rows;
	ks->nparts = nthreads;
	ks->ndocs = ndocs;
	ks->flush_rows = RP_MAX(hold / (bands * sizeof(uint64_t)), (size_t)64);
	*out = ks;
	return RP_OK;
}

/* Append thread part p's rows to the file, a band at a time. */
static int flush_part(rp_keyspill *ks, rp_keypart *p)
{
	size_t n = p->nrows;
	if (!n)
		return RP_OK;
	FORWARD_IF_ERROR(rp_grow((void **)&p->col, &(size_t){ 0 }, n,
				 sizeof(*p->col)));
	for (unsigned b = 0; b < ks->bands; b++) {
		for (size_t i = 0; i < n; i++)
			p->col[i] = p->rows[i * ks->bands + b];
		uint64_t off;
		FORWARD_IF_ERROR(rp_tmpfile_append(ks->tf, p->col,
						   n * sizeof(*p->col), &off));
		FORWARD_IF_ERROR(RP_GROW(p->run, p->caprun, p->nrun + 1));
		p->run[p->nrun++] = (rp_keyrun){ off, p->flushed,
						  (uint32_t)n, b };
	}
	p->flushed += n;
	p->nrows = 0;
	free(p->col);
	p->col = NULL;
	return RP_OK;
}

int rp_keyspill_add(rp_keyspill *ks, unsigned tid, size_t doc,
		    const uint64_t *keys)
{
	rp_keypart *p = &ks->part[tid];
	rp_keyseg *last = p->nseg ? &p->seg[p->nseg - 1] : NULL;
	int extends = last && doc == (size_t)last->first + last->count;
	RETURN_ERROR_IF(doc >= ks->ndocs || doc > UINT32_MAX ||
				(last && !extends &&
				 doc < (size_t)last->first + last->count),
			RP_EINVAL);
	FORWARD_IF_ERROR(rp_grow((void **)&p->rows, &p->caprows,
				 (p->nrows + 1) * ks->bands, sizeof(*p->rows)));
	if (extends) {
		p->seg[p->nseg - 1].count++;
	} else {
		FORWARD_IF_ERROR(RP_GROW(p->seg, p->capseg, p->nseg + 1));
		p->seg[p->nseg++] = (rp_keyseg){ (uint32_t)doc, 1 };
	}
	uint64_t *row = p->rows + p->nrows * ks->bands;
	if (keys)
		memcpy(row, keys, ks->bands * sizeof(*row));
	else
		memset(row, 0, ks->bands * sizeof(*row));
	if (++p->nrows >= ks->flush_rows)
		return flush_part(ks, p);
	return RP_OK;
}

int rp_keyspill_finish(rp_keyspill *ks)
{
	for (unsigned t = 0; t < ks->nparts; t++) {
		FORWARD_IF_ERROR(flush_part(ks, &ks->part[t]));
		free(ks->part[t].rows);
		ks->part[t].rows = NULL;
		ks->part[t].caprows = 0;
	}
	return RP_OK;
}

int rp_keyspill_band(rp_keyspill *ks, unsigned band, uint64_t *kb)
{
	uint64_t *buf = NULL;
	size_t cap = 0;
	int err = RP_OK;
	for (unsigned t = 0; t < ks->nparts; t++) {
		const rp_keypart *p = &ks->part[t];
		/* A band's runs come in row order: one walk of the segments
		 * (seg s holds rows segrow .. segrow + its count - 1). */
		size_t s = 0;
		uint64_t segrow = 0;
		for (size_t r = 0; r < p->nrun; r++) {
			const rp_keyrun *run = &p->run[r];
			if (run->band != band)
				continue;
			GOTO_IF_ERROR(rp_grow((void **)&buf, &cap, run->count,
					      sizeof(*buf)));
			GOTO_IF_ERROR(rp_tmpfile_read(ks->tf, buf,
						      run->count * sizeof(*buf),
						      run->off));
			for (size_t i = 0; i < run->count; i++) {
				uint64_t row = run->row + i;
				while (s < p->nseg &&
				       row >= segrow + p->seg[s].count)
					segrow += p->seg[s++].count;
				GOTO_IF(s == p->nseg || row < segrow, RP_ESTATE);
				size_t d = p->seg[s].first + (size_t)(row - segrow);
				GOTO_IF(d >= ks->ndocs, RP_ESTATE);
				kb[d] = buf[i];
			}
		}
	}
cleanup:
	free(buf);
	return err;
}

void rp_keyspill_free(rp_keyspill *ks)
{
	if (!ks)
		return;
	for (unsigned t = 0; t < ks->nparts; t++) {
		free(ks->part[t].rows);
		free(ks->part[t].col);
		free(ks->part[t].run);
		free(ks->part[t].seg);
	}
	free(ks->part);
	free(ks);
}
