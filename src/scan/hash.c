// SPDX-License-Identifier: Apache-2.0
/*
 * hash.c — the hashing worker's inner loop for `vigil scan`.
 *
 * Each worker thread owns one vg_hasher_t: three EVP contexts and a read
 * buffer.  A file is opened without following links and without blocking
 * (a FIFO swapped in after the walk cannot hang us), fstat'ed, and read once
 * in 64 KiB chunks; each chunk is hashed right after it was read, while it
 * is still in the CPU cache.  When the caller wants the content (YARA), the
 * chunks are read into consecutive places of one buffer grown to the kept
 * size, so the file is read once for digests and rules alike.  The EVP_MD
 * implementations are fetched once per hasher (no per-file lookups).
 * A short read before st_size means the file shrank: VG_ENOTFOUND.
 */
#include "scan/hash.h"

#include "vigil/common.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64u * 1024u)

struct vg_hasher {
	EVP_MD *md[3];      /* sha256, sha1, md5 */
	EVP_MD_CTX *ctx[3];
	bool on[3];
	uint8_t *buf;
	size_t cap;
};

int vg_hasher_new(vg_hasher_t **out, bool md5, bool sha1)
{
	*out = NULL;
	vg_hasher_t *h = calloc(1, sizeof *h);
	if (!h)
		return VG_ENOMEM;
	static const char *const names[3] = {"SHA256", "SHA1", "MD5"};
	h->on[0] = true;
	h->on[1] = sha1;
	h->on[2] = md5;
	for (int i = 0; i < 3; i++) {
		if (!h->on[i])
			continue;
		h->md[i] = EVP_MD_fetch(NULL, names[i], NULL);
		h->ctx[i] = EVP_MD_CTX_new();
		if (!h->md[i] || !h->ctx[i]) {
			vg_hasher_free(h);
			return VG_ENOMEM;
		}
	}
	h->cap = CHUNK;
	h->buf = malloc(h->cap);
	if (!h->buf) {
		vg_hasher_free(h);
		return VG_ENOMEM;
	}
	*out = h;
	return 0;
}

void vg_hasher_free(vg_hasher_t *h)
{
	if (!h)
		return;
	for (int i = 0; i < 3; i++) {
		EVP_MD_CTX_free(h->ctx[i]);
		EVP_MD_free(h->md[i]);
	}
	free(h->buf);
	free(h);
}

void vg_hex(const uint8_t *p, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[p[i] >> 4];
		out[2 * i + 1] = x[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static bool grow(vg_hasher_t *h, size_t need)
{
	if (need <= h->cap)
		return true;
	size_t nc = h->cap;
	while (nc < need)
		nc *= 2;
	uint8_t *p = realloc(h->buf, nc);
	if (!p)
		return false;
	h->buf = p;
	h->cap = nc;
	return true;
}

int vg_hasher_file(vg_hasher_t *h, const char *path, size_t keep, vg_digests_t *d,
		   vg_hfile_t *out)
{
	memset(out, 0, sizeof *out);
	out->fd = -1;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		out->err = errno;
		if (errno == ENOENT)
			return VG_ENOTFOUND;
		return errno == ELOOP ? VG_EFORMAT : VG_EIO;
	}
	if (fstat(fd, &out->st)) {
		out->err = errno;
		close(fd);
		return VG_EIO;
	}
	if (!S_ISREG(out->st.st_mode)) {
		close(fd);
		return VG_EFORMAT;
	}
	uint64_t size = (uint64_t)out->st.st_size;
	size_t kept = keep ? (size_t)(size < keep ? size : keep) : 0;
	if (!grow(h, kept + CHUNK)) {
		close(fd);
		return VG_ENOMEM;
	}
	for (int i = 0; i < 3; i++)
		if (h->on[i] && !EVP_DigestInit_ex2(h->ctx[i], h->md[i], NULL)) {
			close(fd);
			return VG_ENOMEM;
		}
	uint64_t off = 0;
	while (off < size) {
		uint8_t *dst;
		size_t want;
		if (off < kept) {
			dst = h->buf + off;
			want = kept - off < CHUNK ? kept - off : CHUNK;
		} else {
			dst = h->buf + kept;
			want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		}
		ssize_t r = read(fd, dst, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			out->err = errno;
			close(fd);
			return VG_EIO;
		}
		if (r == 0) { /* shrank under us */
			out->nread = off;
			close(fd);
			return VG_ENOTFOUND;
		}
		for (int i = 0; i < 3; i++)
			if (h->on[i])
				EVP_DigestUpdate(h->ctx[i], dst, (size_t)r);
		off += (uint64_t)r;
	}
	unsigned int n;
	EVP_DigestFinal_ex(h->ctx[0], d->sha256, &n);
	d->has_sha1 = h->on[1];
	d->has_md5 = h->on[2];
	if (h->on[1])
		EVP_DigestFinal_ex(h->ctx[1], d->sha1, &n);
	if (h->on[2])
		EVP_DigestFinal_ex(h->ctx[2], d->md5, &n);
	out->nread = off;
	out->data = h->buf;
	out->kept = kept;
	out->fd = fd;
	return 0;
}
