// SPDX-License-Identifier: Apache-2.0
/*
 * snapshot.c — the compiled, mmappable form of an indicator store.
 *
 * File layout (little-endian, the host order of every platform we build on;
 * a byte-order mark rejects the others):
 *
 *   header   magic "VIGILSNP", u32 version, u32 bom 0x01020304,
 *            u32 nsec, u32 reserved, u64 entries, u64 expired,
 *            u64 file_len, u64 body_hash, sec[nsec] {u64 off, u64 len},
 *            u64 header_hash (over every header byte before it)
 *   body     sections, each starting on a 64-byte boundary
 *
 * Opening maps the file read-only, checks the header hash, the length (a
 * truncated file is named as such), the body hash (chunked vg_hash64, a few
 * GB/s) and then every offset and index in every section
 * (vg_store_validate), so lookups on a mapped store never need a bounds
 * check: a corrupt file is rejected, never a crash.  The mapping is shared
 * read-only between threads.
 */
#include "intel/store_int.h"
#include "lib/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_MAGIC "VIGILSNP"
#define SNAP_VERSION 1u
#define SNAP_BOM 0x01020304u
#define SNAP_ALIGN 64

typedef struct snap_hdr {
	char magic[8];
	uint32_t version, bom, nsec, reserved;
	uint64_t entries, expired, file_len, body_hash;
	struct {
		uint64_t off, len;
	} sec[SEC__COUNT];
	uint64_t header_hash;
} snap_hdr_t;

static uint64_t body_hash(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0x76696769ull;
	for (uint64_t off = 0; off < n; off += 1u << 20) {
		uint64_t k = n - off < (1u << 20) ? n - off : (1u << 20);
		h = vg_hash64(p + off, k, h);
	}
	return h;
}

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return VG_EIO;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int vg_store_save(const vg_store_t *s, const char *path)
{
	snap_hdr_t h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, SNAP_MAGIC, 8);
	h.version = SNAP_VERSION;
	h.bom = SNAP_BOM;
	h.nsec = SEC__COUNT;
	h.entries = s->entries;
	h.expired = s->expired;
	uint64_t off = (sizeof h + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
	uint64_t body0 = off;
	for (int i = 0; i < SEC__COUNT; i++) {
		h.sec[i].off = off;
		h.sec[i].len = s->sec[i].len;
		off = (off + s->sec[i].len + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
	}
	h.file_len = off;
	/* the body hash is computed over the body as laid out in the file */
	uint8_t *body = calloc(1, off - body0 ? off - body0 : 1);
	if (!body)
		return VG_ENOMEM;
	for (int i = 0; i < SEC__COUNT; i++)
		if (s->sec[i].len)
			memcpy(body + (h.sec[i].off - body0), s->sec[i].p, s->sec[i].len);
	h.body_hash = body_hash(body, off - body0);
	h.header_hash = vg_hash64(&h, offsetof(snap_hdr_t, header_hash), 3);

	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp) {
		free(body);
		return VG_ENOMEM;
	}
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	int rc = fd < 0 ? VG_EIO : 0;
	uint8_t pad[SNAP_ALIGN] = {0};
	if (!rc)
		rc = write_all(fd, &h, sizeof h);
	if (!rc)
		rc = write_all(fd, pad, body0 - sizeof h);
	if (!rc)
		rc = write_all(fd, body, off - body0);
	free(body);
	if (!rc && fchmod(fd, 0644))
		rc = VG_EIO;
	if (!rc && fsync(fd))
		rc = VG_EIO;
	if (fd >= 0 && close(fd) && !rc)
		rc = VG_EIO;
	if (!rc && rename(tmp, path))
		rc = VG_EIO;
	if (rc && fd >= 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return rc;
}

bool vg_store_is_compiled(const void *data, size_t len)
{
	return len >= 8 && !memcmp(data, SNAP_MAGIC, 8);
}

/* ---- validation ----------------------------------------------------------------- */

static bool ref_ok(const vg_store_t *s, uint32_t ref)
{
	if (!(ref & VG_REF_LIST))
		return ref < s->n_metas;
	uint64_t i = ref & ~VG_REF_LIST;
	if (i >= s->n_lists)
		return false;
	uint64_t c = s->lists[i];
	if (c == 0 || c > s->n_lists - i - 1)
		return false;
	for (uint64_t k = 0; k < c; k++)
		if (s->lists[i + 1 + k] >= s->n_metas)
			return false;
	return true;
}

static bool set_ok(const vg_store_t *s, uint32_t set)
{
	if (set == VG_SET_NONE)
		return true;
	if (set >= s->n_lists)
		return false;
	uint64_t c = s->lists[set];
	if (c == 0 || c > s->n_lists - set - 1)
		return false;
	for (uint64_t k = 0; k < c; k++)
		if (s->lists[set + 1 + k] >= s->n_cidrs)
			return false;
	return true;
}

static bool idx_ok(const uint32_t *idx, uint64_t n)
{
	if (!idx)
		return true;
	for (int i = 0; i < 65536; i++)
		if (idx[i] > idx[i + 1])
			return false;
	return idx[0] == 0 && idx[65536] == n;
}

static bool strtab_ok(const vg_store_t *s, const strtab_t *t)
{
	if (t->arena_len && t->arena[t->arena_len - 1] != 0)
		return false;
	if (t->arena_len > UINT32_MAX)
		return false;
	for (uint64_t i = 0; i < t->cap; i++) {
		if (t->ctrl[i] != VG_CTRL_EMPTY && (t->ctrl[i] & 0x80))
			return false;
		if (t->ctrl[i] != VG_CTRL_EMPTY && t->slot[i] >= t->arena_len)
			return false;
	}
	if (t->cap) {
		bool has_empty = false;
		for (uint64_t i = 0; i < t->cap && !has_empty; i++)
			has_empty = t->ctrl[i] == VG_CTRL_EMPTY;
		if (!has_empty)
			return false;
		for (int i = 0; i < 16; i++)
			if (t->ctrl[t->cap + (uint64_t)i] != t->ctrl[i])
				return false;
	}
	const uint32_t *pairs[2] = {t->runs, t->over};
	uint64_t np[2] = {t->n_runs, t->n_over};
	for (int k = 0; k < 2; k++)
		for (uint64_t i = 0; i < np[k]; i++) {
			if (pairs[k][2 * i] >= (t->arena_len ? t->arena_len : 1) ||
			    !ref_ok(s, pairs[k][2 * i + 1]))
				return false;
			if (i && pairs[k][2 * i] <= pairs[k][2 * i - 2])
				return false;
		}
	if (t->cap && (t->n_runs == 0 || t->runs[0] != 0))
		return false;
	return true;
}

int vg_store_validate(const vg_store_t *s)
{
	if (s->strs_len == 0 || s->strs[s->strs_len - 1] != 0)
		return VG_ECORRUPT;
	for (uint64_t i = 0; i < s->n_metas; i++) {
		const meta_rec_t *m = &s->metas[i];
		if (m->source >= s->strs_len || m->category >= s->strs_len ||
		    m->description >= s->strs_len || m->reference >= s->strs_len || m->tlp > VG_TLP_RED)
			return VG_ECORRUPT;
	}
	for (uint64_t i = 0; i < s->n_ip4; i++) {
		if (!ref_ok(s, (uint32_t)s->ip4[i]))
			return VG_ECORRUPT;
		if (i && (s->ip4[i] >> 32) <= (s->ip4[i - 1] >> 32))
			return VG_ECORRUPT;
	}
	if (!idx_ok(s->ip4idx, s->n_ip4))
		return VG_ECORRUPT;
	const fkt_t *fk[] = {&s->ip6, &s->ipp4, &s->ipp6, &s->md5, &s->sha1, &s->sha256};
	for (size_t k = 0; k < sizeof fk / sizeof fk[0]; k++) {
		const fkt_t *t = fk[k];
		for (uint64_t i = 0; i < t->n; i++) {
			uint32_t ref;
			memcpy(&ref, t->rec + i * (t->w + 4) + t->w, 4);
			if (!ref_ok(s, ref))
				return VG_ECORRUPT;
		}
	}
	for (uint64_t i = 0; i < s->n_cidrs; i++)
		if (s->cidrs[i].prefix > 128 || !ref_ok(s, s->cidrs[i].ref))
			return VG_ECORRUPT;
	for (uint64_t i = 0; i < s->n_iv4; i++) {
		if (!set_ok(s, s->iv4set[i]) || (i && s->iv4start[i] <= s->iv4start[i - 1]))
			return VG_ECORRUPT;
	}
	if (s->n_iv4 && !idx_ok(s->iv4idx, s->n_iv4))
		return VG_ECORRUPT;
	for (uint64_t i = 0; i < s->n_iv6; i++)
		if (!set_ok(s, s->iv6set[i]) || (i && s->iv6start[i] <= s->iv6start[i - 1]))
			return VG_ECORRUPT;
	if (!strtab_ok(s, &s->dom) || !strtab_ok(s, &s->url))
		return VG_ECORRUPT;
	return 0;
}

/* ---- opening ------------------------------------------------------------------------ */

static int open_mapped(vg_store_t *s, const uint8_t *base, uint64_t len, bool verify)
{
	snap_hdr_t h;
	if (len < 8 || memcmp(base, SNAP_MAGIC, 8))
		return VG_EFORMAT;
	if (len < sizeof h)
		return VG_ECORRUPT;
	memcpy(&h, base, sizeof h);
	if (h.bom != SNAP_BOM || h.version != SNAP_VERSION || h.nsec != SEC__COUNT)
		return VG_EVERSION;
	if (h.header_hash != vg_hash64(&h, offsetof(snap_hdr_t, header_hash), 3))
		return VG_ECORRUPT;
	if (h.file_len != len)
		return VG_ECORRUPT; /* truncated or extended */
	uint64_t body0 = (sizeof h + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN;
	if (body0 > len)
		return VG_ECORRUPT;
	for (uint64_t i = sizeof h; i < body0; i++)
		if (base[i])
			return VG_ECORRUPT; /* header padding is zero */
	if (verify && h.body_hash != body_hash(base + body0, len - body0))
		return VG_ECORRUPT;
	for (int i = 0; i < SEC__COUNT; i++) {
		if (h.sec[i].off % SNAP_ALIGN || h.sec[i].off < body0 || h.sec[i].off > len ||
		    h.sec[i].len > len - h.sec[i].off)
			return VG_ECORRUPT;
		s->sec[i].p = h.sec[i].len ? (void *)(base + h.sec[i].off) : NULL;
		s->sec[i].len = h.sec[i].len;
	}
	s->entries = h.entries;
	s->expired = h.expired;
	int rc = vg_store_bind(s);
	if (rc)
		return rc;
	return vg_store_validate(s);
}

int vg_store_open(const char *path, bool verify, vg_store_t **out)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VG_EIO;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return VG_EIO;
	}
	if (st.st_size == 0) {
		close(fd);
		return VG_EEMPTY;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return VG_EIO;
	vg_store_t *s = calloc(1, sizeof *s);
	if (!s) {
		munmap(map, (size_t)st.st_size);
		return VG_ENOMEM;
	}
	s->map = map;
	s->map_len = (size_t)st.st_size;
	s->map_is_mmap = true;
	int rc = open_mapped(s, map, (uint64_t)st.st_size, verify);
	if (rc) {
		vg_store_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vg_store_open_mem(const void *data, size_t len, vg_store_t **out)
{
	*out = NULL;
	if (len == 0)
		return VG_EEMPTY;
	void *copy = aligned_alloc(SNAP_ALIGN, (len + SNAP_ALIGN - 1) / SNAP_ALIGN * SNAP_ALIGN);
	vg_store_t *s = calloc(1, sizeof *s);
	if (!copy || !s) {
		free(copy);
		free(s);
		return VG_ENOMEM;
	}
	memcpy(copy, data, len);
	s->map = copy;
	s->map_len = len;
	int rc = open_mapped(s, copy, len, true);
	if (rc) {
		vg_store_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
