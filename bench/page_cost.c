/*
 * page_cost - what touching memory costs on this machine, in seconds a
 * GiB, the figures the allocation and text-reading choices rest on
 * (src/common/util.c, src/read/corpus.h, bench/README.md "Session 22"):
 *
 *   anon 4k        fresh anonymous memory, small pages, a write a page
 *   anon huge      the same advised for transparent huge pages, in
 *                  rounds: the first takes memory the process never had,
 *                  the later ones memory it just gave back
 *   file mapped    a file's pages in the page cache, read through a
 *                  mapping, a byte a page
 *   file read      the same bytes read with pread into one 1 MiB buffer
 *
 * Usage: page_cost FILE [MiB]   (FILE: any file of at least MiB, 256 by
 * default, read once first so that its pages are cached). On a virtual
 * machine whose guest pages are shadowed one at a time, small pages cost
 * about forty times what huge pages cost; on bare metal the two are
 * close.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double per_gib(double secs, size_t bytes)
{
	return secs * (double)(1u << 30) / (double)bytes;
}

static double touch_anon(size_t n, int huge)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
#ifdef MADV_HUGEPAGE
	if (huge)
		(void)madvise(p, n, MADV_HUGEPAGE);
#else
	(void)huge;
#endif
	double t = now();
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	t = now() - t;
	munmap(p, n);
	return per_gib(t, n);
}

/* The first n bytes of fd read with pread into the 1 MiB buf; -1 on an
 * error. */
static int read_through(int fd, char *buf, size_t n)
{
	for (size_t off = 0; off < n; off += (size_t)1 << 20)
		if (pread(fd, buf, (size_t)1 << 20, (off_t)off) < 0)
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: page_cost FILE [MiB]\n");
		return 2;
	}
	size_t n = (size_t)(argc > 2 ? atol(argv[2]) : 256) << 20;
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || (size_t)st.st_size < n || !n) {
		fprintf(stderr, "page_cost: %s: need a readable file of %zu MiB\n",
			argv[1], n >> 20);
		return 2;
	}
	char *buf = malloc((size_t)1 << 20);
	if (!buf)
		return 1;
	/* The file's pages cached first. */
	if (read_through(fd, buf, n) < 0)
		return 1;
	printf("bytes          %zu MiB a measure\n", n >> 20);
	printf("anon 4k        %.3f s/GiB\n", touch_anon(n, 0));
	for (int r = 0; r < 3; r++)
		printf("anon huge #%d   %.3f s/GiB\n", r + 1, touch_anon(n, 1));
	for (int r = 0; r < 2; r++) {
		char *m = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			return 1;
		volatile char sum = 0;
		double t = now();
		for (size_t i = 0; i < n; i += 4096)
			sum += m[i];
		t = now() - t;
		munmap(m, n);
		printf("file mapped #%d %.3f s/GiB\n", r + 1, per_gib(t, n));
	}
	double t = now();
	if (read_through(fd, buf, n) < 0)
		return 1;
	printf("file read      %.3f s/GiB\n", per_gib(now() - t, n));
	free(buf);
	close(fd);
	return 0;
}
