/* Fuzz target: a text file as the directory reader reads it (header
 * block, title line, UTF-8 and NUL checks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-text", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	rp_corpus *c = NULL;
	if (rp_corpus_new(&c, NULL) < 0)
		return 0;
	int err = rp_corpus_read_text(c, path, NULL);
	if (err == RP_OK && rp_corpus_count(c) != 1)
		abort();
	if (err == RP_EIO && rp_corpus_reject_count(c) != 1)
		abort();
	if (rp_corpus_count(c) == 1) {
		rp_doc_info d;
		rp_corpus_doc(&d, c, 0);
		if (!d.text || strlen(d.text) != d.text_len)
			abort();
	}
	rp_corpus_free(c);
	return 0;
}
