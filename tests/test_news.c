/* News tests: one story reprinted by four outlets, each page wrapped in its
 * site's chrome (the seed page's "Related Post" / "Share" / "Recent Posts",
 * an English, a Lithuanian and a German site), as a full, a trimmed and a
 * lightly edited reprint, among different short stories in the same
 * chromes. `reprint scan` with the defaults must report every pair of
 * pages carrying the story and no pair of two different stories.
 *
 * The first test builds its text tree at run time from
 * ../shared/seeds/wire-reprint-page.txt (third-party text, never copied
 * into the repository; skipped when absent); the second scans the
 * invented tree in tests/fixtures/news-folder, whose README.md is the
 * truth. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static const char *bin(void) { return tu_bin(1); }

/* One page of a tree and the truth about it. kind is "verbatim" (the
 * full story word for word), "trimmed", "light_edit" or "different". */
typedef struct {
	char id[256];
	char story[64];
	char kind[32];
} page;

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	size_t got = fread(buf, 1, (size_t)n, fp);
	buf[got] = '\0';
	fclose(fp);
	return buf;
}

static int page_index(const page *p, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Scan dir with the defaults and check the pairs against the truth:
 * every pair of pages of one story reported, no pair of two stories, and
 * no pair of two verbatim copies called anything but exact or
 * near_verbatim. Prints the pairs found, and what is wrong, to stderr.
 * Returns the number of failures (missing + false + mislabelled). */
static int check_scan(const char *what, const char *dir, const page *p, size_t n)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "%s scan -q '%s'", bin(), dir);
	char *out = NULL, *err = NULL;
	int rc = tu_run(cmd, &out, &err);
	cr_assert_eq(rc, 0, "%s: reprint scan exit %d, stderr: %s", what, rc, err);

	char *found = calloc(n * n, 1);
	cr_assert_not_null(found);
	int false_pairs = 0, unknown = 0, mislabelled = 0, missing = 0, pairs = 0;
	fprintf(stderr, "%s: pairs found by `reprint scan -q %s`:\n", what, dir);
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "a\t", 2) == 0)
			continue; /* the header */
		char *f[9] = {0};
		size_t nf = 0;
		char *fs = NULL;
		for (char *t = strtok_r(line, "\t", &fs); t && nf < 9; t = strtok_r(NULL, "\t", &fs))
			f[nf++] = t;
		cr_assert_geq(nf, 6, "%s: a line of fewer than 6 columns", what);
		pairs++;
		int ia = page_index(p, n, f[0]), ib = page_index(p, n, f[1]);
		fprintf(stderr, "  %s  %s  jaccard %s  %s  [%s | %s]\n", f[0], f[1], f[2], f[5],
			ia >= 0 ? p[ia].story : "?", ib >= 0 ? p[ib].story : "?");
		if (ia < 0 || ib < 0) {
			fprintf(stderr, "  UNKNOWN id in pair: %s %s\n", f[0], f[1]);
			unknown++;
			continue;
		}
		found[(size_t)ia * n + (size_t)ib] = found[(size_t)ib * n + (size_t)ia] = 1;
		if (strcmp(p[ia].story, p[ib].story) != 0) {
			fprintf(stderr, "  FALSE PAIR (different stories %s / %s): %s %s (%s)\n",
				p[ia].story, p[ib].story, f[0], f[1], f[5]);
			false_pairs++;
		} else if (strcmp(p[ia].kind, "verbatim") == 0 && strcmp(p[ib].kind, "verbatim") == 0 &&
			   strcmp(f[5], "exact") != 0 && strcmp(f[5], "near_verbatim") != 0) {
			fprintf(stderr, "  MISLABELLED verbatim copies as %s: %s %s\n", f[5], f[0], f[1]);
			mislabelled++;
		}
	}
	int expected = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (strcmp(p[i].story, p[j].story) != 0)
				continue;
			expected++;
			if (!found[i * n + j]) {
				fprintf(stderr, "  MISSING pair of story %s: %s (%s) %s (%s)\n",
					p[i].story, p[i].id, p[i].kind, p[j].id, p[j].kind);
				missing++;
			}
		}
	fprintf(stderr, "%s: %d pairs reported, %d of %d reprint pairs found, "
		"%d false, %d unknown, %d verbatim pairs mislabelled\n",
		what, pairs, expected - missing, expected, false_pairs, unknown, mislabelled);
	cr_expect_eq(missing, 0, "%s: %d of %d reprint pairs missing (see stderr)",
		     what, missing, expected);
	cr_expect_eq(false_pairs + unknown, 0, "%s: %d pairs join different stories (see stderr)",
		     what, false_pairs + unknown);
	cr_expect_eq(mislabelled, 0, "%s: %d verbatim pairs not exact/near_verbatim (see stderr)",
		     what, mislabelled);
	cr_expect_gt(expected, 0, "%s: no reprint pairs in the truth", what);
	free(found);
	free(out);
	free(err);
	return missing + false_pairs + unknown + mislabelled;
}

/* ---- building pages ---------------------------------------------------- */

/* A page: Date header, headline, optional head line (a nav bar), the
 * paragraphs with `mid` inserted before paragraph mid_at (when mid is not
 * NULL and there are more than mid_at paragraphs), then the tail. */
static char *build_page(const char *date, const char *title, const char *head,
			const char *const *para, size_t np, const char *mid, size_t mid_at,
			const char *tail)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cr_assert_not_null(m);
	fprintf(m, "Date: %s\n\n%s\n\n", date, title);
	if (head)
		fprintf(m, "%s\n\n", head);
	for (size_t i = 0; i < np; i++) {
		if (mid && i == mid_at)
			fprintf(m, "%s\n\n", mid);
		fprintf(m, "%s\n\n", para[i]);
	}
	fprintf(m, "%s\n", tail);
	fclose(m);
	return buf;
}

static void write_page(const char *root, page *pages, size_t *n, const char *rel,
		       const char *story, const char *kind, char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
	*slash = '/';
	FILE *fp = fopen(path, "wb");
	cr_assert_not_null(fp, "cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
	free(text);
	page *p = &pages[(*n)++];
	snprintf(p->id, sizeof(p->id), "%s", rel);
	snprintf(p->story, sizeof(p->story), "%s", story);
	snprintf(p->kind, sizeof(p->kind), "%s", kind);
}

/* s with the first `from` replaced by `to` (malloc'd); NULL if absent. */
static char *replace_once(const char *s, const char *from, const char *to)
{
	const char *hit = strstr(s, from);
	if (!hit)
		return NULL;
	size_t a = (size_t)(hit - s), lf = strlen(from), lt = strlen(to);
	char *r = malloc(strlen(s) - lf + lt + 1);
	memcpy(r, s, a);
	memcpy(r + a, to, lt);
	strcpy(r + a + lt, hit + lf);
	return r;
}

/* Leave out a leading dateline ("VILNIUS (BNS) – ", "RIGA (LETA) - "). */
static void strip_dateline(char *p)
{
	static const char *const ENDS[] = {") \xe2\x80\x93 ", ") \xe2\x80\x94 ", ") - "};
	for (size_t k = 0; k < 3; k++) {
		char *e = strstr(p, ENDS[k]);
		char *o = strchr(p, '(');
		if (e && o && o < e && e - p < 60) {
			char *rest = e + strlen(ENDS[k]);
			memmove(p, rest, strlen(rest) + 1);
			return;
		}
	}
}

/* ---- the chromes of the three other outlets (invented) ------------------- */

static const char EN_NAV[] = "News | World | Business | Sport | Travel";
static const char EN_MID[] = "Advertisement";
static const char EN_TAIL[] =
	"Share on Facebook Share on X\n\n"
	"Get the Baltic Courier briefing: sign up for our free newsletter.\n\n"
	"Most Read\n\n"
	"1. Tallinn old town hotels report busiest winter yet\n"
	"2. Riga marathon route changed because of bridge works\n"
	"3. Why Baltic rye bread is having a moment abroad\n"
	"4. Six new cafés to try in Vilnius this spring\n\n"
	"This website uses cookies to make it work, to measure how you use it and to "
	"show you relevant adverts. You can change your settings at any time. Find out "
	"more in our cookie policy.\n\n"
	"© 2026 Baltic Courier Ltd. All rights reserved.";

static const char LT_NAV[] = "Pradžia | Lietuva | Pasaulis | Ekonomika | Sportas | Nuomonės";
static const char LT_TAIL[] =
	"Dalintis\n\n"
	"Skaitomiausi\n\n"
	"Klaipėdoje – naujas kruizinių laivų rekordas\n\n"
	"Uostamiesčio terminale per metus apsilankė daugiau nei…\n\n"
	"prieš 3 dienas\n\n"
	"Palangoje atnaujinamas Basanavičiaus gatvės grindinys\n\n"
	"Darbai turėtų būti baigti dar prieš vasaros…\n\n"
	"prieš 4 dienas\n\n"
	"Naujausi\n\n"
	"Orai: ateinančią savaitę – permainingi debesys\n\n"
	"Sinoptikų teigimu, temperatūra dieną svyruos nuo…\n\n"
	"prieš 1 valandą\n\n"
	"Svetainėje naudojame slapukus, kad ji veiktų geriau. Daugiau apie tai – "
	"privatumo politikoje.\n\n"
	"© 2026 UAB „Vakarų žinios“. Visos teisės saugomos.";

static const char DE_NAV[] = "Startseite | Politik | Wirtschaft | Sport | Reise";
static const char DE_TAIL[] =
	"Teilen\n\n"
	"Das könnte Sie auch interessieren\n\n"
	"Winterurlaub an der Kurischen Nehrung: Die besten Tipps\n"
	"Lettland: Neue Regeln für Ferienwohnungen\n\n"
	"Meistgelesen\n\n"
	"Fährpreise nach Skandinavien steigen deutlich\n\n"
	"Reedereien begründen den Schritt mit höheren Kosten für…\n\n"
	"vor 2 Tagen\n\n"
	"Die neue Lust am Wandern im Baltikum\n\n"
	"Immer mehr Urlauber zieht es in die Nationalparks von…\n\n"
	"vor 3 Tagen\n\n"
	"Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren und die "
	"Zugriffe auf unsere Website zu analysieren. Wenn Sie weiter surfen, stimmen "
	"Sie der Nutzung von Cookies zu.\n\n"
	"© 2026 Baltische Rundschau Verlag. Alle Rechte vorbehalten.";

/* Different short stories (invented), 30-80 words each. */
static const char *const S_DEFENCE[] = {
	"Lithuania's parliament on Thursday approved a bill raising the defence budget "
	"to 3 percent of GDP next year. The bill passed with 112 votes in favour and two against.",
	"The extra money will be spent on air defence systems, ammunition stocks and new "
	"barracks for allied troops, the defence committee chairman told reporters after the vote."};
static const char *const S_FOOTBRIDGE[] = {
	"Vilnius city council has chosen a design for a new pedestrian bridge over the "
	"Neris river near the White Bridge.",
	"The winning project, by a local architecture studio, features a curved steel deck "
	"and benches along the railings. Construction is expected to start next spring and "
	"take about 18 months."};
static const char *const S_HARVEST[] = {
	"Lithuanian farmers harvested a record amount of grain this year thanks to a warm "
	"autumn, the agriculture ministry said on Monday.",
	"The harvest reached 6.8 million tonnes, about 10 percent more than last year. Prices, "
	"however, remain low, and farmers' associations have asked the government for help "
	"with storage costs."};
static const char *const S_ELECTION[] = {
	"Estonia will hold snap municipal elections in two districts after the courts annulled "
	"the results over irregularities in online voting, the electoral commission said on Tuesday.",
	"The new vote is planned for March. Officials said the internet voting system itself was "
	"not at fault and that the problem lay in how some ballots were counted."};
static const char *const S_FERRY[] = {
	"A Latvian ferry carrying 300 passengers returned safely to Riga on Sunday after a fire "
	"broke out in its engine room shortly after departure. No one was hurt.",
	"The crew put out the fire within 20 minutes, the operator said, and the passengers were "
	"taken to Stockholm on another ship later in the day."};
static const char *const S_BILIETAI[] = {
	"Klaipėdos miesto savivaldybė pirmadienį pranešė, kad nuo kitų metų sausio viešojo "
	"transporto bilietas brangs dešimčia centų.",
	"Pasak savivaldybės atstovų, kainą teko didinti dėl išaugusių degalų kainų ir darbo "
	"užmokesčio išlaidų. Moksleiviams, studentams ir senjorams taikomos nuolaidos išliks."};
static const char *const S_FENCE[] = {
	"Poland has begun building a new section of fence along its border with Belarus, the "
	"interior ministry said on Wednesday.",
	"The 40-kilometre section will be equipped with cameras and motion sensors. Border guards "
	"reported more than 200 attempts to cross the border illegally last week."};
static const char *const S_ROSTOCK[] = {
	"Die Stadt Rostock will den Fährhafen bis 2028 für rund 80 Millionen Euro modernisieren.",
	"Geplant sind ein neues Terminal für Passagiere, zusätzliche Liegeplätze und eine bessere "
	"Anbindung an die Autobahn. Der Stadtrat stimmte dem Vorhaben am Dienstag mit großer "
	"Mehrheit zu."};

#define NP(a) (sizeof(a) / sizeof((a)[0]))

/* The seed page split: headline, story paragraphs (without the "Related
 * Post" line inside the body), and the chrome from "Share" to the end. */
typedef struct {
	char *raw;
	char *copy; /* title and para point into it */
	char *title;
	char *para[64];
	size_t np;
	const char *tail;
} seed_page;

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static void split_seed(seed_page *sp, char *raw)
{
	memset(sp, 0, sizeof(*sp));
	sp->raw = raw;
	char *copy = sp->copy = strdup(raw);
	char *save = NULL;
	int seen_share = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *t = trim(l);
		if (!*t)
			continue;
		if (!sp->title) {
			sp->title = t;
			continue;
		}
		if (strcmp(t, "Share") == 0 || strcmp(t, "Recent Posts") == 0) {
			seen_share = 1;
			break;
		}
		if (strcmp(t, "Related Post") == 0)
			continue;
		cr_assert_lt(sp->np, NP(sp->para), "too many paragraphs in the seed");
		sp->para[sp->np++] = t;
	}
	cr_assert(seen_share, "the seed page has no \"Share\" chrome line");
	/* the tail, as it is in the page: from the "Share" line on */
	const char *s = strstr(raw, "\nShare\n");
	cr_assert_not_null(s, "no \"Share\" line in the seed page");
	sp->tail = s + 1;
	cr_assert_not_null(strstr(sp->tail, "Recent Posts"), "no \"Recent Posts\" in the seed page");
	cr_assert_geq(sp->np, 5, "the seed story has only %zu paragraphs", sp->np);
}

/* A different story on the seed's site: "Related Post" after the first
 * paragraph, then the seed's own "Share" / "Recent Posts" tail. */
static char *seed_chrome_page(const seed_page *sp, const char *date, const char *title,
			      const char *const *para, size_t np)
{
	char tail[8192];
	snprintf(tail, sizeof(tail), "%s", sp->tail);
	size_t tl = strlen(tail);
	while (tl && (tail[tl - 1] == '\n' || tail[tl - 1] == ' '))
		tail[--tl] = '\0';
	return build_page(date, title, NULL, para, np, "Related Post", 1, tail);
}

Test(news, seed_story_in_four_chromes_every_reprint_pair_and_no_false_pair)
{
	const char *data = getenv("REPRINT_SHARED_DATA");
	char seed_path[1024];
	snprintf(seed_path, sizeof(seed_path), "%s/../seeds/wire-reprint-page.txt",
		 data ? data : "../shared/data");
	char *raw = slurp(seed_path);
	if (!raw) {
		fprintf(stderr, "SKIP: ../shared/seeds/wire-reprint-page.txt is absent: "
				"the seed story in four chromes is not checked\n");
		cr_skip_test("../shared/seeds/wire-reprint-page.txt is absent");
	}
	seed_page sp;
	split_seed(&sp, raw);

	char root[] = "/tmp/reprint-news-XXXXXX";
	cr_assert_not_null(mkdtemp(root));
	page pages[32];
	size_t n = 0;
	const char *const *P = (const char *const *)sp.para;
	size_t ntrim = (sp.np * 4 + 9) / 10; /* the first 40% of the paragraphs */

	/* The lightly edited reprint: three words changed, no dateline. */
	char *edited[64];
	for (size_t i = 0; i < sp.np; i++)
		edited[i] = strdup(sp.para[i]);
	static const char *const EDITS[][2] = {
		{"told journalists", "told reporters"},
		{"particularly important", "especially important"},
		{"primarily aimed", "mainly aimed"},
	};
	for (size_t e = 0; e < NP(EDITS); e++) {
		int done = 0;
		for (size_t i = 0; i < sp.np && !done; i++) {
			char *r = replace_once(edited[i], EDITS[e][0], EDITS[e][1]);
			if (r) {
				free(edited[i]);
				edited[i] = r;
				done = 1;
			}
		}
		cr_assert(done, "the seed story has no \"%s\" to edit", EDITS[e][0]);
	}
	strip_dateline(edited[0]);

	/* outlet A: the seed's own site, the page as it is */
	size_t rl = strlen(raw);
	char *seedtext = malloc(rl + 64);
	snprintf(seedtext, rl + 64, "Date: 2026-03-09T09:00:00+02:00\n\n%s%s", raw,
		 rl && raw[rl - 1] == '\n' ? "" : "\n");
	write_page(root, pages, &n, "seed-site/nato-no-trade-off.txt", "nato", "verbatim", seedtext);
	write_page(root, pages, &n, "seed-site/defence-budget-vote.txt", "defence", "different",
		   seed_chrome_page(&sp, "2026-03-08T15:20:00+02:00",
				    "Parliament raises defence spending to 3 percent of GDP",
				    S_DEFENCE, NP(S_DEFENCE)));
	write_page(root, pages, &n, "seed-site/pedestrian-bridge-design.txt", "footbridge", "different",
		   seed_chrome_page(&sp, "2026-03-09T12:45:00+02:00",
				    "Curved steel footbridge to cross the Neris",
				    S_FOOTBRIDGE, NP(S_FOOTBRIDGE)));
	write_page(root, pages, &n, "seed-site/record-grain-harvest.txt", "harvest", "different",
		   seed_chrome_page(&sp, "2026-03-06T10:10:00+02:00",
				    "Record grain harvest, but prices stay low",
				    S_HARVEST, NP(S_HARVEST)));

	/* outlet B (English): the full story, same headline */
	write_page(root, pages, &n, "baltic-courier/nato-wont-trade-security.txt", "nato", "verbatim",
		   build_page("2026-03-09T10:30:00+02:00", sp.title, EN_NAV, P, sp.np,
			      EN_MID, 2, EN_TAIL));
	write_page(root, pages, &n, "baltic-courier/estonia-snap-elections.txt", "election", "different",
		   build_page("2026-03-09T08:15:00+02:00", "Estonia to repeat local votes in two districts",
			      EN_NAV, S_ELECTION, NP(S_ELECTION), EN_MID, 2, EN_TAIL));
	write_page(root, pages, &n, "baltic-courier/ferry-fire-riga.txt", "ferry", "different",
		   build_page("2026-03-08T19:40:00+02:00", "Ferry returns to Riga after engine room fire",
			      EN_NAV, S_FERRY, NP(S_FERRY), EN_MID, 2, EN_TAIL));

	/* outlet C (Lithuanian): trimmed, then the full story; a "Taip pat
	 * skaitykite" line inside each body */
	write_page(root, pages, &n, "vakaru-zinios/nato-vershbow-trumpai.txt", "nato", "trimmed",
		   build_page("2026-03-09T11:00:00+02:00", sp.title, LT_NAV, P, ntrim,
			      "Taip pat skaitykite: Seimas pritarė didesniam gynybos biudžetui", 2,
			      LT_TAIL));
	write_page(root, pages, &n, "vakaru-zinios/nato-vershbow.txt", "nato", "verbatim",
		   build_page("2026-03-09T14:25:00+02:00",
			      "Vershbow: NATO will not trade Baltic security for help against terrorism",
			      LT_NAV, P, sp.np,
			      "Taip pat skaitykite: Prezidentė susitiko su NATO vadovybe", 2, LT_TAIL));
	write_page(root, pages, &n, "vakaru-zinios/bilietai-brangs.txt", "bilietai", "different",
		   build_page("2026-03-09T07:30:00+02:00", "Klaipėdoje brangs viešojo transporto bilietai",
			      LT_NAV, S_BILIETAI, NP(S_BILIETAI),
			      "Taip pat skaitykite: Uoste – nauji keltų maršrutai", 1, LT_TAIL));

	/* outlet D (German): the lightly edited reprint */
	write_page(root, pages, &n, "baltische-rundschau/nato-russland-terror.txt", "nato", "light_edit",
		   build_page("2026-03-09T16:05:00+01:00",
			      "NATO rules out trade-off with Moscow over terrorism cooperation",
			      DE_NAV, (const char *const *)edited, sp.np, NULL, 0, DE_TAIL));
	write_page(root, pages, &n, "baltische-rundschau/poland-border-fence.txt", "fence", "different",
		   build_page("2026-03-08T13:00:00+01:00", "Poland extends fence on Belarus border",
			      DE_NAV, S_FENCE, NP(S_FENCE), NULL, 0, DE_TAIL));
	write_page(root, pages, &n, "baltische-rundschau/rostock-faehrhafen.txt", "rostock", "different",
		   build_page("2026-03-07T09:45:00+01:00", "Rostock modernisiert den Fährhafen",
			      DE_NAV, S_ROSTOCK, NP(S_ROSTOCK), NULL, 0, DE_TAIL));

	fprintf(stderr, "seed: %zu story paragraphs, trimmed to %zu; tree in %s\n",
		sp.np, ntrim, root);
	int bad = check_scan("seed story", root, pages, n);
	if (bad == 0) {
		char cmd[1100];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		cr_expect_eq(system(cmd), 0);
	} else {
		fprintf(stderr, "seed story: tree kept in %s for `reprint compare --in %s A B`\n",
			root, root);
	}
	for (size_t i = 0; i < sp.np; i++)
		free(edited[i]);
	free(sp.copy);
	free(raw);
}

/* The truth of tests/fixtures/news-folder: the rows of its README.md table
 * "| `outlet/file.txt` | story | kind | note |". */
static size_t read_truth(const char *dir, page *pages, size_t max)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/README.md", dir);
	char *md = slurp(path);
	cr_assert_not_null(md, "%s is missing", path);
	size_t n = 0;
	char *save = NULL;
	for (char *l = strtok_r(md, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "| `", 3) != 0)
			continue;
		char *id = l + 3, *end = strchr(id, '`');
		cr_assert_not_null(end);
		*end = '\0';
		char *story = strchr(end + 1, '|');
		cr_assert_not_null(story);
		story++;
		char *kind = strchr(story, '|');
		cr_assert_not_null(kind);
		*kind++ = '\0';
		char *kend = strchr(kind, '|');
		cr_assert_not_null(kend);
		*kend = '\0';
		cr_assert_lt(n, max);
		snprintf(pages[n].id, sizeof(pages[n].id), "%s", id);
		snprintf(pages[n].story, sizeof(pages[n].story), "%s", trim(story));
		snprintf(pages[n].kind, sizeof(pages[n].kind), "%s", trim(kind));
		n++;
	}
	free(md);
	return n;
}

/* Every outlet/file.txt in dir is in the truth. Returns how many files. */
static size_t check_files_in_truth(const char *dir, const page *p, size_t n)
{
	size_t files = 0;
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[1400];
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		DIR *s = opendir(sub);
		if (!s)
			continue;
		struct dirent *f;
		while ((f = readdir(s))) {
			size_t l = strlen(f->d_name);
			if (f->d_name[0] == '.' || l < 4 || strcmp(f->d_name + l - 4, ".txt") != 0)
				continue;
			char id[600];
			snprintf(id, sizeof(id), "%s/%s", e->d_name, f->d_name);
			cr_expect_geq(page_index(p, n, id), 0, "%s is not in README.md", id);
			files++;
		}
		closedir(s);
	}
	closedir(d);
	return files;
}

Test(news, invented_story_in_four_chromes_every_reprint_pair_and_no_false_pair)
{
	const char *samples = getenv("REPRINT_SAMPLES");
	cr_assert_not_null(samples, "REPRINT_SAMPLES must name samples/");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/../tests/fixtures/news-folder", samples);
	page pages[64];
	size_t n = read_truth(dir, pages, NP(pages));
	cr_assert_geq(n, 10, "README.md lists only %zu files", n);
	cr_assert_eq(check_files_in_truth(dir, pages, n), n,
		     "README.md lists %zu files, the folder has others", n);
	int verbatim = 0, trimmed = 0, light = 0;
	for (size_t i = 0; i < n; i++) {
		verbatim += strcmp(pages[i].kind, "verbatim") == 0;
		trimmed += strcmp(pages[i].kind, "trimmed") == 0;
		light += strcmp(pages[i].kind, "light_edit") == 0;
	}
	cr_assert(verbatim >= 2 && trimmed >= 1 && light >= 1,
		  "the truth lacks a kind of reprint");
	check_scan("invented story", dir, pages, n);
}

/* A figure of reprint eval --format jsonl: the number after "key":. */
static double eval_figure(const char *json, const char *key)
{
	char pat[128];
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	const char *p = strstr(json, pat);
	cr_assert_not_null(p, "no %s in %s", key, json);
	return strtod(p + strlen(pat), NULL);
}

/* The default command on the three syndication calibration sets keeps the
 * figures the news issue asks for (pair F1 and ARI >= 0.97, excerpt recall
 * >= 0.9). A guard against regressions, not a place to tune: the rules
 * were set for reasons and checked on Reuters, the samples and the
 * fixtures as well (bench/README.md). */
Test(news, syndication_sets_keep_their_floor)
{
	const char *data = getenv("REPRINT_SHARED_DATA");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/syndication/seed1", data ? data : "");
	if (!data || access(dir, R_OK) != 0) {
		fprintf(stderr, "SKIP: %s is absent: syndication floor not checked\n", dir);
		cr_skip_test("syndication sets absent");
	}
	for (int s = 1; s <= 3; s++) {
		char tmp[] = "/tmp/reprint-syn-XXXXXX", cmd[4096], *out, *err;
		cr_assert_not_null(mkdtemp(tmp));
		snprintf(dir, sizeof(dir), "%s/syndication/seed%d", data, s);
		snprintf(cmd, sizeof(cmd),
			 "%s scan -q --clusters %s/c.jsonl %s/corpus.jsonl > %s/p.tsv && "
			 "%s eval --format jsonl --truth %s --pairs %s/p.tsv --clusters %s/c.jsonl",
			 bin(), tmp, dir, tmp, bin(), dir, tmp, tmp);
		int rc = tu_run(cmd, &out, &err);
		cr_assert_eq(rc, 0, "%s: %s", cmd, err);
		double f1 = eval_figure(out, "f1"), ari = eval_figure(out, "ari");
		const char *ex = strstr(out, "\"partial_excerpt\":");
		cr_assert_not_null(ex, "%s", out);
		double exr = eval_figure(ex, "recall");
		fprintf(stderr, "seed%d: F1 %.3f ARI %.3f excerpt recall %.3f\n", s, f1, ari, exr);
		cr_assert_geq(f1, 0.97, "seed%d F1 %.3f", s, f1);
		cr_assert_geq(ari, 0.97, "seed%d ARI %.3f", s, ari);
		cr_assert_geq(exr, 0.9, "seed%d excerpt recall %.3f", s, exr);
		free(out);
		free(err);
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		cr_assert_eq(system(cmd), 0);
	}
}
