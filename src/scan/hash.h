/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hash.h — one-pass file digests for `vigil scan` (OpenSSL EVP): SHA-256
 * always, MD5 and SHA-1 on request, and a safe single read of the file.
 */
#ifndef VG_SCAN_HASH_H
#define VG_SCAN_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

typedef struct vg_digests {
	uint8_t md5[16], sha1[20], sha256[32];
	bool has_md5, has_sha1; /* sha256 is always computed */
} vg_digests_t;

/* Per-thread hashing state and read buffer.  Not shared between threads. */
typedef struct vg_hasher vg_hasher_t;

/* vg_hasher_new: md5/sha1 select the extra digests.  0 or VG_ENOMEM. */
int vg_hasher_new(vg_hasher_t **out, bool md5, bool sha1);
void vg_hasher_free(vg_hasher_t *h);

/* The result of vg_hasher_file. */
typedef struct vg_hfile {
	int fd;              /* the open file (caller closes), -1 on failure */
	struct stat st;      /* fstat of fd */
	uint64_t nread;      /* bytes hashed (== st.st_size on success) */
	const uint8_t *data; /* the first `kept` bytes of the file, in the
			      * hasher's buffer (valid until the next call) */
	size_t kept;
	int err;             /* errno of a failure */
} vg_hfile_t;

/*
 * vg_hasher_file — open path (O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC),
 * check with fstat that it is a regular file, and read it once in large
 * chunks, feeding every digest.  keep > 0: the first min(size, keep) bytes
 * stay in the buffer (for YARA).  Reads st_size bytes at most (a growing
 * file is hashed as it was at fstat).
 * Returns 0 (digests in *d), VG_ENOTFOUND (vanished before open, or shrank
 * while read: the file changed under us), VG_EFORMAT (not a regular file,
 * e.g. replaced by a FIFO or a link), VG_EIO (open/read failed: out->err),
 * VG_ENOMEM.  out->fd stays open on 0 (caller closes), else -1.
 */
int vg_hasher_file(vg_hasher_t *h, const char *path, size_t keep, vg_digests_t *d,
		   vg_hfile_t *out);

/* vg_hex: lowercase hex of n bytes into out (2n+1 bytes). */
void vg_hex(const uint8_t *p, size_t n, char *out);

#endif
