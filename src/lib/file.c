// SPDX-License-Identifier: Apache-2.0
/*
 * file.c — whole-file reads shared by the feed readers and the command
 * layer (keys, signatures, signed feeds); see file.h.  The only place that
 * loops over read(2) for a whole file.
 */
#include "lib/file.h"

#include "vigil/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int vg_file_read(const char *path, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VG_EIO;
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		errno = e;
		return VG_EIO;
	}
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
	if (cap > max + 1) {
		close(fd);
		return VG_ELIMIT;
	}
	char *p = malloc(cap);
	if (!p) {
		close(fd);
		return VG_ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				free(p);
				close(fd);
				return VG_ELIMIT;
			}
			char *np = realloc(p, cap * 2);
			if (!np) {
				free(p);
				close(fd);
				return VG_ENOMEM;
			}
			p = np;
			cap *= 2;
		}
		ssize_t r = read(fd, p + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(p);
			close(fd);
			errno = e;
			return VG_EIO;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = 0;
	*data = p;
	*len = n;
	return 0;
}
