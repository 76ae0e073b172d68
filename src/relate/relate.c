/*
 * relate.c - from verified pairs to what a person reads: filters,
 * relations, sources, passages and edits, and the pairs that are left out
 * (templates, passages that alignment did not confirm).
 *
 * Alignment runs on the analysis's threads, each taking the next chunk of
 * pairs in the order of the groups of documents they connect, and keeping
 * the tokens of the documents it saw last (align_worker). Each text is
 * tokenized in the mode it was shingled in (the analysis's chars[]).
 * rp_verify_relate verifies candidates in the same pass: the tokens a
 * pair is aligned on are those its shingle sets are made of, so a
 * candidate's texts are tokenized once for both.
 */
#include "result.h"

#include <string.h>

#include "align.h"
#include "pairs.h"
#include "relation.h"
#include "shingle.h"
#include "verify.h"

/*
 * A pair kept only for a passage shows one: min_run words (or characters
 * of two character texts) that run on with no edit, or a passage whose
 * unedited words reach min_run with at most one edited word in every
 * RP_PASSAGE_WORDS_PER_EDIT of its words: a paragraph copied with a typo
 * made or mended, or a word changed ("is" / "in", "forget" / "foget"),
 * is still copied. Denser edits are writing of one's own around shared
 * phrases. Either way no figure changed: a passage whose figures changed
 * is a formula filled with other data (a market report, a filing
 * notice), not an excerpt. Checked on the syndication seeds (excerpts
 * with a typo inside their one shared paragraph were missed: recall
 * 0.994 / 0.997 / 0.996 -> 0.996 / 0.998 / 0.998, no pair more that is
 * false; one edit in 20 words adds false ones) and on the gen_news
 * collections (recall up 0.0004-0.016, none false).
 */
#define RP_PASSAGE_WORDS_PER_EDIT 30

static int shows_passage(const rp_align *al, size_t min_run)
{
	if (al->figure_edits)
		return 0;
	if (al->longest_run >= min_run)
		return 1;
	for (size_t x = 0; x < al->npass; x++) {
		const rp_passage *p = &al->pass[x];
		size_t edited = p->substituted + p->inserted + p->deleted;
		size_t same = p->words_a - p->substituted - p->deleted;
		if (same >= min_run &&
		    edited * RP_PASSAGE_WORDS_PER_EDIT <= p->words_a)
			return 1;
	}
	return 0;
}

int rp_result_new(rp_result **out, const rp_corpus *c, const rp_question *q)
{
	rp_result *r = calloc(1, sizeof(*r));
	RETURN_ERROR_IF(!r, RP_ENOMEM);
	r->corpus = c;
	r->an = c->an;
	r->q = *q;
	r->ndocs = c->ndocs;
	r->verdict = -1;
	r->why = "";
	/* The passage rule of a pair of character texts, in characters:
	 * RP_CHAR_PASSAGE_FACTOR x min_passage, and never less than the run
	 * the winnowing window guarantees to find. The window w is the one
	 * of word texts (the same fingerprints serve every document), and a
	 * run of L characters holds L - RP_CHAR_TEXT_K + 1 shingles, so it
	 * is found for L >= RP_PASSAGE_FPS w + RP_CHAR_TEXT_K - 1. With the
	 * defaults (P = 25 words, k = 5) w = 7 and that is 25 characters,
	 * under the 50 of the rule; since w <= (P - k + 1) / 3 it is at most
	 * P - k + 5 <= 2P whenever P >= 5 - k, and the max covers the rest.
	 * Verification keeps a tentative pair sharing P - k + 1 shingles
	 * (the word figure); a run of char_passage characters holds
	 * char_passage - 4 >= P - k + 1 of them, so it keeps every character
	 * pair that can pass, and alignment decides. */
	if (q->min_passage > 0) {
		unsigned w = rp_winnow_window((unsigned)q->min_passage, c->ao.k);
		r->char_passage = RP_MAX((size_t)RP_CHAR_PASSAGE_FACTOR *
						 (size_t)q->min_passage,
					 (size_t)RP_PASSAGE_FPS * w +
						 RP_CHAR_TEXT_K - 1);
	}
	*out = r;
	return RP_OK;
}

int rp_result_alloc_pairs(rp_result *r)
{
	size_t need = r->npairs + 1, had = r->cappass;
	if (need <= had)
		return RP_OK;
	size_t cap = RP_MAX(need, had + had / 2);
	rp_passage **pass = reallocarray(r->pass, cap, sizeof(*pass));
	if (pass)
		r->pass = pass;
	rp_edit **edits = reallocarray(r->edits, cap, sizeof(*edits));
	if (edits)
		r->edits = edits;
	size_t *nedits = reallocarray(r->nedits, cap, sizeof(*nedits));
	if (nedits)
		r->nedits = nedits;
	RETURN_ERROR_IF(!pass || !edits || !nedits, RP_ENOMEM);
	memset(r->pass + had, 0, (cap - had) * sizeof(*pass));
	memset(r->edits + had, 0, (cap - had) * sizeof(*edits));
	memset(r->nedits + had, 0, (cap - had) * sizeof(*nedits));
	r->cappass = cap;
	return RP_OK;
}

int rp_speaks_of_correction(const rp_doc *d)
{
	static const char *words[] = { "corrected", "corrects", "correction" };
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if ((d->title && strcasestr(d->title, words[k])) ||
		    strcasestr(d->text, words[k]))
			return 1;
	return 0;
}

/* What a thread of rp_relate_range or rp_verify_relate does. Relating
 * pairs: r->pairs[from, to) (out[] NULL). Verifying candidates first:
 * cand[0..to), each scored (and kept or not) into out[], with its
 * relation, tentative mark, passages and edits beside it. */
typedef struct align_job {
	rp_result *r;
	int keep_all;
	size_t *next;   /* the next chunk to take, of to - from (atomic) */
	const uint32_t *order; /* the pairs in the order taken, or NULL */
	size_t from, to; /* the pairs [from, to) */
	/* verifying (rp_verify_relate): */
	const uint64_t *cand;
	const uint8_t *keep;   /* per candidate: among the passage
				  candidates, or NULL */
	size_t keep_shared;
	struct verified *out;  /* per candidate */
	size_t filtered, built;
	double verify_s, align_s; /* this thread's seconds, each way */
	int err;
} align_job;

/* A candidate once verified: kept (the pair, with its relation) or not. */
typedef struct verified {
	rp_pair p;
	rp_passage *pass;
	rp_edit *edits;
	size_t nedits;
	uint8_t kept, tent;
} verified;

/* Pairs come sorted by (a, b), and a cluster's documents lie anywhere in
 * the collection: its pairs (x1, x2), (x1, x3), ..., (x2, x3), ... are far
 * apart in that order. They are taken by connected group of documents
 * (rp_relate_pairs), in chunks of ALIGN_CHUNK, and a thread keeps the
 * tokens of its last TOK_SLOTS documents, so that a group's texts are
 * mostly tokenized once (news 100k, 54,500 pairs: 80,400 tokenizations
 * taken in (a, b) order with 8 slots, 79,400 with 64; by group 58,100
 * with 8, 55,100 with 32). Verifying, a slot keeps the document's
 * shingle set beside its tokens. */
enum { TOK_SLOTS = 32, ALIGN_CHUNK = 64 };

typedef struct tok_cache {
	rp_tokbuf tb[TOK_SLOTS];
	rp_shinglebuf set[TOK_SLOTS]; /* verifying: the document's set */
	uint8_t has_set[TOK_SLOTS];
	size_t doc[TOK_SLOTS]; /* SIZE_MAX: empty */
	uint64_t used[TOK_SLOTS], clock;
	rp_tokbuf titled; /* a text with its title, for its set */
	size_t built;     /* sets made */
} tok_cache;

/* The slot of document d, tokenized now unless a slot holds it (then
 * the least recently used slot takes it); with_set: its shingle set
 * too, made from the same tokens where they are the set's
 * (rp_analysis_tokens_shared). */
static int cached_doc(tok_cache *tc, const rp_corpus *c, const rp_analysis *an,
		      rp_scratch *sc, size_t d, int with_set, unsigned *slot)
{
	unsigned x, lru = 0;
	for (x = 0; x < TOK_SLOTS; x++) {
		if (tc->doc[x] == d)
			break;
		if (tc->used[x] < tc->used[lru])
			lru = x;
	}
	int shared = with_set && rp_analysis_tokens_shared(c, d);
	if (x == TOK_SLOTS) {
		x = lru;
		tc->doc[x] = SIZE_MAX;
		tc->has_set[x] = 0;
		if (shared)
			FORWARD_IF_ERROR(rp_analysis_set_tokens(c, d, &tc->tb[x],
								sc));
		else
			FORWARD_IF_ERROR(rp_doc_tokens(
				c, &an->boil, &tc->tb[x], sc, d,
				RP_DOC_APART | (an->chars[d] ? RP_TOK_CHARS : 0),
				0));
		tc->doc[x] = d;
	}
	if (with_set && !tc->has_set[x]) {
		const rp_tokbuf *st = &tc->tb[x];
		if (!shared) {
			FORWARD_IF_ERROR(rp_analysis_set_tokens(c, d, &tc->titled,
								sc));
			st = &tc->titled;
		}
		FORWARD_IF_ERROR(rp_analysis_set_of(c, d, st, &tc->set[x]));
		tc->has_set[x] = 1;
		tc->built++;
	}
	tc->used[x] = ++tc->clock;
	*slot = x;
	return RP_OK;
}

/* Keep the passages and edits alignment found for pair p. */
static int keep_passages(rp_pair *p, rp_passage **pass, rp_edit **edits,
			 size_t *nedits, const rp_align *al)
{
	*pass = reallocarray(NULL, al->npass, sizeof(rp_passage));
	*edits = reallocarray(NULL, al->nedits ? al->nedits : 1,
			      sizeof(rp_edit));
	RETURN_ERROR_IF(!*pass || !*edits, RP_ENOMEM);
	memcpy(*pass, al->pass, al->npass * sizeof(rp_passage));
	if (al->nedits)
		memcpy(*edits, al->edits, al->nedits * sizeof(rp_edit));
	*nedits = al->nedits;
	p->passages = al->npass;
	p->shared_words = al->shared_words;
	return RP_OK;
}

/* Relation, source and (when the question aligns) passages and edits of
 * pair p, of tokens ta and tb; *tent (or NULL) its tentative mark. A pair
 * kept only for a passage is aligned to find it, even with alignment
 * turned off, and left unclassified without one unless keep_all. */
static int relate_one(const rp_result *r, int keep_all, rp_pair *p,
		      uint8_t *tent, const rp_tokbuf *ta, const rp_tokbuf *tb,
		      rp_align *al, rp_scratch *sc, rp_passage **pass,
		      rp_edit **edits, size_t *nedits)
{
	const rp_corpus *c = r->corpus;
	const rp_analysis *an = r->an;
	const rp_analysis_options *o = &c->ao;
	const rp_doc *da = &c->docs[p->a], *db = &c->docs[p->b];
	int align = r->q.align;
	/* Each text in the mode it was shingled in; a pair of two
	 * character texts anchors on characters and measures its
	 * passage in them. Any other pair can share only words (a
	 * character text keeps its Latin words and figures whole). */
	int ca = an->chars[p->a], cb = an->chars[p->b];
	unsigned k = ca && cb ? RP_CHAR_TEXT_K
		     : o->shingle == RP_SHINGLE_WORD ? o->k : 5;
	size_t min_run = ca && cb ? r->char_passage
				  : (size_t)r->q.min_passage;
	int tentative = tent && *tent == TENT_PASSAGE;
	if (align || tentative)
		FORWARD_IF_ERROR(rp_align_tokens(al, ta->tok, ta->ntok, tb->tok,
						 tb->ntok, k, (uint64_t)p->a + 1));
	/* It must show a passage of min_passage words (or
	 * char_passage characters; shows_passage). */
	if (tentative) {
		int found = shows_passage(al, min_run);
		*tent = found ? TENT_CONFIRMED : TENT_DROP;
		if (!found && !keep_all)
			return RP_OK;
	}
	if (align && al->npass)
		FORWARD_IF_ERROR(keep_passages(p, pass, edits, nedits, al));
	rp_align_summary sum = { ta->ntok, tb->ntok, 0, 0, 0,
				 al->figure_edits, al->word_edits,
				 al->lead_a, al->lead_b, al->trail_a,
				 al->trail_b, 0, al->figure_places };
	for (size_t x = 0; align && x < al->npass; x++) {
		sum.covered_a += al->pass[x].words_a;
		sum.covered_b += al->pass[x].words_b;
		sum.edited += al->pass[x].inserted + al->pass[x].deleted +
			      al->pass[x].substituted;
	}
	/* Only a would-be template needs the (text-long) look. */
	if (align && ((al->word_edits == 0 && al->figure_edits > 0) ||
		      rp_formula_filled(&sum))) {
		/* (through the mapping: its pages are paced) */
		rp_corpus_pace(c, &sc->paced, 2 * RP_PACE_RANDOM);
		sum.correction = rp_speaks_of_correction(da) ||
				 rp_speaks_of_correction(db);
	}
	p->relation = rp_classify(p->containment_a, p->containment_b,
				  rp_tokens_equal(ta->tok, ta->ntok, tb->tok,
						  tb->ntok),
				  align ? &sum : NULL);
	p->source = rp_source_of(p->relation, p->containment_a,
				 p->containment_b, da->has_timestamp,
				 da->timestamp, db->has_timestamp,
				 db->timestamp);
	return RP_OK;
}

/* Candidate x of a verifying job: scored on the two sets, and kept as
 * rp_verify keeps it (verify.c's verify_range) unless the question's
 * filters leave it out; a kept one related. */
static int verify_one(align_job *job, tok_cache *tc, rp_align *al,
		      rp_scratch *sc, size_t x)
{
	rp_result *r = job->r;
	const rp_corpus *c = r->corpus;
	verified *v = &job->out[x];
	size_t a = RP_PAIR_A(job->cand[x]), b = RP_PAIR_B(job->cand[x]);
	unsigned sa, sb;
	double t0 = rp_now();
	v->kept = 0;
	FORWARD_IF_ERROR(cached_doc(tc, c, r->an, sc, a, 1, &sa));
	FORWARD_IF_ERROR(cached_doc(tc, c, r->an, sc, b, 1, &sb));
	rp_score_sets(&v->p, a, tc->set[sa].h, tc->set[sa].n, b,
		      tc->set[sb].h, tc->set[sb].n);
	int passed = rp_pair_passes(&v->p, r->q.threshold, r->q.containment);
	int kept = !passed && job->keep && job->keep[x] &&
		   v->p.shared >= job->keep_shared;
	double t1 = rp_now();
	job->verify_s += t1 - t0;
	if (!passed && !kept)
		return RP_OK;
	if (rp_pair_filtered(r, &v->p)) {
		job->filtered++;
		return RP_OK;
	}
	v->kept = 1;
	v->tent = kept ? TENT_PASSAGE : TENT_NONE;
	int err = relate_one(r, 0, &v->p, &v->tent, &tc->tb[sa], &tc->tb[sb],
			     al, sc, &v->pass, &v->edits, &v->nedits);
	job->align_s += rp_now() - t1;
	return err;
}

static void *align_worker(void *arg)
{
	align_job *job = arg;
	rp_result *r = job->r;
	const rp_corpus *c = r->corpus;
	tok_cache tc;
	rp_align al;
	rp_scratch sc;

	memset(&tc, 0, sizeof(tc));
	for (unsigned x = 0; x < TOK_SLOTS; x++)
		tc.doc[x] = SIZE_MAX;
	memset(&al, 0, sizeof(al));
	memset(&sc, 0, sizeof(sc));
	size_t i = 0, end = 0, n = job->to - job->from;
	for (;; i++) {
		if (i == end) {
			i = __atomic_fetch_add(job->next, ALIGN_CHUNK,
					       __ATOMIC_RELAXED);
			if (i >= n)
				break;
			end = RP_MIN(i + ALIGN_CHUNK, n);
			/* The chunk's texts asked for at once: from a spool
			 * on disk they then come in parallel, not one read
			 * at a time. */
			for (size_t x = i; x < end; x++) {
				size_t pi = job->order ? job->order[x]
						       : job->from + x;
				if (job->cand) {
					rp_corpus_prefetch(c, RP_PAIR_A(job->cand[pi]));
					rp_corpus_prefetch(c, RP_PAIR_B(job->cand[pi]));
				} else {
					rp_corpus_prefetch(c, r->pairs[pi].a);
					rp_corpus_prefetch(c, r->pairs[pi].b);
				}
			}
		}
		size_t pi = job->order ? job->order[i] : job->from + i;
		int err;
		if (job->cand) {
			err = verify_one(job, &tc, &al, &sc, pi);
		} else {
			rp_pair *p = &r->pairs[pi];
			unsigned sa, sb;
			err = cached_doc(&tc, c, r->an, &sc, p->a, 0, &sa);
			if (err == RP_OK)
				err = cached_doc(&tc, c, r->an, &sc, p->b, 0, &sb);
			if (err == RP_OK)
				err = relate_one(r, job->keep_all, p,
						 r->tent ? &r->tent[pi] : NULL,
						 &tc.tb[sa], &tc.tb[sb], &al, &sc,
						 &r->pass[pi], &r->edits[pi],
						 &r->nedits[pi]);
		}
		if (err < 0) {
			job->err = err;
			break;
		}
	}
	job->built = tc.built;
	for (unsigned x = 0; x < TOK_SLOTS; x++) {
		rp_tokbuf_free(&tc.tb[x]);
		rp_shinglebuf_free(&tc.set[x]);
	}
	rp_tokbuf_free(&tc.titled);
	rp_align_free(&al);
	rp_scratch_free(&sc);
	return NULL;
}

/* The root of d's group (parent[x]: x's parent + 1, 0 for a root not yet
 * met), halving the path. */
static uint32_t group_of(uint32_t *parent, uint32_t d)
{
	while (parent[d] && parent[d] - 1 != d) {
		uint32_t up = parent[d] - 1;
		if (parent[up] && parent[up] - 1 != up)
			parent[d] = parent[up];
		d = up;
	}
	return d;
}

/* Pair i's documents: of cand[i] (RP_PAIR), else of pr[i]. */
#define PAIR_DOC_A(i) (cand ? RP_PAIR_A(cand[i]) : pr[i].a)
#define PAIR_DOC_B(i) (cand ? RP_PAIR_B(cand[i]) : pr[i].b)

/* The indexes of the n pairs pr[0..n) (or of the candidates cand[0..n))
 * plus base, by (group of documents they connect, a, b), descending,
 * into *out, or NULL there when the pairs' own order is kept (a single
 * pair). Groups are numbered by their first document, so the texts are
 * asked for about in file order, from the end: a pass before (in file
 * order) leaves the page cache holding the end of a spool larger than
 * it, which a pass from the start would evict before reaching it (10M
 * bench documents: a 41 GB spool, 18 GB of cache). */
static int group_order(size_t nd, const rp_pair *pr, const uint64_t *cand,
		       size_t n, size_t base, uint32_t **groups, uint32_t **out)
{
	*out = NULL;
	if (n < 2 || base + n > UINT32_MAX || nd > UINT32_MAX)
		return RP_OK;
	if (!*groups)
		*groups = calloc(nd, sizeof(**groups));
	uint32_t *parent = *groups;
	rp_kv *kv = reallocarray(NULL, n, 2 * sizeof(*kv));
	uint32_t *order = reallocarray(NULL, n, sizeof(*order));
	if (!parent || !kv || !order) {
		free(kv);
		free(order);
		return RP_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t a = group_of(parent, (uint32_t)PAIR_DOC_A(i)),
			 b = group_of(parent, (uint32_t)PAIR_DOC_B(i));
		if (a != b) /* (the smaller root stays) */
			parent[RP_MAX(a, b)] = RP_MIN(a, b) + 1;
	}
	for (size_t i = 0; i < n; i++)
		kv[i] = (rp_kv){ (uint64_t)group_of(parent,
						    (uint32_t)PAIR_DOC_A(i)) << 32 |
					 PAIR_DOC_A(i), base + i };
	rp_sort_kv(kv, kv + n, n);
	for (size_t i = 0; i < n; i++)
		order[n - 1 - i] = (uint32_t)kv[i].val;
	/* Zero again for the next range: only the pairs' documents were
	 * written (every root is one of them). */
	for (size_t i = 0; i < n; i++)
		parent[PAIR_DOC_A(i)] = parent[PAIR_DOC_B(i)] = 0;
	free(kv);
	*out = order;
	return RP_OK;
}
#undef PAIR_DOC_A
#undef PAIR_DOC_B

int rp_relate_pairs(rp_result *r, int keep_all)
{
	uint32_t *groups = NULL;
	int err = rp_relate_range(r, 0, r->npairs, keep_all, &groups);
	free(groups);
	return err;
}

/* The threads of a job over n pairs or candidates, in order. */
static int run_align(align_job *proto, size_t n, align_job *jobs,
		     unsigned *nt)
{
	size_t next = 0;
	*nt = rp_thread_count(proto->r->corpus->ao.threads, n);
	for (unsigned t = 0; t < *nt; t++) {
		jobs[t] = *proto;
		jobs[t].next = &next;
	}
	rp_run_jobs(align_worker, jobs, sizeof(jobs[0]), *nt);
	for (unsigned t = 0; t < *nt; t++)
		if (jobs[t].err < 0)
			return jobs[t].err;
	return RP_OK;
}

int rp_relate_range(rp_result *r, size_t from, size_t to, int keep_all,
		    uint32_t **groups)
{
	if (to <= from)
		return RP_OK;
	align_job jobs[RP_MAX_THREADS];
	unsigned nt;
	uint32_t *order;
	FORWARD_IF_ERROR(group_order(r->corpus->ndocs, r->pairs + from, NULL,
				     to - from, from, groups, &order));
	align_job proto = { .r = r, .keep_all = keep_all, .order = order,
			    .from = from, .to = to };
	int err = run_align(&proto, to - from, jobs, &nt);
	free(order);
	return err;
}

int rp_verify_relate(rp_result *r, const uint64_t *cand, size_t ncand,
		     const uint64_t *keep, size_t nkeep, size_t keep_shared,
		     uint32_t **groups, size_t *cap, size_t *capt,
		     rp_verify_relate_stats *st)
{
	if (!ncand)
		return RP_OK;
	align_job jobs[RP_MAX_THREADS];
	unsigned nt = 0;
	uint32_t *order = NULL;
	uint8_t *kept = NULL;
	int err = RP_OK, tentative = r->q.min_passage > 0;
	double t0 = rp_now();
	verified *out = calloc(ncand, sizeof(*out));
	GOTO_IF(!out, RP_ENOMEM);
	if (tentative && nkeep) {
		/* (both sorted: which candidates are passage candidates) */
		kept = calloc(ncand, 1);
		GOTO_IF(!kept, RP_ENOMEM);
		for (size_t i = 0, k = 0; i < ncand; i++) {
			while (k < nkeep && keep[k] < cand[i])
				k++;
			kept[i] = k < nkeep && keep[k] == cand[i];
		}
	}
	GOTO_IF_ERROR(group_order(r->corpus->ndocs, NULL, cand, ncand, 0,
				  groups, &order));
	align_job proto = { .r = r, .order = order, .to = ncand, .cand = cand,
			    .keep = kept, .keep_shared = keep_shared,
			    .out = out };
	err = run_align(&proto, ncand, jobs, &nt);
	double cpu_v = 0, cpu_a = 0;
	for (unsigned t = 0; t < nt; t++) {
		r->stats.filtered += jobs[t].filtered;
		st->sets_built += jobs[t].built;
		cpu_v += jobs[t].verify_s;
		cpu_a += jobs[t].align_s;
	}
	GOTO_IF_ERROR(err);
	/* The kept pairs, in the candidates' order (rp_verify's). */
	size_t np = 0, from = r->npairs;
	for (size_t i = 0; i < ncand; i++)
		np += out[i].kept;
	GOTO_IF_ERROR(RP_GROW(r->pairs, *cap, from + np + 1));
	if (tentative)
		GOTO_IF_ERROR(RP_GROW(r->tent, *capt, from + np + 1));
	r->npairs = from + np;
	err = rp_result_alloc_pairs(r);
	if (err < 0)
		r->npairs = from;
	GOTO_IF_ERROR(err);
	for (size_t i = 0, w = from; i < ncand; i++) {
		if (!out[i].kept)
			continue;
		r->pairs[w] = out[i].p;
		if (tentative)
			r->tent[w] = out[i].tent;
		r->pass[w] = out[i].pass;
		r->edits[w] = out[i].edits;
		r->nedits[w] = out[i].nedits;
		out[i].pass = NULL;
		out[i].edits = NULL;
		w++;
	}
	/* The pass's seconds, split as its threads spent them. */
	double wall = rp_now() - t0;
	if (cpu_v + cpu_a > 0)
		st->align_s += wall * cpu_a / (cpu_v + cpu_a);
cleanup:
	for (size_t i = 0; out && i < ncand; i++) {
		free(out[i].pass);
		free(out[i].edits);
	}
	free(out);
	free(kept);
	free(order);
	return err;
}

const char *rp_pair_filtered(const rp_result *r, const rp_pair *p)
{
	const rp_question *q = &r->q;
	const rp_doc *da = &r->corpus->docs[p->a], *db = &r->corpus->docs[p->b];
	const uint32_t *out = r->an->outlet_of;
	if (q->cross_outlet && out[p->a] != RP_NO_OUTLET &&
	    out[p->a] == out[p->b])
		return "both of one outlet (cross_outlet)";
	if (q->window > 0 && da->has_timestamp && db->has_timestamp) {
		int64_t dt = da->timestamp - db->timestamp;
		if ((dt < 0 ? -dt : dt) > q->window)
			return "published further apart than the window";
	}
	return NULL;
}

void rp_filter_pairs(rp_result *r)
{
	rp_filter_pairs_from(r, 0);
}

void rp_filter_pairs_from(rp_result *r, size_t from)
{
	size_t w = from;
	if (!r->q.cross_outlet && r->q.window <= 0)
		return;
	for (size_t i = from; i < r->npairs; i++) {
		if (rp_pair_filtered(r, &r->pairs[i])) {
			r->stats.filtered++;
			continue;
		}
		if (r->tent)
			r->tent[w] = r->tent[i];
		r->pairs[w++] = r->pairs[i];
	}
	r->npairs = w;
}

void rp_drop_pairs(rp_result *r)
{
	size_t w = 0;
	for (size_t i = 0; i < r->npairs; i++) {
		int tpl = r->pairs[i].relation == RP_REL_TEMPLATE &&
			  !r->q.keep_templates;
		if (tpl || (r->tent && r->tent[i] == TENT_DROP)) {
			free(r->pass[i]);
			free(r->edits[i]);
			r->stats.templates += tpl;
			continue;
		}
		r->pairs[w] = r->pairs[i];
		r->pass[w] = r->pass[i];
		r->edits[w] = r->edits[i];
		r->nedits[w] = r->nedits[i];
		w++;
	}
	r->npairs = w;
}
