/* Replays fuzz inputs through a fuzz target without libFuzzer, so the
 * seed corpus and every crash reproducer run in the normal test suite.
 * Arguments are files or directories (read one level deep). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (len + 4096 > cap) {
			cap = (len + 4096) * 2;
			unsigned char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(fp);
				return -1;
			}
			buf = b;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got);
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "cannot open %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay(argv[i]) < 0)
				return 1;
			n++;
			continue;
		}
		struct dirent **ents;
		int m = scandir(argv[i], &ents, NULL, alphasort);
		for (int k = 0; k < m; k++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], ents[k]->d_name);
			if (ents[k]->d_name[0] != '.' && stat(path, &st) == 0 &&
			    S_ISREG(st.st_mode)) {
				if (replay(path) < 0)
					return 1;
				n++;
			}
			free(ents[k]);
		}
		free(m >= 0 ? ents : NULL);
	}
	printf("%d inputs replayed\n", n);
	return 0;
}
