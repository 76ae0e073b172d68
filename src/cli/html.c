/*
 * html.c - `reprint scan --html DIR`: the library's HTML report pages
 * written into DIR as one whole.
 *
 * The report is built in a new folder beside DIR (DIR.tmp-PID), with a
 * marker file (.reprint-report), then put in DIR's place: an earlier
 * report there is replaced as a whole, so files of two runs never mix.
 * Only a folder that is empty or holds the marker is ever replaced; any
 * other folder (a home folder, a project) is refused with a message and
 * not touched. The earlier report is deleted file by file (the names the
 * report writes); a folder that still holds anything else afterwards is
 * kept, renamed, and named in a warning.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define MARKER ".reprint-report"

/* One page of the report into dir/name; -1 after a message. */
static int page(const char *dir, const char *name, const rp_result *r,
		int kind, size_t arg)
{
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		msg("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	rp_sink sink = { rp_sink_stdio, fp };
	int err;
	switch (kind) {
	case 0: err = rp_report_html_index(&sink, r); break;
	case 1: err = rp_report_html_pair(&sink, r, arg); break;
	case 2: err = rp_report_html_story(&sink, r, arg); break;
	case 3: err = rp_report_html_outlets(&sink, r); break;
	default:
		err = rp_report_html_list(&sink, r, (rp_html_list)(kind - 4), arg);
	}
	int bad = ferror(fp);
	if (fclose(fp) != 0 || bad || err < 0) {
		msg("cannot write %s: %s", path,
		    err < 0 && err != RP_EIO ? rp_strerror(err) : strerror(errno));
		return -1;
	}
	return 0;
}

/* Is this a file name the report writes? */
static int report_file(const char *name)
{
	size_t n = strlen(name);
	if (strcmp(name, MARKER) == 0)
		return 1;
	if (n < 6 || strcmp(name + n - 5, ".html") != 0)
		return 0;
	static const char *stems[] = { "index", "outlets", "pair-", "pairs-",
				       "story-", "stories-size-", "stories-date-" };
	for (size_t i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		if (strncmp(name, stems[i], strlen(stems[i])) == 0)
			return 1;
	return 0;
}

/* 0: dir is missing; 1: an empty folder or an earlier report; -1 after a
 * message (not a folder, or a folder of something else). */
static int replaceable(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return errno == ENOENT ? 0 : (msg("cannot use %s: %s", dir,
						  strerror(errno)), -1);
	if (!S_ISDIR(st.st_mode)) {
		msg("%s exists and is not a folder: the report is not written", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		msg("cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	int entries = 0, marker = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		entries++;
		marker |= strcmp(e->d_name, MARKER) == 0;
	}
	closedir(d);
	if (entries && !marker) {
		msg("%s is not empty and holds no earlier report (no %s file): "
		    "nothing in it is replaced; give --html a new or empty folder",
		    dir, MARKER);
		return -1;
	}
	return 1;
}

/* Delete the files of an earlier report in dir, then dir if it is empty;
 * 0, or 1 when something else was left in it. */
static int remove_report(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 1;
	struct dirent *e;
	char path[8400];
	while ((e = readdir(d)) != NULL) {
		if (!report_file(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir) == 0 ? 0 : 1;
}

static int write_pages(const char *dir, const rp_result *r)
{
	char name[64];
	if (page(dir, "index.html", r, 0, 0) < 0 || page(dir, "outlets.html", r, 3, 0) < 0)
		return -1;
	for (size_t i = 0; i < rp_result_pair_count(r); i++) {
		snprintf(name, sizeof(name), "pair-%zu.html", i + 1);
		if (page(dir, name, r, 1, i) < 0)
			return -1;
	}
	for (size_t k = 0; k < rp_report_html_story_count(r); k++) {
		snprintf(name, sizeof(name), "story-%zu.html", k + 1);
		if (page(dir, name, r, 2, k) < 0)
			return -1;
	}
	static const char *stems[] = { "stories-size", "stories-date", "pairs" };
	for (int l = 0; l < 3; l++)
		for (size_t p = 0; p < rp_report_html_pages(r, (rp_html_list)l); p++) {
			snprintf(name, sizeof(name), "%s-%zu.html", stems[l], p + 1);
			if (page(dir, name, r, 4 + l, p) < 0)
				return -1;
		}
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s", dir, MARKER);
	FILE *fp = fopen(path, "w");
	if (!fp || fprintf(fp, "reprint %s report\n", rp_version()) < 0 ||
	    fclose(fp) != 0) {
		msg("cannot write %s", path);
		return -1;
	}
	return 0;
}

int html_target_ok(const char *dir)
{
	return replaceable(dir) < 0 ? -1 : 0;
}

int write_html(const char *dir, const rp_result *r)
{
	char clean[4096], tmp[4200], old[4200];
	snprintf(clean, sizeof(clean), "%s", dir);
	for (size_t n = strlen(clean); n > 1 && clean[n - 1] == '/'; n--)
		clean[n - 1] = '\0';
	int exists = replaceable(clean);
	if (exists < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", clean, (long)getpid());
	snprintf(old, sizeof(old), "%s.old-%ld", clean, (long)getpid());
	if (mkdir(tmp, 0777) != 0) {
		msg("cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_pages(tmp, r) < 0) {
		remove_report(tmp);
		return -1;
	}
	if (exists && rename(clean, old) != 0) {
		msg("cannot move the earlier report %s aside: %s", clean, strerror(errno));
		remove_report(tmp);
		return -1;
	}
	if (rename(tmp, clean) != 0) {
		msg("cannot put the report in place as %s: %s", clean, strerror(errno));
		if (exists)
			rename(old, clean);
		remove_report(tmp);
		return -1;
	}
	if (exists && remove_report(old) != 0)
		msg("warning: the earlier report's folder held files reprint did not "
		    "write; it is kept as %s", old);
	return 0;
}
